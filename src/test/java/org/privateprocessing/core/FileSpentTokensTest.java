package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.issuer.TestTokens;

class FileSpentTokensTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;
  private final TestTokens.MutableClock clock = new TestTokens.MutableClock();
  private final byte[] keyId = bytes(32);
  private final Instant retires = clock.now.plusSeconds(3_600);

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private FileSpentTokens open() throws IOException {
    return FileSpentTokens.open(dir, 1_000_000, clock);
  }

  private Path file() {
    return dir.resolve(FileSpentTokens.FILE_NAME);
  }

  @Test
  @DisplayName("a token is fresh once and a replay after, and still a replay after a reopen")
  void spentOnceAcrossReopen() throws Exception {
    byte[] nonce = bytes(32);
    try (FileSpentTokens store = open()) {
      assertThat(await(store.redeem(keyId, nonce, retires))).isTrue();
      assertThat(await(store.redeem(keyId, nonce, retires))).isFalse();
      assertThat(await(store.redeem(keyId, bytes(32), retires))).isTrue();
      assertThat(await(store.redeem(bytes(32), nonce, retires)))
          .as("the same nonce under another key is another token")
          .isTrue();
    }
    try (FileSpentTokens store = open()) {
      assertThat(store.size()).isEqualTo(3);
      assertThat(store.recoveryNote()).isNull();
      assertThat(await(store.redeem(keyId, nonce, retires))).isFalse();
    }
  }

  @Test
  @DisplayName("the file holds a hash of each token, never its nonce or key id")
  void fileHoldsNoNonce() throws Exception {
    byte[] nonce = bytes(32);
    try (FileSpentTokens store = open()) {
      await(store.redeem(keyId, nonce, retires));
    }
    byte[] content = Files.readAllBytes(file());
    assertThat(content).hasSize(RecordFile.MAGIC_BYTES + RecordFile.RECORD);
    assertThat(indexOf(content, java.util.Arrays.copyOf(nonce, 8))).isEqualTo(-1);
    assertThat(indexOf(content, java.util.Arrays.copyOf(keyId, 8))).isEqualTo(-1);
    assertThat(indexOf(content, FileSpentTokens.hash(keyId, nonce))).isEqualTo(8);
  }

  @Test
  @DisplayName("concurrent redemptions share fsyncs (group commit) and every one is durable")
  void groupCommit() throws Exception {
    List<byte[]> nonces = new ArrayList<>();
    List<Future<Boolean>> all = new ArrayList<>();
    try (FileSpentTokens store = open()) {
      for (int i = 0; i < 2_000; i++) {
        byte[] n = bytes(32);
        nonces.add(n);
        all.add(store.redeem(keyId, n, retires));
      }
      for (Future<Boolean> f : all) {
        assertThat(await(f)).isTrue();
      }
      assertThat(store.file().forces()).isLessThan(2_000).isPositive();
    }
    try (FileSpentTokens store = open()) {
      for (byte[] n : nonces) {
        assertThat(await(store.redeem(keyId, n, retires))).isFalse();
      }
    }
  }

  @Test
  @DisplayName("entries expire with their key: not loaded after it retires, dropped by compaction")
  void entriesExpireWithTheirKey() throws Exception {
    byte[] early = bytes(32);
    byte[] late = bytes(32);
    try (FileSpentTokens store = open()) {
      await(store.redeem(keyId, early, clock.now.plusSeconds(60)));
      await(store.redeem(keyId, late, clock.now.plusSeconds(7_200)));
    }
    clock.now = clock.now.plusSeconds(61);
    try (FileSpentTokens store = open()) {
      assertThat(store.size()).isEqualTo(1);
      assertThat(store.file().records()).isEqualTo(2);
      await(store.file().compactNow());
      assertThat(store.file().records()).isEqualTo(1);
      assertThat(await(store.redeem(keyId, late, retires))).isFalse();
    }
    try (FileSpentTokens store = open()) {
      assertThat(store.size()).isEqualTo(1);
      assertThat(await(store.redeem(keyId, late, retires))).isFalse();
    }
  }

  @Test
  @DisplayName(
      "the file compacts itself when entries expire, at open and while running, never when all live")
  void compactsWhenDue() throws Exception {
    int n = (int) (RecordFile.COMPACT_MIN_BYTES / RecordFile.RECORD) + 1_000;
    try (FileSpentTokens store = open()) {
      fill(store, n, clock.now.plusSeconds(10));
      // All live: counted, not compacted.
      await(store.redeem(keyId, bytes(32), clock.now.plusSeconds(3_600)));
      assertThat(store.file().records()).isEqualTo(n + 1);
      clock.now = clock.now.plusSeconds(11); // the n retired
      await(store.redeem(keyId, bytes(32), clock.now.plusSeconds(3_600))); // sweeps the map
      assertThat(store.file().records()).as("not recounted yet").isEqualTo(n + 2);
      clock.now = clock.now.plusMillis(RecordFile.RECOUNT_MS);
      await(store.redeem(keyId, bytes(32), clock.now.plusSeconds(3_600)));
      // The writer recounts after that batch and compacts; the next append comes after it.
      await(store.redeem(keyId, bytes(32), clock.now.plusSeconds(3_600)));
      // 4 live; the last may be in the compacted copy and appended after it too.
      assertThat(store.file().records()).isBetween(4L, 5L);
      assertThat(Files.size(file())).isLessThan(RecordFile.COMPACT_MIN_BYTES);
    }
    try (FileSpentTokens store = open()) {
      assertThat(store.size()).isEqualTo(4);
      fill(store, n, clock.now.plusSeconds(10));
    }
    clock.now = clock.now.plusSeconds(11);
    try (FileSpentTokens store = open()) {
      assertThat(store.size()).isEqualTo(4);
      // Compacted right after the open: the next append comes after it (and may be in the copy).
      await(store.redeem(keyId, bytes(32), clock.now.plusSeconds(3_600)));
      assertThat(store.file().records()).isBetween(5L, 6L);
    }
  }

  private void fill(FileSpentTokens store, int n, Instant forgetAfter) throws Exception {
    List<Future<Boolean>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(store.redeem(keyId, bytes(32), forgetAfter));
    }
    for (Future<Boolean> f : all) {
      assertThat(await(f)).isTrue();
    }
  }

  @Test
  @DisplayName("a record cut short by a crash is dropped at open, and the store says so")
  void tornTailRecovers() throws Exception {
    byte[] nonce = bytes(32);
    try (FileSpentTokens store = open()) {
      await(store.redeem(keyId, nonce, retires));
    }
    Files.write(file(), java.util.Arrays.copyOf(bytes(40), 20), StandardOpenOption.APPEND);
    try (FileSpentTokens store = open()) {
      assertThat(store.recoveryNote())
          .contains(file().toString())
          .contains("offset " + (RecordFile.MAGIC_BYTES + RecordFile.RECORD));
      assertThat(await(store.redeem(keyId, nonce, retires))).isFalse();
      assertThat(await(store.redeem(keyId, bytes(32), retires))).isTrue();
    }
    try (FileSpentTokens store = open()) {
      assertThat(store.recoveryNote()).isNull();
      assertThat(store.size()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("a zero-filled tail (the file grew, its data never reached the disk) is dropped")
  void zeroTailRecovers() throws Exception {
    byte[] nonce = bytes(32);
    try (FileSpentTokens store = open()) {
      await(store.redeem(keyId, nonce, retires));
    }
    Files.write(file(), new byte[3 * RecordFile.RECORD + 5], StandardOpenOption.APPEND);
    try (FileSpentTokens store = open()) {
      assertThat(store.recoveryNote()).contains("cut short by a crash");
      assertThat(await(store.redeem(keyId, nonce, retires))).isFalse();
    }
  }

  @Test
  @DisplayName("a damaged record refuses the open, naming file and offset, and changes nothing")
  void damagedRecordRefuses() throws Exception {
    try (FileSpentTokens store = open()) {
      for (int i = 0; i < 3; i++) {
        await(store.redeem(keyId, bytes(32), retires));
      }
    }
    byte[] content = Files.readAllBytes(file());
    int at = RecordFile.MAGIC_BYTES + RecordFile.RECORD; // the second record
    content[at + 3] ^= 0x40;
    Files.write(file(), content);
    assertThatThrownBy(this::open)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file().toString())
        .hasMessageContaining("byte offset " + at)
        .hasMessageContaining("Restore the file from a backup");
    assertThat(Files.readAllBytes(file())).isEqualTo(content);
    // The last record damaged but not zero: damage too, not a crash.
    content[at + 3] ^= 0x40;
    content[content.length - 1] ^= 0x01;
    Files.write(file(), content);
    assertThatThrownBy(this::open).hasMessageContaining("damaged record");
  }

  @Test
  @DisplayName("a file of another kind, or a second opener, is refused with the fix")
  void wrongFileOrSecondOpenerRefused() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(file(), "not a spent-token file at all, just text\n");
    assertThatThrownBy(this::open)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file().toString())
        .hasMessageContaining("is not a PPSPENT1 file");
    Files.delete(file());
    try (FileSpentTokens store = open()) {
      assertThatThrownBy(this::open)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use by another process")
          .hasMessageContaining("own dataDir");
      assertThat(await(store.redeem(keyId, bytes(32), retires))).isTrue();
    }
  }

  @Test
  @DisplayName("a full store refuses (503 at the gateway) rather than growing, and spends nothing")
  void fullStoreRefuses() throws Exception {
    try (FileSpentTokens store = FileSpentTokens.open(dir, 1, clock)) {
      assertThat(await(store.redeem(keyId, bytes(32), retires))).isTrue();
      Future<Boolean> f = store.redeem(keyId, bytes(32), retires);
      assertThat(f.failed()).isTrue();
      assertThat(store.file().records()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a closed store fails redemptions instead of accepting them unrecorded")
  void closedStoreFails() throws Exception {
    FileSpentTokens store = open();
    store.close();
    assertThatThrownBy(() -> await(store.redeem(keyId, bytes(32), retires)))
        .hasMessageContaining("closed");
  }

  @Test
  @DisplayName("the gateway's check answers 401 token-replayed after a reopen")
  void credentialCheckRefusesReplayAfterReopen() throws Exception {
    org.privateprocessing.issuer.IssuerKeys keys =
        TestTokens.keys(clock, org.privateprocessing.token.TokenTypes.BLIND_RSA_2048);
    org.privateprocessing.token.Token token;
    try (FileSpentTokens store = open()) {
      CredentialCheck check =
          new CredentialCheck("issuer.test", "gateway.test", keys, store, clock);
      token = TestTokens.mint(keys, check.challenges().get(0), clock.instant());
      await(
          check.check(
              java.util.Optional.of(
                  org.privateprocessing.token.PrivateTokenAuthorization.header(token))));
    }
    try (FileSpentTokens store = open()) {
      CredentialCheck check =
          new CredentialCheck("issuer.test", "gateway.test", keys, store, clock);
      Future<Void> again =
          check.check(
              java.util.Optional.of(
                  org.privateprocessing.token.PrivateTokenAuthorization.header(token)));
      assertThatThrownBy(() -> await(again))
          .cause()
          .isInstanceOf(PipelineException.class)
          .satisfies(
              e -> assertThat(((PipelineException) e).is(ProblemType.TOKEN_REPLAYED)).isTrue());
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static long longAt(byte[] b, int at) {
    return ByteBuffer.wrap(b, at, 8).getLong();
  }
}
