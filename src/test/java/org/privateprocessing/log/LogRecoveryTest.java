package org.privateprocessing.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.Profile;
import org.privateprocessing.tlog.LogFile;
import org.privateprocessing.tlog.NoteSigner;

/**
 * The operator's way back ({@code log recover}): it lets the log continue only from a checkpoint
 * its key signed that the entries reproduce, and on a refusal changes nothing.
 */
class LogRecoveryTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  LogRecovery.Outcome recover(String checkpoint, boolean dryRun) throws IOException {
    return LogRecovery.recover(
        LogServiceTest.options(dir), Profile.DEMO, checkpoint, "witness-state", dryRun, CLOCK);
  }

  LogRecovery.Outcome recover() throws IOException {
    return recover(null, false);
  }

  /** A store of {@code n} entries; returns the checkpoint it served last. */
  String store(int n) throws Exception {
    try (LogService log = LogHistoryTest.open(dir)) {
      for (int i = 0; i < n; i++) {
        LogHistoryTest.append(log, i);
      }
      return log.checkpoint();
    }
  }

  interface Call {
    LogRecovery.Outcome run() throws Exception;
  }

  void assertRefusedUnchanged(Call call, String... says) throws Exception {
    Map<String, String> before = LogHistoryTest.hashes(dir);
    LogRecovery.Outcome outcome = call.run();
    assertThat(LogHistoryTest.hashes(dir)).as("the store after the refusal").isEqualTo(before);
    assertThat(outcome.exit()).as(String.join("\n", outcome.lines())).isEqualTo(2);
    assertThat(String.join("\n", outcome.lines()))
        .contains("REFUSED")
        .contains("nothing was changed")
        .contains(says);
  }

  @Test
  void aLostCheckpointIsRecoveredFromTheSignedRecordAndTheLogContinuesIdentically()
      throws Exception {
    String before = store(3);
    Files.delete(dir.resolve("checkpoint"));
    LogRecovery.Outcome outcome = recover();
    assertThat(outcome.exit()).as(String.join("\n", outcome.lines())).isZero();
    assertThat(String.join("\n", outcome.lines()))
        .contains("the entries reproduce the checkpoint of size 3", "the log can start");
    assertThat(Files.readString(dir.resolve("recoveries.log")))
        .startsWith("2026-11-25T10:00:00Z transparency log recovered by the operator")
        .contains("size 3");
    try (LogService log = LogHistoryTest.open(dir)) {
      assertThat(log.checkpoint()).isEqualTo(before);
    }
    // Run again: nothing left to do, nothing written.
    Map<String, String> after = LogHistoryTest.hashes(dir);
    assertThat(recover().lines()).anyMatch(l -> l.startsWith("nothing to recover"));
    assertThat(LogHistoryTest.hashes(dir)).isEqualTo(after);
  }

  @Test
  void anOlderBackupIsRefusedUntilTheEntriesTheKeySignedAreBack() throws Exception {
    store(2);
    Path backup = dir.resolve("backup");
    Files.createDirectories(backup);
    for (String f : new String[] {"entries.log", "checkpoint"}) {
      Files.copy(dir.resolve(f), backup.resolve(f));
    }
    try (LogService log = LogHistoryTest.open(dir)) {
      LogHistoryTest.append(log, 2);
      LogHistoryTest.append(log, 3);
    }
    Path mirror = dir.resolve("mirror");
    Files.createDirectories(mirror);
    Files.copy(dir.resolve("entries.log"), mirror.resolve("entries.log"));
    for (String f : new String[] {"entries.log", "checkpoint"}) {
      Files.copy(backup.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    assertRefusedUnchanged(
        this::recover, "holds 2 entries, fewer than the 4", "log.skey.signed", "put back");
    // The newer entries come back from a mirror: now the store reproduces what the key signed.
    Files.copy(
        mirror.resolve("entries.log"),
        dir.resolve("entries.log"),
        StandardCopyOption.REPLACE_EXISTING);
    assertThat(recover().exit()).isZero();
    try (LogService log = LogHistoryTest.open(dir)) {
      assertThat(log.size()).isEqualTo(4);
    }
  }

  @Test
  void anUnsignedRecordPastTheCheckpointIsRemovedAndKeptAside() throws Exception {
    String before = store(2);
    byte[] good = Files.readAllBytes(dir.resolve("entries.log"));
    try (LogFile file = LogFile.open(dir)) {
      file.append(LogServiceTest.release(9).encode());
    }
    byte[] bad = Files.readAllBytes(dir.resolve("entries.log"));
    LogRecovery.Outcome dry = recover(null, true);
    assertThat(dry.lines()).anyMatch(l -> l.startsWith("dry run, nothing changed"));
    assertThat(Files.readAllBytes(dir.resolve("entries.log"))).isEqualTo(bad);

    LogRecovery.Outcome outcome = recover();
    assertThat(outcome.exit()).as(String.join("\n", outcome.lines())).isZero();
    assertThat(String.join("\n", outcome.lines()))
        .contains("record 2 is past the last signed checkpoint and it carries no publisher");
    assertThat(Files.readAllBytes(dir.resolve("entries.log"))).isEqualTo(good);
    Path aside = dir.resolve("entries.log.removed-2026-11-25T100000Z");
    assertThat(Files.readAllBytes(aside))
        .isEqualTo(Arrays.copyOfRange(bad, good.length, bad.length));
    try (LogService log = LogHistoryTest.open(dir)) {
      assertThat(log.checkpoint()).isEqualTo(before);
    }
  }

  @Test
  void publisherSignedEntriesPastTheCheckpointStayAndADamagedRecordAfterThemGoes()
      throws Exception {
    store(1);
    Path signed = dir.resolve("log.skey.signed");
    String checkpointAt1 = Files.readString(dir.resolve("checkpoint"));
    String signedAt1 = Files.readString(signed);
    try (LogService log = LogHistoryTest.open(dir)) {
      LogHistoryTest.append(log, 1);
    }
    // As if the process died after appending entry 1, and the disk then damaged a record after it.
    Files.writeString(dir.resolve("checkpoint"), checkpointAt1);
    Files.writeString(signed, signedAt1);
    byte[] junk = new byte[60];
    Arrays.fill(junk, (byte) 7);
    Files.write(dir.resolve("entries.log"), junk, java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> LogHistoryTest.open(dir).close())
        .hasMessageContaining("record 2")
        .hasMessageContaining("removes it");
    LogRecovery.Outcome outcome = recover();
    assertThat(outcome.exit()).as(String.join("\n", outcome.lines())).isZero();
    assertThat(String.join("\n", outcome.lines()))
        .contains("records 1 to 1 carry a configured publisher's signature", "removed 60 bytes");
    try (LogService log = LogHistoryTest.open(dir)) {
      assertThat(log.size()).isEqualTo(2);
    }
  }

  @Test
  void aDamagedRecordTheCheckpointCoversIsRefusedAndLeftAsItIs() throws Exception {
    store(3);
    Path entries = dir.resolve("entries.log");
    byte[] full = Files.readAllBytes(entries);
    Files.write(entries, Arrays.copyOf(full, full.length - 5));
    assertRefusedUnchanged(this::recover, "holds 2 entries, fewer than the 3");
  }

  @Test
  void aStoreWithoutAnySignedCheckpointNeedsOneFromAWitness() throws Exception {
    String witnessSaw = store(3);
    // A store from before signed records lost its checkpoint: nothing left to prove it against.
    Files.delete(dir.resolve("checkpoint"));
    Files.delete(dir.resolve("log.skey.signed"));
    assertRefusedUnchanged(this::recover, "--checkpoint FILE");

    LogRecovery.Outcome outcome = recover(witnessSaw, false);
    assertThat(outcome.exit()).as(String.join("\n", outcome.lines())).isZero();
    try (LogService log = LogHistoryTest.open(dir)) {
      assertThat(log.checkpoint()).isEqualTo(witnessSaw);
    }
  }

  @Test
  void aCheckpointFromAnotherKeyOrAnotherHistoryIsRefused() throws Exception {
    String ours = store(2);
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    // The same key with another history (a fork a witness might hold) ...
    Files.copy(dir.resolve("log.skey"), other.resolve("log.skey"));
    String forked;
    try (LogService log = LogHistoryTest.open(other)) {
      LogHistoryTest.append(log, 20);
      LogHistoryTest.append(log, 21);
      forked = log.checkpoint();
    }
    Files.delete(dir.resolve("checkpoint"));
    assertRefusedUnchanged(() -> recover(forked, false), "two roots for size 2", "fork");
    // ... another key ...
    Path stranger = dir.resolve("stranger");
    Files.createDirectories(stranger);
    String foreign;
    try (LogService log = LogHistoryTest.open(stranger)) {
      foreign = log.checkpoint();
    }
    assertRefusedUnchanged(() -> recover(foreign, false), "witness-state", "not this log's");
    // ... or no checkpoint at all.
    assertRefusedUnchanged(() -> recover("not a note", false), "witness-state");
    assertThat(recover(ours, false).exit()).isZero();
  }

  @Test
  void aRunningLogKeepsItsStoreToItself() throws Exception {
    try (LogService log = LogHistoryTest.open(dir)) {
      assertThatThrownBy(this::recover)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("already open");
    }
  }

  @Test
  void withoutTheSigningKeyNothingCanBeProven() throws Exception {
    store(1);
    Files.move(dir.resolve("log.skey"), dir.resolve("elsewhere.skey"));
    assertRefusedUnchanged(this::recover, "log.skey", "missing");
    Files.writeString(
        dir.resolve("log.skey"), NoteSigner.generate("x", LogServiceTest.RANDOM).encodeSkey());
    assertRefusedUnchanged(this::recover, "not this log's valid checkpoint");
  }
}
