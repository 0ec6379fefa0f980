package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The catalogue ({@link ProblemType}) and the "Errors" table of {@code docs/PROTOCOL.md} list the
 * same problems, with the same status and Retry-After: a slug added to one and not the other fails
 * here.
 */
class ProblemCatalogueDocTest {
  private static final Path DOC = Path.of("docs/PROTOCOL.md");

  /** One row of the table: {@code | where | status | slug | Retry-After | when |}. */
  record Row(String where, int status, String slug, String retryAfter, String when) {}

  private static final Pattern SLUG_CELL = Pattern.compile("`([a-z0-9]+(?:-[a-z0-9]+)*)`");

  /** Parses the table under "## Errors", refusing a row it cannot read rather than skipping it. */
  static Map<String, Row> errorTable(String markdown) {
    int start = markdown.indexOf("\n## Errors\n");
    assertThat(start).as("docs/PROTOCOL.md has a section ## Errors").isNotNegative();
    int end = markdown.indexOf("\n## ", start + 1);
    String section = markdown.substring(start, end < 0 ? markdown.length() : end);
    List<String> lines =
        section.lines().filter(l -> l.startsWith("|")).collect(Collectors.toList());
    assertThat(lines).as("the Errors section has a table").hasSizeGreaterThan(2);
    assertThat(cells(lines.get(0)))
        .containsExactly("where", "status", "slug", "Retry-After", "when");
    assertThat(lines.get(1)).matches("\\|(---\\|)+");
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : lines.subList(2, lines.size())) {
      List<String> c = cells(line);
      assertThat(c).as(line).hasSize(5);
      Matcher slug = SLUG_CELL.matcher(c.get(2));
      assertThat(slug.matches()).as("one slug per row, in backticks: %s", line).isTrue();
      assertThat(c.get(1)).as("status of %s", line).matches("[1-5][0-9][0-9]");
      assertThat(c.get(0)).as("where of %s", line).isNotBlank();
      assertThat(c.get(4)).as("when of %s", line).isNotBlank();
      Row row = new Row(c.get(0), Integer.parseInt(c.get(1)), slug.group(1), c.get(3), c.get(4));
      assertThat(rows.put(row.slug(), row)).as("%s listed twice", row.slug()).isNull();
    }
    return rows;
  }

  private static List<String> cells(String line) {
    String inner = line.strip();
    inner = inner.substring(1, inner.length() - (inner.endsWith("|") ? 1 : 0));
    List<String> out = new ArrayList<>();
    for (String cell : inner.split("\\|", -1)) {
      out.add(cell.strip());
    }
    return out;
  }

  /** The Retry-After cell the catalogue entry calls for: "—", "computed", or its seconds first. */
  static boolean retryAfterMatches(ProblemType type, String cell) {
    if (!type.carriesRetryAfter()) {
      return cell.equals("—");
    }
    if (type.retryAfterSeconds() == ProblemType.RETRY_AFTER_COMPUTED) {
      return cell.equals("computed");
    }
    return cell.equals(Integer.toString(type.retryAfterSeconds()))
        || cell.startsWith(type.retryAfterSeconds() + ";");
  }

  @Test
  @DisplayName(
      "every slug of the catalogue is in the doc's error table, and every slug there in it")
  void sameSlugs() throws IOException {
    Map<String, Row> doc = errorTable(Files.readString(DOC, StandardCharsets.UTF_8));
    Set<String> catalogue =
        Arrays.stream(ProblemType.values())
            .map(ProblemType::slug)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> onlyInDoc = new TreeSet<>(doc.keySet());
    onlyInDoc.removeAll(catalogue);
    Set<String> onlyInCatalogue = new TreeSet<>(catalogue);
    onlyInCatalogue.removeAll(doc.keySet());
    assertThat(onlyInDoc).as("in docs/PROTOCOL.md but not in ProblemType").isEmpty();
    assertThat(onlyInCatalogue).as("in ProblemType but not in docs/PROTOCOL.md").isEmpty();
  }

  @Test
  @DisplayName("the doc gives each slug the catalogue's status and Retry-After")
  void sameStatusesAndRetryAfter() throws IOException {
    Map<String, Row> doc = errorTable(Files.readString(DOC, StandardCharsets.UTF_8));
    for (ProblemType type : ProblemType.values()) {
      Row row = doc.get(type.slug());
      if (row == null) {
        continue; // reported by sameSlugs
      }
      assertThat(row.status()).as("status of %s", type.slug()).isEqualTo(type.status());
      assertThat(retryAfterMatches(type, row.retryAfter()))
          .as("Retry-After of %s: doc says '%s'", type.slug(), row.retryAfter())
          .isTrue();
    }
    assertThat(doc.get("unavailable").retryAfter())
        .contains(Integer.toString(ProblemType.STORE_RETRY_AFTER_SECONDS));
  }

  @Test
  @DisplayName("the parser fails on a doc that differs: a missing slug, a wrong status, two slugs")
  void parserCatchesDifferences() {
    String ok =
        "# x\n\n## Errors\n\n| where | status | slug | Retry-After | when |\n"
            + "|---|---|---|---|---|\n"
            + "| relay | 504 | `gateway-timeout` | 2 | slow |\n\n## Next\n| a | b |\n";
    Map<String, Row> rows = errorTable(ok);
    assertThat(rows).containsOnlyKeys("gateway-timeout");
    assertThat(rows.get("gateway-timeout").status()).isEqualTo(504);
    assertThat(retryAfterMatches(ProblemType.GATEWAY_TIMEOUT, "2")).isTrue();
    assertThat(retryAfterMatches(ProblemType.GATEWAY_TIMEOUT, "—")).isFalse();
    assertThat(retryAfterMatches(ProblemType.BAD_QUERY, "2")).isFalse();
    assertThat(retryAfterMatches(ProblemType.UNAVAILABLE, "2; 5 for a store")).isTrue();
    assertThat(retryAfterMatches(ProblemType.RATE_LIMITED, "computed")).isTrue();

    String twoSlugs = ok.replace("`gateway-timeout`", "`gateway-timeout`, `upstream`");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> errorTable(twoSlugs))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("one slug per row");
    String twice =
        ok.replace("| slow |\n", "| slow |\n| relay | 504 | `gateway-timeout` | 2 | x |\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> errorTable(twice))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("listed twice");
  }
}
