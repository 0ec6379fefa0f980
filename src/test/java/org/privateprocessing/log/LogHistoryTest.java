package org.privateprocessing.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.Profile;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.ConsistencyProof;
import org.privateprocessing.tlog.LogFile;
import org.privateprocessing.tlog.NoteSigner;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.SignedNote;

/**
 * Issue 14, finding 1: the log never signs two histories. Each case replays the attack on real
 * files in a temporary directory: a lost checkpoint, an older backup restored, a record appended
 * behind the log's back, a damaged final record. The log must refuse to start, say why and what to
 * run, and leave every byte of its store as it found it.
 */
class LogHistoryTest {
  @TempDir Path dir;

  LogService open() throws Exception {
    return open(dir);
  }

  static LogService open(Path data) throws Exception {
    return LogService.open(LogServiceTest.options(data), Profile.DEMO, LogServiceTest.RANDOM);
  }

  static void append(LogService log, int i) throws Exception {
    PublisherKeys.Signer publisher = log.demoPublisher().orElseThrow();
    byte[] body = LogServiceTest.release(i).encode();
    log.append(LogServiceTest.auth(publisher, body), body);
  }

  /**
   * SHA-256 of every file under {@code root}, by relative path: the store (and the keys beside it)
   * as the test left it.
   */
  static Map<String, String> hashes(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(
            root.relativize(p).toString(),
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return out;
  }

  interface Start {
    LogService open() throws Exception;
  }

  void assertRefusedUnchanged(String... says) throws Exception {
    assertRefusedUnchanged(this::open, says);
  }

  void assertRefusedUnchanged(Start start, String... says) throws Exception {
    Map<String, String> before = hashes(dir);
    Throwable refusal =
        catchThrowable(
            () -> {
              start.open().close(); // a start that should not have happened
            });
    assertThat(hashes(dir)).as("the store after the refusal").isEqualTo(before);
    assertThat(refusal).isInstanceOf(IllegalStateException.class).hasMessageContainingAll(says);
  }

  @Test
  void aMissingCheckpointFileWithAnExistingKeyRefusesToStartAndChangesNothing() throws Exception {
    try (LogService log = open()) {
      for (int i = 0; i < 3; i++) {
        append(log, i);
      }
    }
    Files.delete(dir.resolve("checkpoint"));
    assertRefusedUnchanged(
        dir.resolve("checkpoint").toString(), "missing", "size 3", "log recover --data-dir " + dir);
  }

  @Test
  void anOlderBackupOfTheStoreRefusesToStartNamingBothSizes() throws Exception {
    Path backup = dir.resolve("backup");
    try (LogService log = open()) {
      append(log, 0);
      append(log, 1);
      Files.createDirectories(backup);
      for (String f : new String[] {"entries.log", "checkpoint"}) {
        Files.copy(dir.resolve(f), backup.resolve(f));
      }
      append(log, 2);
      append(log, 3);
    }
    for (String f : new String[] {"entries.log", "checkpoint"}) {
      Files.copy(backup.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    assertRefusedUnchanged("size 2", "size 4", "older", "log recover --data-dir " + dir);
  }

  @Test
  void aRecordAppendedPastTheCheckpointWithoutAPublisherSignatureIsRefusedNotSigned()
      throws Exception {
    try (LogService log = open()) {
      append(log, 0);
      append(log, 1);
    }
    // Someone with write access to the directory adds a well-framed record of their own.
    try (LogFile file = LogFile.open(dir)) {
      file.append(LogServiceTest.release(9).encode());
    }
    assertRefusedUnchanged("record 2", "publisher");
  }

  @Test
  void aDamagedFinalRecordIsReportedAndNotCut() throws Exception {
    try (LogService log = open()) {
      for (int i = 0; i < 3; i++) {
        append(log, i);
      }
    }
    Path entries = dir.resolve("entries.log");
    byte[] full = Files.readAllBytes(entries);
    Files.write(entries, Arrays.copyOf(full, full.length - 5));
    assertRefusedUnchanged("entries.log", "record 2", "size 3");
  }

  @Test
  void aRecordSignedByAKeyTheLogDoesNotListIsRefused() throws Exception {
    try (LogService log = open()) {
      append(log, 0);
      append(log, 1);
    }
    PublisherKeys.Signer stranger =
        PublisherKeys.Signer.generate("stranger", LogServiceTest.RANDOM);
    byte[] body = LogServiceTest.release(5).encode();
    try (LogFile file = LogFile.open(dir)) {
      file.append(body, SignedRequest.of("stranger", stranger.sign(body), body, body).encode());
    }
    assertRefusedUnchanged("record 2", "'stranger'", "does not list", "log recover");
  }

  @Test
  void aRecordWhosePublisherSignedAnotherEntryIsRefused() throws Exception {
    PublisherKeys.Signer publisher;
    try (LogService log = open()) {
      append(log, 0);
      publisher = log.demoPublisher().orElseThrow();
    }
    // A genuine signed request, replayed with another entry swapped in.
    byte[] signed = LogServiceTest.release(6).encode();
    byte[] stored = LogServiceTest.release(7).encode();
    try (LogFile file = LogFile.open(dir)) {
      file.append(
          stored, new SignedRequest(publisher.name(), publisher.sign(signed), signed).encode());
    }
    assertRefusedUnchanged("record 1", "another entry");
  }

  @Test
  void aCrashBetweenAppendingAnEntryAndSigningItsCheckpointSignsItAtTheNextStart()
      throws Exception {
    PublisherKeys.Signer publisher;
    String before;
    try (LogService log = open()) {
      append(log, 0);
      append(log, 1);
      publisher = log.demoPublisher().orElseThrow();
      before = log.checkpoint();
    }
    // What LogService.append has done when the process dies before it signs: the entry and the
    // publisher's request are on disk, the checkpoint is not.
    byte[] body = LogServiceTest.release(2).encode();
    try (LogFile file = LogFile.open(dir)) {
      file.append(
          body, SignedRequest.of(publisher.name(), publisher.sign(body), body, body).encode());
    }
    assertThat(Files.readString(dir.resolve("checkpoint"))).isEqualTo(before);
    try (LogService log = open()) {
      assertThat(log.size()).isEqualTo(3);
      Checkpoint cp = verified(log, log.checkpoint());
      assertThat(cp.size()).isEqualTo(3);
      Checkpoint old = verified(log, before);
      ConsistencyProof.fromJson(log.consistencyProof("2", "3").encode())
          .verify(old.rootHash(), cp.rootHash());
      assertThat(verified(log, Files.readString(dir.resolve("log.skey.signed")))).isEqualTo(cp);
    }
  }

  static Checkpoint verified(LogService log, String note) throws Exception {
    SignedNote parsed = SignedNote.parse(note);
    parsed.verify(List.of(log.noteVerifier()));
    return Checkpoint.parse(parsed.text());
  }

  @Test
  void aCrashBetweenStoringTheCheckpointAndTheSignedRecordIsAcceptedAndCompleted()
      throws Exception {
    Path signed = dir.resolve("log.skey.signed");
    byte[] older;
    try (LogService log = open()) {
      append(log, 0);
      older = Files.readAllBytes(signed);
      append(log, 1);
    }
    Files.write(signed, older); // the signed record one checkpoint behind the served one
    try (LogService log = open()) {
      assertThat(verified(log, Files.readString(signed)))
          .isEqualTo(verified(log, log.checkpoint()))
          .extracting(Checkpoint::size)
          .isEqualTo(2L);
    }
  }

  @Test
  void twoRootsSignedForOneSizeAreAForkAndRefused() throws Exception {
    try (LogService log = open()) {
      append(log, 0);
      append(log, 1);
    }
    // Another store under the same key with another history: its signed record for size 2.
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.copy(dir.resolve("log.skey"), other.resolve("log.skey"));
    try (LogService log = open(other)) {
      append(log, 10);
      append(log, 11);
    }
    Files.copy(
        other.resolve("log.skey.signed"),
        dir.resolve("log.skey.signed"),
        StandardCopyOption.REPLACE_EXISTING);
    assertRefusedUnchanged("two roots for size 2", "fork");
  }

  @Test
  void aStoreWhoseSigningKeyIsMissingRefusesWithoutMakingANewKey() throws Exception {
    try (LogService log = open()) {
      append(log, 0);
    }
    Files.delete(dir.resolve("log.skey"));
    assertRefusedUnchanged("log.skey", "missing");
    assertThat(dir.resolve("log.skey")).doesNotExist();
  }

  @Test
  void aMissingEntriesFileRefusesWithoutCreatingOne() throws Exception {
    try (LogService log = open()) {
      append(log, 0);
      append(log, 1);
    }
    Files.delete(dir.resolve("entries.log"));
    assertRefusedUnchanged("entries.log", "missing", "log recover");
    assertThat(dir.resolve("entries.log")).doesNotExist();
  }

  /** A production layout: the key and its signed record outside the data directory. */
  LogOptions production(Path keyFile, PublisherKeys.Signer publisher) {
    return new LogOptions(
        "127.0.0.1",
        0,
        "test.log",
        dir.resolve("data"),
        keyFile,
        List.of(publisher.verifierKey()),
        List.of(),
        16 * 1024);
  }

  @Test
  void restoringAnOlderBackupOfTheWholeDataDirectoryIsNoticedFromBesideTheKey() throws Exception {
    Path keyFile = dir.resolve("secrets").resolve("log.skey");
    Files.createDirectories(keyFile.getParent());
    Files.writeString(keyFile, NoteSigner.generate("test.log", LogServiceTest.RANDOM).encodeSkey());
    PublisherKeys.Signer publisher = PublisherKeys.Signer.generate("pub", LogServiceTest.RANDOM);
    LogOptions options = production(keyFile, publisher);
    Start start = () -> LogService.open(options, Profile.PRODUCTION, LogServiceTest.RANDOM);
    try (LogService log = start.open()) {
      assertThat(log.size()).isZero(); // a new log with a configured key starts
      for (int i = 0; i < 2; i++) {
        byte[] body = LogServiceTest.release(i).encode();
        log.append(LogServiceTest.auth(publisher, body), body);
      }
    }
    assertThat(keyFile.resolveSibling("log.skey.signed")).exists();
    Path backup = dir.resolve("backup");
    copyTree(dir.resolve("data"), backup);
    try (LogService log = start.open()) {
      for (int i = 2; i < 4; i++) {
        byte[] body = LogServiceTest.release(i).encode();
        log.append(LogServiceTest.auth(publisher, body), body);
      }
    }
    try (Stream<Path> files = Files.list(dir.resolve("data"))) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    copyTree(backup, dir.resolve("data"));
    assertRefusedUnchanged(start, "size 2", "size 4", "older", "log.skey.signed");
  }

  static void copyTree(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
