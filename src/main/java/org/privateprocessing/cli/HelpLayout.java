package org.privateprocessing.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How every {@code --help} is laid out: to the width of the terminal it is printed on, wrapped at
 * spaces only, never inside a word, a URL or an option name.
 *
 * <p>Picocli wraps where {@link java.text.BreakIterator} allows, which includes after {@code -},
 * {@code .} and {@code :} ({@code --log-}/{@code key}, {@code http://127.}/{@code 0.0.1}). So
 * picocli lays the help out on a line too wide to wrap anything, and this class wraps each section
 * to the real width: continuation lines of an option or a command start under its description (two
 * further columns in), those of a paragraph under its first word, those of the synopsis under its
 * first option. A word longer than the whole width stays whole on a line of its own.
 *
 * <p>Descriptions and footers are written as source lines; lines of prose (no leading space, no run
 * of two spaces) that follow each other are one paragraph and are re-flowed, so the text reads the
 * same at 55 columns and at 120. The first sentence of a description is its summary: the command
 * lists of the parent commands show it, so it stands alone and ends with a full stop.
 */
final class HelpLayout {
  /** Wide enough that picocli wraps nothing; the real width is applied afterwards. */
  static final int UNWRAPPED = 10_000;

  /** Wider text is hard to read, even on a wide terminal. */
  static final int MAX_WIDTH = 120;

  private static final Pattern COLUMN = Pattern.compile("^( *)(\\S.*?\\S|\\S) {2,}(?=\\S)");
  private static final Pattern SENTENCE_END = Pattern.compile("[A-Za-z0-9)\\]'\"]\\. (?=[A-Z])");

  private HelpLayout() {}

  /** The width help is printed at: the terminal's (picocli's detection), 80 when not a terminal. */
  static int terminalWidth() {
    return Math.min(MAX_WIDTH, new UsageMessageSpec().autoWidth(true).width());
  }

  /**
   * Lays out the help of {@code cli} and of every subcommand under it (call it once all are added)
   * at the width {@code width} gives when the help is printed.
   */
  static void install(CommandLine cli, IntSupplier width) {
    reflowAll(cli);
    // Plain text: the widths below count characters, and colour codes would count as some.
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    cli.setUsageHelpWidth(UNWRAPPED);
    cli.setUsageHelpLongOptionsMaxWidth(24);
    // Read every command's renderers before setting any: setting them on a command also sets them
    // on the commands under it.
    Map<CommandLine, Map<String, CommandLine.IHelpSectionRenderer>> wrapped =
        new java.util.LinkedHashMap<>();
    collect(cli, width, wrapped);
    wrapped.forEach(CommandLine::setHelpSectionMap);
  }

  private static void collect(
      CommandLine cli,
      IntSupplier width,
      Map<CommandLine, Map<String, CommandLine.IHelpSectionRenderer>> all) {
    Map<String, CommandLine.IHelpSectionRenderer> sections = cli.getHelpSectionMap();
    Map<String, CommandLine.IHelpSectionRenderer> wrapped = new java.util.LinkedHashMap<>();
    CommandLine.IHelpSectionRenderer heading =
        sections.get(UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING);
    for (Map.Entry<String, CommandLine.IHelpSectionRenderer> e : sections.entrySet()) {
      String key = e.getKey();
      CommandLine.IHelpSectionRenderer section = e.getValue();
      if (key.equals(UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING)) {
        wrapped.put(key, help -> ""); // printed with the synopsis, whose first line it starts
      } else if (key.equals(UsageMessageSpec.SECTION_KEY_SYNOPSIS)) {
        wrapped.put(
            key,
            help -> {
              String head = heading == null ? "" : heading.render(help);
              int indent = head.length() + help.commandSpec().qualifiedName().length() + 1;
              int w = width.getAsInt();
              return synopsis(head + section.render(help), w, indent <= w / 2 ? indent : 7);
            });
      } else {
        boolean table =
            key.equals(UsageMessageSpec.SECTION_KEY_OPTION_LIST)
                || key.equals(UsageMessageSpec.SECTION_KEY_COMMAND_LIST)
                || key.equals(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST)
                || key.equals(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST)
                || key.equals(UsageMessageSpec.SECTION_KEY_AT_FILE_PARAMETER);
        wrapped.put(
            key,
            help ->
                table
                    ? wrap(section.render(help), width.getAsInt(), 2, 0)
                    : wrap(section.render(help), width.getAsInt(), 0, 4));
      }
    }
    all.put(cli, wrapped);
    for (CommandLine sub : cli.getSubcommands().values()) {
      collect(sub, width, all);
    }
  }

  /** Re-flows the descriptions and footers of {@code cli} and its subcommands (see the class). */
  private static void reflowAll(CommandLine cli) {
    UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
    usage.description(summaryFirst(reflow(usage.description())));
    usage.footer(reflow(usage.footer()));
    for (CommandLine sub : cli.getSubcommands().values()) {
      reflowAll(sub);
    }
  }

  /** Joins lines of prose that follow each other into one paragraph each. */
  static String[] reflow(String[] lines) {
    List<String> out = new ArrayList<>();
    boolean open = false; // the last element is a paragraph that the next prose line continues
    for (String line : lines) {
      // A heading ("Examples:") starts nothing and continues nothing.
      boolean heading = line.matches("\\S+:");
      boolean prose = !line.isBlank() && !line.startsWith(" ") && !line.contains("  ") && !heading;
      if (prose && open) {
        out.set(out.size() - 1, out.get(out.size() - 1) + " " + line.strip());
      } else {
        out.add(line);
      }
      open = prose;
    }
    return out.toArray(new String[0]);
  }

  /**
   * Puts the first sentence of the first paragraph on its own, then a blank line and the rest: the
   * command list of the parent shows exactly that sentence.
   */
  static String[] summaryFirst(String[] description) {
    if (description.length == 0) {
      return description;
    }
    Matcher end = SENTENCE_END.matcher(description[0]);
    if (!end.find()) {
      return description;
    }
    List<String> out = new ArrayList<>();
    out.add(description[0].substring(0, end.start() + 2));
    out.add("");
    out.add(description[0].substring(end.end()));
    out.addAll(List.of(description).subList(1, description.length));
    return out.toArray(new String[0]);
  }

  /** The synopsis: continuation lines under its first option (or under "Usage:" when long). */
  static String synopsis(String text, int width, int indent) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      fill(out, line.stripTrailing(), 0, indent, width);
    }
    return out.toString();
  }

  /**
   * Wraps every line of {@code text} longer than {@code width} at spaces. Continuation lines start
   * under the line's second column (a table row: option or command, then two or more spaces, then
   * its description) or under its first word, plus {@code extra} columns; those of an indented line
   * without a second column (an example command) {@code code} columns further in still.
   */
  static String wrap(String text, int width, int extra, int code) {
    StringBuilder out = new StringBuilder();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        out.append('\n');
      }
      String line = lines[i].stripTrailing();
      if (line.length() <= width) {
        out.append(line);
        continue;
      }
      Matcher column = COLUMN.matcher(line);
      int lead = line.length() - line.stripLeading().length();
      int hang = (column.find() ? column.end() : lead + (lead > 0 ? code : 0)) + extra;
      if (hang > width / 2) {
        hang = lead + extra + 2; // a column that far right leaves too little room for words
      }
      fill(out, line, lead, hang, width);
    }
    return out.toString();
  }

  /**
   * Appends {@code line} wrapped at spaces: its first row as it is indented, the next ones at
   * {@code hang}.
   */
  private static void fill(StringBuilder out, String line, int lead, int hang, int width) {
    if (line.length() <= width) {
      out.append(line);
      return;
    }
    StringBuilder row = new StringBuilder(line.substring(0, lead));
    boolean rowHasWord = false;
    int pos = lead;
    while (pos < line.length()) {
      int next = line.indexOf(' ', pos);
      if (next < 0) {
        next = line.length();
      }
      String word = line.substring(pos, next);
      int spaceEnd = next;
      while (spaceEnd < line.length() && line.charAt(spaceEnd) == ' ') {
        spaceEnd++;
      }
      String gap = line.substring(next, spaceEnd);
      if (rowHasWord && row.length() + word.length() > width) {
        out.append(row.toString().stripTrailing()).append('\n');
        row = new StringBuilder(" ".repeat(hang));
        rowHasWord = false;
      }
      row.append(word);
      rowHasWord = rowHasWord || !word.isEmpty();
      row.append(gap);
      pos = spaceEnd;
    }
    out.append(row.toString().stripTrailing());
  }
}
