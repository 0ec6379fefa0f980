package org.privateprocessing.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written one way everywhere, in config files, environment variables and command-line
 * flags: a whole number and a unit, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}.
 */
public final class Durations {
  /** What every error about a duration says the accepted forms are. */
  public static final String FORMS = "e.g. 1500ms, 30s, 5m or 1h";

  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private Durations() {}

  /**
   * Reads {@code 1500ms}, {@code 30s}, {@code 5m}, {@code 1h} (surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the accepted forms, for anything else (no unit, a
   *     negative or fractional number, an unknown unit, blank, null)
   */
  public static Duration parse(String text) {
    Matcher m = text == null ? null : FORM.matcher(text.strip());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (write a whole number and a unit, " + FORMS + ")");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** Whether {@code text} is a duration {@link #parse} reads. */
  public static boolean isDuration(String text) {
    return text != null && FORM.matcher(text.strip()).matches();
  }

  /**
   * The form {@link #parse} reads back to the same duration, in the largest unit that writes it
   * exactly: {@code 90s}, {@code 2m}, {@code 1500ms}, {@code 24h}.
   *
   * @throws IllegalArgumentException for a negative duration or one finer than a millisecond
   */
  public static String format(Duration d) {
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("no written form for " + d);
    }
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }
}
