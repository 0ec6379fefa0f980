package org.privateprocessing.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations as people write them on a command line: {@code 1500ms}, {@code 30s}, {@code 5m},
 * {@code 1h}.
 */
final class DurationParser {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private DurationParser() {}

  /**
   * @throws IllegalArgumentException naming the accepted forms, for anything else (no unit, a
   *     negative or fractional number, an unknown unit, blank)
   */
  static Duration parse(String text) {
    Matcher m = text == null ? null : FORM.matcher(text.strip());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (write e.g. 1500ms, 30s, 5m or 1h)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** For picocli options. */
  static final class Converter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parse(value);
    }
  }
}
