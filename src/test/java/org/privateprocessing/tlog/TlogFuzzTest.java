package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for what the transparency log's clients and the log itself read: entries (the log
 * reads them from publishers and from its own store; clients download them), checkpoint bodies and
 * signed notes (clients and witnesses read them from the log), inclusion and consistency proofs
 * (clients read them from the log and the gateway's listings). Each parser either returns or throws
 * {@link TlogException}; entries re-encode canonically, checkpoints and notes to exactly the text
 * they were parsed from, proofs to JSON that reads back to the same proof, and checking a proof
 * against any root either passes or throws {@link TlogException}.
 */
class TlogFuzzTest {
  /** A leaf and a root to check parsed proofs against: what matters is that the check ends well. */
  private static final byte[] HASH = Rfc9162.leafHash(new byte[] {1});

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

  @FuzzTest
  void inclusionProof(byte[] input) throws TlogException {
    InclusionProof parsed;
    try {
      parsed = InclusionProof.fromJson(new String(input, StandardCharsets.UTF_8));
    } catch (TlogException refused) {
      return;
    }
    String json = parsed.toJson().toString();
    assertThat(InclusionProof.fromJson(json).toJson().toString()).isEqualTo(json);
    try {
      assertThat(parsed.rootFrom(HASH)).hasSize(Rfc9162.HASH_LENGTH);
      parsed.verify(HASH, HASH);
    } catch (TlogException refused) {
      // Wrong sizes, wrong path length or another root: refused with its reason.
    }
  }

  @FuzzTest
  void consistencyProof(byte[] input) throws TlogException {
    ConsistencyProof parsed;
    try {
      parsed = ConsistencyProof.fromJson(new String(input, StandardCharsets.UTF_8));
    } catch (TlogException refused) {
      return;
    }
    String json = parsed.toJson().toString();
    assertThat(ConsistencyProof.fromJson(json).toJson().toString()).isEqualTo(json);
    try {
      parsed.verify(HASH, HASH);
    } catch (TlogException refused) {
      // Wrong sizes, wrong length or other roots: refused with its reason.
    }
  }
}
