package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The JSON forms of {@link InclusionProof} and {@link ConsistencyProof}. */
class ProofJsonTest {
  private static final String H32 = "A".repeat(42) + "Q"; // 32 bytes, unpadded base64url

  private static MerkleTree tree(int size) throws TlogException {
    MerkleTree t = new MerkleTree();
    for (int i = 0; i < size; i++) {
      t.append(Rfc9162.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return t;
  }

  private static void assertMalformed(ThrowingCallable call, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.MALFORMED))
        .hasMessageContaining(messagePart);
  }

  @Test
  @DisplayName("an inclusion proof survives its JSON form, with and without the tree size")
  void inclusionProof_roundTripsAndStillVerifies() throws Exception {
    MerkleTree t = tree(13);
    InclusionProof p = t.inclusionProof(5, 13);

    String json = p.toJson().toString();
    assertThat(json).startsWith("{\"leafIndex\":5,\"treeSize\":13,\"hashes\":[\"");
    InclusionProof back = InclusionProof.fromJson(json);
    assertThat(back.leafIndex()).isEqualTo(5);
    assertThat(back.treeSize()).isEqualTo(13);
    assertThat(back.hashes()).hasSameSizeAs(p.hashes());
    for (int i = 0; i < p.hashes().size(); i++) {
      assertThat(back.hashes().get(i)).isEqualTo(p.hashes().get(i));
    }
    back.verify(t.leafHash(5), t.root());
    assertThat(back.toJson()).isEqualTo(p.toJson());

    String beside = p.toJsonWithoutTreeSize().toString();
    assertThat(beside).doesNotContain("treeSize");
    InclusionProof fromBeside = InclusionProof.fromJson(beside, 13);
    assertThat(fromBeside.toJson()).isEqualTo(p.toJson());
    fromBeside.verify(t.leafHash(5), t.root());
  }

  @Test
  @DisplayName("a consistency proof survives its JSON form and still verifies")
  void consistencyProof_roundTripsAndStillVerifies() throws Exception {
    MerkleTree t = tree(13);
    ConsistencyProof p = t.consistencyProof(5, 13);
    String json = p.toJson().toString();
    assertThat(json).startsWith("{\"size1\":5,\"size2\":13,\"hashes\":[\"");
    ConsistencyProof back = ConsistencyProof.fromJson(json);
    assertThat(back.toJson()).isEqualTo(p.toJson());
    back.verify(t.root(5), t.root());
    assertThat(ConsistencyProof.fromJson("{\"size1\":3,\"size2\":3,\"hashes\":[]}").hashes())
        .isEmpty();
  }

  @Test
  @DisplayName("other members are ignored, so a proof can travel beside its entry")
  void otherMembersAreIgnored() throws Exception {
    InclusionProof p =
        InclusionProof.fromJson("{\"entry\":\"e30\",\"leafIndex\":0,\"hashes\":[],\"x\":1}", 1);
    assertThat(p.leafIndex()).isZero();
    assertThat(p.treeSize()).isEqualTo(1);
    assertThat(InclusionProof.fromJson("{\"leafIndex\":0,\"treeSize\":9,\"hashes\":[]}", 1))
        .extracting(InclusionProof::treeSize)
        .isEqualTo(1L);
  }

  @Test
  @DisplayName("text that is not one JSON object is malformed")
  void notAnObject_isMalformed() {
    assertMalformed(() -> InclusionProof.fromJson((String) null), "missing");
    assertMalformed(() -> InclusionProof.fromJson("{"), "not JSON");
    assertMalformed(() -> InclusionProof.fromJson("[]"), "not a JSON object");
    assertMalformed(() -> InclusionProof.fromJson(""), "not a JSON object");
    assertMalformed(() -> ConsistencyProof.fromJson("{} {}"), "not JSON");
    assertMalformed(() -> ConsistencyProof.fromJson("{\"size1\":1,\"size1\":2}"), "not JSON");
    assertMalformed(() -> ConsistencyProof.fromJson("7"), "not a JSON object");
  }

  @Test
  @DisplayName("indexes and sizes must be non-negative integers")
  void counts_mustBeNonNegativeIntegers() {
    for (String v : List.of("-1", "1.5", "\"3\"", "null", "true", "9223372036854775808")) {
      assertMalformed(
          () -> InclusionProof.fromJson("{\"leafIndex\":" + v + ",\"treeSize\":9,\"hashes\":[]}"),
          "'leafIndex'");
      assertMalformed(
          () -> InclusionProof.fromJson("{\"leafIndex\":0,\"treeSize\":" + v + ",\"hashes\":[]}"),
          "'treeSize'");
      assertMalformed(
          () -> ConsistencyProof.fromJson("{\"size1\":" + v + ",\"size2\":9,\"hashes\":[]}"),
          "'size1'");
      assertMalformed(
          () -> ConsistencyProof.fromJson("{\"size1\":1,\"size2\":" + v + ",\"hashes\":[]}"),
          "'size2'");
    }
    assertMalformed(() -> InclusionProof.fromJson("{\"leafIndex\":0,\"hashes\":[]}"), "treeSize");
    assertMalformed(() -> ConsistencyProof.fromJson("{\"size2\":1,\"hashes\":[]}"), "size1");
  }

  @Test
  @DisplayName("hashes: an array of at most 64 canonical unpadded base64url strings of 32 bytes")
  void hashes_areCheckedOneByOne() throws Exception {
    String head = "{\"size1\":1,\"size2\":2,\"hashes\":";
    assertMalformed(() -> ConsistencyProof.fromJson("{\"size1\":1,\"size2\":2}"), "'hashes'");
    assertMalformed(() -> ConsistencyProof.fromJson(head + "\"x\"}"), "'hashes'");
    assertMalformed(() -> ConsistencyProof.fromJson(head + "[1]}"), "hash 0 is not a string");
    assertMalformed(
        () -> ConsistencyProof.fromJson(head + "[\"" + H32 + "\",\"*\"]}"), "hash 1 is not base64");
    assertMalformed(() -> ConsistencyProof.fromJson(head + "[\"" + H32 + "=\"]}"), "not canonical");
    assertMalformed(
        () -> ConsistencyProof.fromJson(head + "[\"" + H32.replace('A', '+') + "\"]}"),
        "not base64url");
    assertMalformed(() -> ConsistencyProof.fromJson(head + "[\"AAAA\"]}"), "3 bytes");
    String many = ("\"" + H32 + "\",").repeat(65);
    assertMalformed(
        () -> ConsistencyProof.fromJson(head + "[" + many.substring(0, many.length() - 1) + "]}"),
        "65 hashes, more than 64");
    String max = ("\"" + H32 + "\",").repeat(64);
    assertThat(
            InclusionProof.fromJson(
                    "{\"leafIndex\":0,\"hashes\":[" + max.substring(0, max.length() - 1) + "]}", 1)
                .hashes())
        .hasSize(64);
  }
}
