package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for what the transparency log's clients and the log itself read: entries (the log
 * reads them from publishers and from its own store; clients download them), checkpoint bodies and
 * signed notes (clients and witnesses read them from the log). Each parser either returns or throws
 * {@link TlogException}; entries re-encode canonically, checkpoints and notes to exactly the text
 * they were parsed from.
 */
class TlogFuzzTest {
  @FuzzTest
  void logEntry(byte[] input) throws TlogException {
    LogEntry parsed;
    try {
      parsed = LogEntry.parse(input);
    } catch (TlogException refused) {
      return;
    }
    byte[] canonical = parsed.encode();
    LogEntry again = LogEntry.parse(canonical);
    assertThat(again).isEqualTo(parsed);
    assertThat(again.encode()).isEqualTo(canonical);
    assertThat(again.leafHash()).isEqualTo(parsed.leafHash());
  }

  @FuzzTest
  void checkpoint(byte[] input) {
    String body = new String(input, StandardCharsets.UTF_8);
    Checkpoint parsed;
    try {
      parsed = Checkpoint.parse(body);
    } catch (TlogException refused) {
      return;
    }
    assertThat(parsed.encode()).isEqualTo(body);
  }

  @FuzzTest
  void signedNote(byte[] input) {
    String note = new String(input, StandardCharsets.UTF_8);
    SignedNote parsed;
    try {
      parsed = SignedNote.parse(note);
    } catch (TlogException refused) {
      return;
    }
    assertThat(parsed.encode()).isEqualTo(note);
  }
}
