package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's {@code --help}, at the widths of real terminals. */
class HelpLayoutTest {
  private static final int[] WIDTHS = {55, 80, 120};

  /** What one run printed. */
  private record Run(int exit, String out, String err) {}

  private static Run run(int width, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintStream systemErr = System.err;
    ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
    // picocli prints its own warnings (e.g. an unescaped '%') on System.err, not on the err writer.
    System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = Main.commandLine(() -> width);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int exit = cli.execute(args.toArray(new String[0]));
      return new Run(exit, out.toString(), err + picocliWarnings.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(systemErr);
    }
  }

  /** The command paths under the root, e.g. ["audit", "log"]; every one of them. */
  private static List<List<String>> commands() {
    List<List<String>> all = new ArrayList<>();
    all.add(List.of());
    collect(Main.commandLine(() -> 80), new ArrayList<>(), all);
    return all;
  }

  private static void collect(CommandLine cli, List<String> path, List<List<String>> all) {
    for (var sub : cli.getSubcommands().entrySet()) {
      List<String> p = new ArrayList<>(path);
      p.add(sub.getKey());
      all.add(p);
      collect(sub.getValue(), p, all);
    }
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  @Test
  @DisplayName(
      "every --help exits 0 without a warning, fits the width and breaks no word across lines")
  void everyHelpFitsAndBreaksNoWord() {
    List<List<String>> commands = commands();
    assertThat(commands).hasSizeGreaterThan(20);
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>(command);
      args.add("--help");
      // Laid out without any wrapping, every word is whole: the reference.
      Run unwrapped = run(HelpLayout.UNWRAPPED, args);
      assertThat(unwrapped.exit()).as("exit of %s", args).isZero();
      for (int width : WIDTHS) {
        Run r = run(width, args);
        assertThat(r.exit()).as("exit of %s at %d", args, width).isZero();
        assertThat(r.err()).as("stderr of %s", args).isEmpty();
        assertThat(r.out()).as("help of %s", args).contains("Usage: private-processing");
        for (String line : r.out().split("\n")) {
          assertThat(line.length())
              .as("%s at %d columns: '%s'", args, width, line)
              .isLessThanOrEqualTo(width);
        }
        assertThat(words(r.out()))
            .as("words of %s at %d", args, width)
            .isEqualTo(words(unwrapped.out()));
      }
    }
  }

  @Test
  @DisplayName("help is plain text on a terminal too: no colour codes to miscount the width")
  void noColourCodes() {
    String before = System.getProperty("picocli.ansi");
    System.setProperty("picocli.ansi", "true"); // what picocli assumes on a terminal
    try {
      Run r = run(80, List.of("summarize", "--help"));
      assertThat(r.out()).doesNotContain("\u001b").contains("--chat=FILE");
    } finally {
      if (before == null) {
        System.clearProperty("picocli.ansi");
      } else {
        System.setProperty("picocli.ansi", before);
      }
    }
  }

  @Test
  @DisplayName("every command's summary in its parent's list is one whole sentence")
  void summariesAreSentences() {
    CommandLine root = Main.commandLine(() -> 80);
    List<CommandLine> all = new ArrayList<>();
    collectLines(root, all);
    for (CommandLine cli : all) {
      // The list shows the header's first line if there is one (picocli's own help command).
      String[] header = cli.getCommandSpec().usageMessage().header();
      String[] description = cli.getCommandSpec().usageMessage().description();
      String name = cli.getCommandSpec().qualifiedName();
      assertThat(description).as(name).isNotEmpty();
      String summary = header.length > 0 ? header[0] : description[0];
      assertThat(summary).as(name).endsWith(".").doesNotContain(". ").hasSizeLessThan(100);
      assertThat(Character.isUpperCase(summary.charAt(0))).as(name).isTrue();
    }
  }

  private static void collectLines(CommandLine cli, List<CommandLine> all) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      all.add(sub);
      collectLines(sub, all);
    }
  }

  @Test
  @DisplayName("a long line wraps at spaces under its description column, a long word stays whole")
  void wrapsAtSpacesOnly() {
    String row =
        "  --issuer=URL   token issuer (default: http://127.0.0.1:8082); it sees your account";
    assertThat(HelpLayout.wrap(row, 50, 2, 0))
        .isEqualTo(
            "  --issuer=URL   token issuer (default:\n"
                + "                   http://127.0.0.1:8082); it sees\n"
                + "                   your account");
    assertThat(HelpLayout.wrap("short line", 50, 0, 4)).isEqualTo("short line");
    assertThat(HelpLayout.wrap("  java -jar x.jar serve --role gateway --cluster", 30, 0, 4))
        .isEqualTo("  java -jar x.jar serve --role\n      gateway --cluster");
    String word = "x".repeat(60);
    assertThat(HelpLayout.wrap("a " + word + " b", 50, 0, 4)).isEqualTo("a\n" + word + "\nb");
  }

  @Test
  @DisplayName("lines of prose join into paragraphs; examples and lists keep their lines")
  void reflowJoinsProseOnly() {
    assertThat(
            HelpLayout.reflow(
                new String[] {
                  "First line of prose",
                  "continues here.",
                  "",
                  "Examples:",
                  "  java -jar x",
                  "Key:   value"
                }))
        .containsExactly(
            "First line of prose continues here.",
            "",
            "Examples:",
            "  java -jar x",
            "Key:   value");
    assertThat(HelpLayout.summaryFirst(new String[] {"Does X. Then Y, e.g. z. More."}))
        .containsExactly("Does X.", "", "Then Y, e.g. z. More.");
  }

  @Test
  @DisplayName("--version names the build (a development build when run from classes)")
  void versionNamesTheBuild() {
    Run r = run(80, List.of("--version"));
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("private-processing ").contains("development build");
    Run sub = run(80, List.of("serve", "--version"));
    assertThat(sub.out()).isEqualTo(r.out());
  }

  @Test
  @DisplayName("completion prints a bash completion script that knows every command and option")
  void completionScript() {
    Run r = run(80, List.of("completion"));
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F _complete_private-processing")
        .contains("summarize", "--chat", "loadtest", "--steps", "publish", "--release-version");
  }
}
