package org.privateprocessing.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The API mapper keeps nothing of what it read: Jackson by default canonicalises member names into
 * a symbol table owned by the factory (and interns them), so any text a client sends as a member
 * name would stay reachable for the life of the process (issue #14, finding 2).
 */
class JsonTest {

  private static byte[] objectWithMember(String name) {
    return ("{\"" + name + "\":1}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("the mapper neither canonicalises nor interns member names")
  void mapper_doesNotCanonicaliseOrIntern() {
    JsonFactory factory = Json.mapper().getFactory();
    assertThat(factory.isEnabled(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)).isFalse();
    assertThat(factory.isEnabled(JsonFactory.Feature.INTERN_FIELD_NAMES)).isFalse();
  }

  @Test
  @DisplayName("two documents with the same member name get two strings: no shared symbol table")
  void read_givesEachDocumentItsOwnMemberNames() throws Exception {
    String name = "member" + UUID.randomUUID();
    String first = Json.read(objectWithMember(name)).fieldNames().next();
    String second = Json.read(objectWithMember(name)).fieldNames().next();
    assertThat(second).isEqualTo(first).isNotSameAs(first);
  }

  @Test
  @DisplayName("a member name read from a request is unreachable once the tree is dropped")
  void read_keepsNoMemberNameReachable() throws Exception {
    WeakReference<String> name = readAndDrop("canary" + UUID.randomUUID());
    for (int i = 0; i < 50 && name.get() != null; i++) {
      System.gc();
      byte[][] pressure = new byte[64][];
      for (int k = 0; k < pressure.length; k++) {
        pressure[k] = new byte[16 * 1024];
      }
      Thread.sleep(10);
    }
    assertThat(name.get()).as("the member name after the tree was dropped").isNull();
  }

  private static WeakReference<String> readAndDrop(String text) throws Exception {
    JsonNode tree = Json.read(objectWithMember(text));
    return new WeakReference<>(tree.fieldNames().next());
  }
}
