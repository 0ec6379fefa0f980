package org.privateprocessing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The records one logger (and the loggers below it) publishes during each test, for tests that hold
 * log lines to the rules (no request content, no stack trace, one line per event). Register it on
 * an instance field, so that each test starts with nothing captured:
 *
 * <pre>{@code
 * @RegisterExtension final LogCapture log = LogCapture.of(FallbackModel.class);
 * }</pre>
 *
 * Its handler is attached before each test's {@code @BeforeEach} methods and detached after its
 * {@code @AfterEach} methods, so those see the captured records too.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          records.add(r);
          messages.add(r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LogCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
  }

  /** Captures what the logger named after {@code type} publishes. */
  public static LogCapture of(Class<?> type) {
    return new LogCapture(type.getName());
  }

  /** Captures what every logger publishes (the root logger's handlers see it all). */
  public static LogCapture everything() {
    return new LogCapture("");
  }

  /** The records published so far in this test, in order; a live view. */
  public List<LogRecord> records() {
    return records;
  }

  /** The records' messages (unformatted), in order; a live view. */
  public List<String> messages() {
    return messages;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    logger.addHandler(handler);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger.removeHandler(handler);
  }
}
