package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * No main source file outside the catalogue decides a problem itself: none builds a {@code
 * PipelineException} or a {@code Problem} from a status and a slug, and none spells a catalogue
 * slug as a string literal.
 */
class ProblemSitesTest {
  private static final Path MAIN = Path.of("src/main/java/org/privateprocessing");

  /** Where a problem is declared or built from the catalogue. */
  private static final Set<String> CATALOGUE =
      Set.of("core/ProblemType.java", "core/PipelineException.java");

  /**
   * The client reads problems and names its own refusals; it may not import core, so it keeps its
   * own strings (one mirrors the enclave's advanced-chat-privacy).
   */
  private static final String CLIENT = "client/";

  /**
   * Files that still use the deprecated constructors and factories; they were being restructured
   * when the catalogue came. Convert them, then remove them here: an entry that no longer needs to
   * be here fails the test.
   */
  private static final Set<String> NOT_YET_CONVERTED = Set.of();

  private static final Pattern HAND_BUILT =
      Pattern.compile(
          "new PipelineException\\(|PipelineException\\.(badRequest|notFound)\\(|Problem\\.of\\(");

  @Test
  @DisplayName("no main source outside the catalogue builds a problem from a status and a slug")
  void noHandBuiltProblems() throws IOException {
    Set<String> offenders = new TreeSet<>();
    Set<String> stillNeeded = new TreeSet<>();
    for (Path file : ProblemsTest.javaFiles(MAIN)) {
      String where = MAIN.relativize(file).toString().replace('\\', '/');
      if (CATALOGUE.contains(where)) {
        continue;
      }
      List<String> found = findings(ProblemsTest.read(file));
      if (found.isEmpty()) {
        continue;
      }
      if (NOT_YET_CONVERTED.contains(where)) {
        stillNeeded.add(where);
      } else if (!where.startsWith(CLIENT) || found.stream().anyMatch(f -> !f.startsWith("\""))) {
        offenders.add(where + ": " + found);
      }
    }
    assertThat(offenders).as("use PipelineException.of(ProblemType.X, detail)").isEmpty();
    Set<String> stale = new TreeSet<>(NOT_YET_CONVERTED);
    stale.removeAll(stillNeeded);
    assertThat(stale).as("converted: remove from NOT_YET_CONVERTED").isEmpty();
  }

  /** Hand-built problems and quoted catalogue slugs in one source text. */
  static List<String> findings(String source) {
    List<String> found = new ArrayList<>();
    var m = HAND_BUILT.matcher(source);
    while (m.find()) {
      found.add(m.group());
    }
    for (ProblemType type : ProblemType.values()) {
      if (source.contains("\"" + type.slug() + "\"")) {
        found.add("\"" + type.slug() + "\"");
      }
    }
    return found;
  }

  @Test
  @DisplayName("the scan sees a hand-built exception, a Problem.of and a quoted slug")
  void scanFindsEachForm() {
    assertThat(findings("throw new PipelineException(400, x, y, z);")).hasSize(1);
    assertThat(findings("PipelineException.badRequest(a, b)")).hasSize(1);
    assertThat(findings("return Problem.of(404, s, t, d);")).hasSize(1);
    assertThat(findings("String s = \"bad-query\";")).containsExactly("\"bad-query\"");
    assertThat(findings("PipelineException.of(ProblemType.BAD_QUERY, \"since\")")).isEmpty();
  }
}
