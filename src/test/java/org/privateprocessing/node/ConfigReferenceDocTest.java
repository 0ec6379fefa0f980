package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.core.ConfigBinder;

/**
 * The table "## Every key" of {@code docs/CONFIG.md} lists exactly the keys the records bind, in
 * their order, with the type, default and variable {@link NodeSettings#reference()} gives: a key
 * added to a record and not to the doc (or the other way round) fails here. On failure the table as
 * it should be, with the meanings already written, is left in {@code target/config-reference.md}.
 */
class ConfigReferenceDocTest {
  private static final Path DOC = Path.of("docs/CONFIG.md");
  private static final String HEADING = "\n## Every key\n";
  private static final String HEADER = "| key | type | default | environment | meaning |";

  record Row(String key, String type, String defaultValue, String env, String meaning) {}

  @Test
  @DisplayName("docs/CONFIG.md lists every key with the type, default and variable of its record")
  void docMatchesTheRecords() throws IOException {
    String doc = Files.readString(DOC);
    List<Row> documented = table(doc);
    Map<String, String> meanings = new LinkedHashMap<>();
    documented.forEach(r -> meanings.put(r.key(), r.meaning()));
    List<Row> expected = new ArrayList<>();
    for (ConfigBinder.Setting s : NodeSettings.reference()) {
      expected.add(
          new Row(
              s.key(),
              s.type(),
              s.defaultValue(),
              s.env(),
              meanings.getOrDefault(s.key(), "TODO: say what it does")));
    }
    if (!expected.equals(documented)) {
      Path out = Path.of("target", "config-reference.md");
      Files.createDirectories(out.getParent());
      Files.writeString(out, render(expected));
    }
    assertThat(documented)
        .as(
            "docs/CONFIG.md, table '## Every key' (the table as it should be: target/config-reference.md)")
        .containsExactlyElementsOf(expected);
    assertThat(documented).allMatch(r -> !r.meaning().isBlank() && !r.meaning().startsWith("TODO"));
  }

  @Test
  @DisplayName("the README's configuration section points to docs/CONFIG.md")
  void readmePointsHere() throws IOException {
    assertThat(Files.readString(Path.of("README.md"))).contains("docs/CONFIG.md");
  }

  static String render(List<Row> rows) {
    StringBuilder b = new StringBuilder(HEADER).append("\n|---|---|---|---|---|\n");
    for (Row r : rows) {
      b.append("| `")
          .append(r.key())
          .append("` | ")
          .append(r.type())
          .append(" | `")
          .append(r.defaultValue())
          .append("` | `")
          .append(r.env())
          .append("` | ")
          .append(r.meaning())
          .append(" |\n");
    }
    return b.toString();
  }

  /** The rows of the table under "## Every key", refusing a row it cannot read. */
  static List<Row> table(String markdown) {
    int start = markdown.indexOf(HEADING);
    assertThat(start).as("docs/CONFIG.md has a section ## Every key").isNotNegative();
    int end = markdown.indexOf("\n## ", start + 1);
    String section = markdown.substring(start, end < 0 ? markdown.length() : end);
    List<String> lines = section.lines().filter(l -> l.startsWith("|")).toList();
    assertThat(lines).as("the section has a table").hasSizeGreaterThan(2);
    assertThat(lines.get(0)).isEqualTo(HEADER);
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(2, lines.size())) {
      String[] c = line.substring(1, line.length() - 1).split(" \\| ", 5);
      assertThat(c).as(line).hasSize(5);
      rows.add(
          new Row(
              unquote(c[0].strip(), line),
              c[1].strip(),
              unquote(c[2].strip(), line),
              unquote(c[3].strip(), line),
              c[4].strip()));
    }
    return rows;
  }

  private static String unquote(String cell, String line) {
    assertThat(cell).as("a cell in backticks: %s", line).startsWith("`").endsWith("`");
    return cell.substring(1, cell.length() - 1);
  }
}
