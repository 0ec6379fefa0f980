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

  private static byte[] authorization(int i) {
    return ("publisher-signature/v1\nkeyName p\nsignature s" + i + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Entries 0..n-1, each with its authorization record. */
  private void writeAuthorized(int n) throws Exception {
    try (LogFile log = LogFile.open(dir)) {
      for (int i = 0; i < n; i++) {
        assertThat(log.append(entry(i), authorization(i))).isEqualTo(i);
      }
    }
  }

  private long authorizedOffset(int record) {
    long off = 0;
    for (int i = 0; i < record; i++) {
      off += 2 * LogFile.HEADER + authorization(i).length + entry(i).length;
    }
    return off;
  }

  @Test
  void anAuthorizationIsStoredWithItsEntryButIsNoEntryAndNoLeaf() throws Exception {
    try (LogFile log = LogFile.open(dir)) {
      log.append(entry(0), authorization(0));
      log.append(entry(1));
    }
    try (LogFile log = LogFile.openUnchanged(dir)) {
      assertThat(log.size()).isEqualTo(2);
      assertThat(log.damage()).isEmpty();
      assertThat(log.authorization(0)).hasValue(authorization(0));
      assertThat(log.authorization(1)).isEmpty();
      assertThat(TreeState.fromLog(log).root())
          .isEqualTo(TreeState.fromEntries(List.of(entry(0), entry(1))).root());
      assertThatThrownBy(() -> log.authorization(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
    assertThat(Files.size(file()))
        .isEqualTo(
            LogFile.HEADER
                + authorization(0).length
                + LogFile.HEADER
                + entry(0).length
                + LogFile.HEADER
                + entry(1).length);
  }

  @Test
  void anEmptyOrOversizedAuthorizationIsRefusedAndChangesNothing() throws Exception {
    try (LogFile log = LogFile.open(dir)) {
      assertThatThrownBy(() -> log.append(entry(0), new byte[0]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> log.append(entry(0), new byte[LogFile.MAX_AUTHORIZATION + 1]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(log.append(entry(0), new byte[LogFile.MAX_AUTHORIZATION])).isZero();
    }
    try (LogFile log = LogFile.openUnchanged(dir)) {
      assertThat(log.size()).isEqualTo(1);
      assertThat(log.authorization(0).orElseThrow()).hasSize(LogFile.MAX_AUTHORIZATION);
    }
  }

  @Test
  void openUnchangedReportsATornFinalAppendAtEveryOffsetAndWritesNothing() throws Exception {
    writeAuthorized(3);
    byte[] full = Files.readAllBytes(file());
    long last = authorizedOffset(2);
    for (long c = last + 1; c < full.length; c++) {
      byte[] torn = Arrays.copyOf(full, (int) c);
      Files.write(file(), torn);
      try (LogFile log = LogFile.openUnchanged(dir)) {
        assertThat(log.size()).as("cut at %d", c).isEqualTo(2);
        LogFile.Damage d = log.damage().orElseThrow();
        assertThat(d.incomplete()).isTrue();
        assertThat(d.record()).isEqualTo(2);
        assertThat(d.offset()).isEqualTo(last);
        assertThat(d.bytes()).isEqualTo(c - last);
        assertThatThrownBy(() -> log.append(entry(9))).isInstanceOf(IllegalStateException.class);
      }
      assertThat(Files.readAllBytes(file())).as("cut at %d", c).isEqualTo(torn);
    }
    try (LogFile log = LogFile.openUnchanged(dir)) {
      assertThat(log.cutDamage(null)).contains("dropped", "a crash during append");
      assertThat(log.damage()).isEmpty();
      assertThat(log.append(entry(2), authorization(2))).isEqualTo(2);
    }
    assertThat(Files.readAllBytes(file())).isEqualTo(full);
  }

  @Test
  void aDamagedRecordIsReportedByOpenUnchangedAndCutOnlyOnRequestWithACopyAside() throws Exception {
    writeAuthorized(3);
    byte[] bytes = Files.readAllBytes(file());
    long off = authorizedOffset(1);
    bytes[(int) off + LogFile.HEADER + 2] ^= 0x01; // inside record 1's authorization
    Files.write(file(), bytes);
    try (LogFile log = LogFile.openUnchanged(dir)) {
      LogFile.Damage d = log.damage().orElseThrow();
      assertThat(d.incomplete()).isFalse();
      assertThat(d.what()).contains("record 1", "authorization checksum does not match");
      assertThat(log.size()).isEqualTo(1);
    }
    assertThat(Files.readAllBytes(file())).isEqualTo(bytes);
    assertThatThrownBy(() -> LogFile.open(dir))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.CORRUPT_STORE));
    assertThat(Files.readAllBytes(file())).isEqualTo(bytes);
    Path aside = dir.resolve("aside");
    try (LogFile log = LogFile.openUnchanged(dir)) {
      assertThat(log.cutDamage(aside)).contains("a damaged record", "record 1");
    }
    assertThat(Files.readAllBytes(aside))
        .isEqualTo(Arrays.copyOfRange(bytes, (int) off, bytes.length));
    assertThat(Files.size(file())).isEqualTo(off);
  }

  @Test
  void twoAuthorizationsInARowAreDamageAndOneWithoutItsEntryIsATornAppend() throws Exception {
    try (LogFile log = LogFile.open(dir)) {
      log.append(entry(0), authorization(0));
    }
    byte[] one = Files.readAllBytes(file());
    int authRecord = LogFile.HEADER + authorization(0).length;
    byte[] auth = Arrays.copyOf(one, authRecord);
    byte[] doubled = new byte[one.length + authRecord];
    System.arraycopy(auth, 0, doubled, 0, authRecord);
    System.arraycopy(one, 0, doubled, authRecord, one.length);
    Files.write(file(), doubled);
    try (LogFile log = LogFile.openUnchanged(dir)) {
      assertThat(log.damage().orElseThrow().what()).contains("two authorization records");
      assertThat(log.damage().orElseThrow().incomplete()).isFalse();
    }
    Files.write(file(), auth);
    try (LogFile log = LogFile.open(dir)) {
      assertThat(log.size()).isZero();
      assertThat(log.recoveryNote().orElseThrow()).contains("an authorization without its entry");
    }
    assertThat(Files.size(file())).isZero();
  }

  @Test
  void truncateToRemovesLaterEntriesAndCopiesTheirBytesAside() throws Exception {
    writeAuthorized(4);
    byte[] full = Files.readAllBytes(file());
    Path aside = dir.resolve("removed");
    try (LogFile log = LogFile.openUnchanged(dir)) {
      assertThat(log.truncateTo(2, aside)).isEqualTo(full.length - authorizedOffset(2));
      assertThat(log.size()).isEqualTo(2);
      assertThatThrownBy(() -> log.truncateTo(3, null))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(log.append(entry(7))).isEqualTo(2);
    }
    assertThat(Files.readAllBytes(aside))
        .isEqualTo(Arrays.copyOfRange(full, (int) authorizedOffset(2), full.length));
    try (LogFile log = LogFile.openUnchanged(dir)) {
      assertThat(log.size()).isEqualTo(3);
      assertThat(log.entry(2)).isEqualTo(entry(7));
      assertThat(log.authorization(1)).hasValue(authorization(1));
    }
  }

  @Test
  void openUnchangedNeverCreatesAStore() {
    assertThatThrownBy(() -> LogFile.openUnchanged(dir.resolve("none")))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
    assertThat(dir.resolve("none")).doesNotExist();
  }
}
