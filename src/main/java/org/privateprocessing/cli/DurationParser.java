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

  /** For picocli options. */
  static final class Converter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parse(value);
    }
  }
}
