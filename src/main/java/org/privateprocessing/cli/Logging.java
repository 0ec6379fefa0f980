package org.privateprocessing.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One-line logs on stderr (stdout carries results), with ISO-8601 UTC timestamps. Log lines name
 * stages, ports and ids, never request content.
 *
 * <p>Two settings, each a system property or an environment variable (the property wins):
 *
 * <ul>
 *   <li>{@code pp.log.level} / {@code PP_LOG_LEVEL}: {@code error}, {@code warn}, {@code info}
 *       (default), {@code debug} or {@code trace}, for the project's own loggers;
 *   <li>{@code pp.log.format} / {@code PP_LOG_FORMAT}: {@code text} (default) or {@code json}, one
 *       JSON object per line ({@code time}, {@code level}, {@code logger}, {@code message}, and
 *       {@code error}: the exception's type only, never its message or stack).
 * </ul>
 */
final class Logging {
  /** JUL holds loggers weakly: keep the ones we configure, or their levels vanish with them. */
  private static final Logger APP = Logger.getLogger("org.privateprocessing");

  private static final Logger NETTY = Logger.getLogger("io.netty");
  private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");

  /** Milliseconds and an explicit zone, so lines from several hosts sort and compare. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private Logging() {}

  static void configure() {
    Level level = level(setting("pp.log.level", "PP_LOG_LEVEL", "info"));
    String format = setting("pp.log.format", "PP_LOG_FORMAT", "text").toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException(
          "PP_LOG_FORMAT / pp.log.format: '" + format + "' is neither text nor json");
    }
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(format.equals("json") ? new JsonLines() : new TextLines());
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    APP.setLevel(level);
    // Hazelcast and Netty are chatty at INFO; their warnings still show.
    NETTY.setLevel(Level.WARNING);
    HAZELCAST.setLevel(Level.WARNING);
  }

  /** Quiets the server roles' INFO lines when a client command runs them in-process (demo). */
  static void quiet() {
    if (APP.getLevel() == null || APP.getLevel().intValue() < Level.WARNING.intValue()) {
      APP.setLevel(Level.WARNING);
    }
  }

  private static String setting(String property, String env, String fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? fallback : v.strip();
  }

  /** The level a user names, in the words most logging tools use. */
  static Level level(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "error" -> Level.SEVERE;
      case "warn", "warning" -> Level.WARNING;
      case "info" -> Level.INFO;
      case "debug" -> Level.FINE;
      case "trace" -> Level.FINEST;
      default ->
          throw new IllegalArgumentException(
              "PP_LOG_LEVEL / pp.log.level: '"
                  + name
                  + "' is not one of error, warn, info, debug, trace");
    };
  }

  static String time(long millis) {
    return TIME.format(Instant.ofEpochMilli(millis));
  }

  /** {@code 2026-12-02T21:20:00.123Z INFO org.privateprocessing.relay.RelayRole: message}. */
  static final class TextLines extends Formatter {
    @Override
    public String format(LogRecord r) {
      StringBuilder line =
          new StringBuilder()
              .append(time(r.getMillis()))
              .append(' ')
              .append(String.format(Locale.ROOT, "%-7s", r.getLevel().getName()))
              .append(' ')
              .append(r.getLoggerName())
              .append(": ")
              .append(formatMessage(r));
      if (r.getThrown() != null) {
        // The type only: an exception's message or stack may quote what it failed on.
        line.append(" [").append(r.getThrown().getClass().getName()).append(']');
      }
      return line.append(System.lineSeparator()).toString();
    }
  }

  /** One JSON object per line, for log collectors. */
  static final class JsonLines extends Formatter {
    @Override
    public String format(LogRecord r) {
      StringBuilder line =
          new StringBuilder("{\"time\":\"")
              .append(time(r.getMillis()))
              .append("\",\"level\":\"")
              .append(r.getLevel().getName())
              .append("\",\"logger\":");
      quote(line, r.getLoggerName());
      line.append(",\"message\":");
      quote(line, formatMessage(r));
      if (r.getThrown() != null) {
        line.append(",\"error\":");
        quote(line, r.getThrown().getClass().getName());
      }
      return line.append('}').append(System.lineSeparator()).toString();
    }

    private static void quote(StringBuilder out, String s) {
      out.append('"').append(JsonStringEncoder.getInstance().quoteAsString(s == null ? "" : s));
      out.append('"');
    }
  }
}
