package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.issuer.TestTokens;

class InMemorySpentTokensTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TestTokens.MutableClock clock = new TestTokens.MutableClock();
  private final Instant retires = clock.now.plusSeconds(3_600);

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** A nonce with the same first eight bytes as {@code prefix} and random bytes after. */
  private static byte[] sharingFirstEight(byte[] prefix) {
    byte[] nonce = bytes(32);
    System.arraycopy(prefix, 0, nonce, 0, 8);
    return nonce;
  }

  @Test
  @DisplayName(
      "two tokens whose nonces share their first eight bytes are two tokens, each spent once")
  void noncesSharingAPrefixAreDistinct() {
    InMemorySpentTokens store = new InMemorySpentTokens(1_000, clock);
    byte[] keyId = bytes(32);
    byte[] a = bytes(32);
    byte[] b = sharingFirstEight(a);
    assertThat(store.spend(keyId, a, retires)).isTrue();
    assertThat(store.spend(keyId, b, retires)).as("another token, not a replay").isTrue();
    assertThat(store.spend(keyId, a, retires)).as("a replay").isFalse();
    assertThat(store.spend(keyId, b, retires)).as("a replay").isFalse();
    assertThat(store.spend(bytes(32), a, retires))
        .as("the same nonce under another key is another token")
        .isTrue();
    assertThat(store.size()).isEqualTo(3);
  }

  @Test
  @DisplayName(
      "a key id and nonce that join to the same bytes as another pair are still another token")
  void keyIdAndNonceDoNotRunTogether() {
    InMemorySpentTokens store = new InMemorySpentTokens(1_000, clock);
    // nonce || key id is {3, 1, 2} for both: keyed on the bare concatenation, the second was
    // refused as a replay of the first.
    assertThat(store.spend(new byte[] {1, 2}, new byte[] {3}, retires)).isTrue();
    assertThat(store.spend(new byte[] {2}, new byte[] {3, 1}, retires)).isTrue();
    assertThat(store.redeem(new byte[] {2}, new byte[] {3, 1}, retires).result()).isFalse();
  }

  @Test
  @DisplayName(
      "nonces a client chose with one common prefix spread over the map: the hash codes come from the digest")
  void hashCodesDoNotFollowTheNonce() {
    byte[] keyId = bytes(32);
    byte[] prefix = bytes(32);
    Set<Integer> codes = new HashSet<>();
    int n = 2_000;
    for (int i = 0; i < n; i++) {
      codes.add(SpentTokenKey.of(keyId, sharingFirstEight(prefix)).hashCode());
    }
    // Random 32-bit codes: a collision among 2,000 has a probability under 0.05 %; allow a few.
    assertThat(codes).hasSizeGreaterThan(n - 5);
  }

  @Test
  @DisplayName("the key is the file store's digest: both stores name a token alike, with no nonce")
  void keyIsTheFileStoresDigest() {
    byte[] keyId = bytes(32);
    byte[] nonce = bytes(32);
    SpentTokenKey key = SpentTokenKey.of(keyId, nonce);
    assertThat(key.bytes()).hasSize(32).isEqualTo(FileSpentTokens.hash(keyId, nonce));
    assertThat(key).isEqualTo(SpentTokenKey.of(keyId.clone(), nonce.clone()));
    assertThat(Arrays.equals(key.bytes(), nonce)).isFalse();
  }

  @Test
  @DisplayName("a full store refuses (503 upstream) and frees up once the keys' entries retire")
  void fullThenFreed() throws Exception {
    InMemorySpentTokens store = new InMemorySpentTokens(2, clock);
    byte[] keyId = bytes(32);
    assertThat(store.spend(keyId, bytes(32), retires)).isTrue();
    assertThat(store.spend(keyId, bytes(32), retires)).isTrue();
    assertThatThrownBy(() -> store.spend(keyId, bytes(32), retires))
        .isInstanceOf(InMemorySpentTokens.FullException.class);
    assertThat(store.probe().failed()).isTrue();
    clock.now = retires.plusSeconds(2);
    assertThat(store.probe().succeeded()).isTrue();
    assertThat(store.spend(keyId, bytes(32), clock.now.plusSeconds(60))).isTrue();
  }
}
