package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {
  @TempDir Path dir;

  private static byte[] entry(int i) {
    return ("{\"release\":" + i + ",\"measurement\":\"" + "ab".repeat(i % 7 + 1) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private Path file() {
    return dir.resolve("entries.log");
  }

  private void write(int n) throws Exception {
    try (LogFile log = LogFile.open(dir)) {
      for (int i = 0; i < n; i++) {
        assertThat(log.append(entry(i))).isEqualTo(i);
      }
    }
  }

  private long offsetOf(int record) {
    long off = 0;
    for (int i = 0; i < record; i++) {
      off += LogFile.HEADER + entry(i).length;
    }
    return off;
  }

  @Test
  void entriesSurviveReopeningInOrder() throws Exception {
    write(5);
    try (LogFile log = LogFile.open(dir)) {
      assertThat(log.size()).isEqualTo(5);
      assertThat(log.recoveryNote()).isEmpty();
      List<byte[]> entries = log.entries();
      for (int i = 0; i < 5; i++) {
        assertThat(entries.get(i)).isEqualTo(entry(i));
      }
      assertThat(log.append(entry(5))).isEqualTo(5);
      assertThat(TreeState.fromLog(log).root())
          .isEqualTo(
              TreeState.fromEntries(
                      List.of(entry(0), entry(1), entry(2), entry(3), entry(4), entry(5)))
                  .root());
    }
    assertThat(Files.size(file())).isEqualTo(offsetOf(6));
  }

  @Test
  void openCreatesAMissingDirectoryAndAnEmptyLog() throws Exception {
    Path nested = dir.resolve("a/b");
    try (LogFile log = LogFile.open(nested)) {
      assertThat(log.size()).isZero();
      assertThat(log.readCheckpoint()).isEmpty();
    }
    assertThat(nested.resolve("entries.log")).exists();
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefusedWhileTheFirstIsOpen() throws Exception {
    try (LogFile log = LogFile.open(dir)) {
      assertThat(log.size()).isZero();
      assertThatThrownBy(() -> LogFile.open(dir)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aFlippedByteInAnEntryIsACorruptStoreNamingTheRecord() throws Exception {
    write(4);
    byte[] bytes = Files.readAllBytes(file());
    long off = offsetOf(2);
    bytes[(int) off + LogFile.HEADER + 3] ^= 0x01;
    Files.write(file(), bytes);
    assertThatThrownBy(() -> LogFile.open(dir))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(TlogException.Reason.CORRUPT_STORE);
              assertThat(e.getMessage())
                  .contains("entries.log")
                  .contains("record 2")
                  .contains("offset " + off)
                  .contains("refusing to start; restore the file from a backup");
            });
    assertThat(Files.readAllBytes(file())).isEqualTo(bytes); // never truncated
  }

  @Test
  void aFlippedChecksumByteIsACorruptStore() throws Exception {
    write(3);
    byte[] bytes = Files.readAllBytes(file());
    bytes[(int) offsetOf(1) + 8 + 5] ^= 0x40;
    Files.write(file(), bytes);
    assertThatThrownBy(() -> LogFile.open(dir))
        .isInstanceOfSatisfying(
            TlogException.class, e -> assertThat(e.getMessage()).contains("record 1"));
  }

  @Test
  void aFlippedLengthAnywhereIsACorruptStoreNotARecovery() throws Exception {
    write(3);
    byte[] original = Files.readAllBytes(file());
    for (int record = 0; record < 3; record++) {
      for (int b = 0; b < 4; b++) {
        byte[] bytes = original.clone();
        bytes[(int) offsetOf(record) + b] ^= 0x01;
        Files.write(file(), bytes);
        int r = record;
        assertThatThrownBy(() -> LogFile.open(dir))
            .as("record %d byte %d", record, b)
            .isInstanceOfSatisfying(
                TlogException.class,
                e -> {
                  assertThat(e.reason()).isEqualTo(TlogException.Reason.CORRUPT_STORE);
                  assertThat(e.getMessage()).contains("record " + r);
                });
        assertThat(Files.size(file())).isEqualTo(original.length);
      }
    }
  }

  @Test
  void aTailCutAtEveryOffsetInsideTheLastRecordRecoversThePreviousEntries() throws Exception {
    write(3);
    byte[] full = Files.readAllBytes(file());
    long last = offsetOf(2);
    for (long c = last + 1; c < full.length; c++) {
      long cut = c;
      Files.write(file(), Arrays.copyOf(full, (int) cut));
      try (LogFile log = LogFile.open(dir)) {
        assertThat(log.size()).as("cut at %d", cut).isEqualTo(2);
        assertThat(log.entries().get(1)).isEqualTo(entry(1));
        assertThat(log.recoveryNote())
            .hasValueSatisfying(
                n ->
                    assertThat(n)
                        .contains("dropped " + (cut - last) + " bytes")
                        .contains("at offset " + last));
      }
      assertThat(Files.size(file())).isEqualTo(last);
    }
    try (LogFile log = LogFile.open(dir)) {
      assertThat(log.recoveryNote()).isEmpty();
      assertThat(log.append(entry(2))).isEqualTo(2);
    }
    assertThat(Files.readAllBytes(file())).isEqualTo(full);
  }

  @Test
  void aZeroFilledTailAfterACrashIsRecoveredButZerosBeforeARecordAreNot() throws Exception {
    write(2);
    byte[] full = Files.readAllBytes(file());
    byte[] padded = Arrays.copyOf(full, full.length + 100);
    Files.write(file(), padded);
    try (LogFile log = LogFile.open(dir)) {
      assertThat(log.size()).isEqualTo(2);
      assertThat(log.recoveryNote()).isPresent();
    }
    byte[] zeroed = full.clone();
    Arrays.fill(zeroed, 0, LogFile.HEADER, (byte) 0);
    Files.write(file(), zeroed);
    assertThatThrownBy(() -> LogFile.open(dir))
        .isInstanceOfSatisfying(
            TlogException.class, e -> assertThat(e.getMessage()).contains("record 0"));
  }

  @Test
  void anEntryOverTheLimitIsRefusedAndChangesNothing() throws Exception {
    try (LogFile log = LogFile.open(dir)) {
      log.append(entry(0));
      assertThatThrownBy(() -> log.append(new byte[LogFile.MAX_ENTRY + 1]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(log.append(new byte[LogFile.MAX_ENTRY])).isEqualTo(1);
      assertThat(log.size()).isEqualTo(2);
    }
    try (LogFile log = LogFile.open(dir)) {
      assertThat(log.size()).isEqualTo(2);
    }
  }

  @Test
  void theLatestCheckpointIsStoredAtomicallyAndCheckedOnRead() throws Exception {
    NoteSigner signer = NoteSigner.generate("log.example", new SecureRandom());
    try (LogFile log = LogFile.open(dir)) {
      log.append(entry(0));
      log.append(entry(1));
      MerkleTree tree = TreeState.fromLog(log);
      for (long size = 1; size <= 2; size++) {
        String body = new Checkpoint("log.example", size, tree.root(size)).encode();
        log.writeCheckpoint(new SignedNote(body, List.of(signer.sign(body))).encode());
      }
      String stored = log.readCheckpoint().orElseThrow();
      SignedNote note = SignedNote.parse(stored);
      assertThat(note.verify(List.of(signer.verifier()))).containsExactly("log.example");
      assertThat(Checkpoint.parse(note.text()).size()).isEqualTo(2);
      assertThat(dir.resolve("checkpoint.tmp")).doesNotExist();
      assertThatThrownBy(() -> log.writeCheckpoint("not a note"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(log.readCheckpoint()).contains(stored);
    }
    try (LogFile log = LogFile.open(dir)) {
      assertThat(log.readCheckpoint()).isPresent();
    }
  }

  @Test
  void aCheckpointBeyondTheStoredEntriesOrUnparseableRefusesToStart() throws Exception {
    NoteSigner signer = NoteSigner.generate("log.example", new SecureRandom());
    try (LogFile log = LogFile.open(dir)) {
      log.append(entry(0));
      String body = new Checkpoint("log.example", 5, new byte[32]).encode();
      log.writeCheckpoint(new SignedNote(body, List.of(signer.sign(body))).encode());
      assertThatThrownBy(log::readCheckpoint)
          .isInstanceOfSatisfying(
              TlogException.class,
              e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.INCONSISTENT));
    }
    Files.writeString(dir.resolve("checkpoint"), "garbage");
    try (LogFile log = LogFile.open(dir)) {
      assertThatThrownBy(log::readCheckpoint)
          .isInstanceOfSatisfying(
              TlogException.class,
              e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.CORRUPT_STORE));
    }
  }
}
