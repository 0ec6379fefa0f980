package org.privateprocessing.cli;

import java.time.Duration;
import org.privateprocessing.core.Durations;

/**
 * Reads durations on a command line as config files write them ({@link Durations}): {@code 1500ms},
 * {@code 30s}, {@code 5m}, {@code 1h}.
 */
final class DurationParser {
  private DurationParser() {}

  /**
   * @throws IllegalArgumentException naming the accepted forms, for anything else (no unit, a
   *     negative or fractional number, an unknown unit, blank)
   */
  static Duration parse(String text) {
    return Durations.parse(text);
  }

  /**
   * For picocli options: a bad value reads {@code Invalid value for option '--timeout': not a
   * duration: '5000' (write a whole number and a unit, e.g. 1500ms, 30s, 5m or 1h)}.
   */
  static final class Converter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** As {@link Converter}, and above zero: {@code 0s} reads {@code must be above 0, e.g. 20s}. */
  static final class Positive implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = new Converter().convert(value);
      if (d.isZero()) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' must be above 0, e.g. 20s");
      }
      return d;
    }
  }
}
