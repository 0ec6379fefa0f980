package org.privateprocessing.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.RequestDecapsulator;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.tlog.LogEntry;

class GatewayKeySetTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration LIFETIME = Duration.ofHours(10);
  private static final Duration OVERLAP = Duration.ofHours(1);
  private static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");

  @TempDir Path tmp;

  private GatewayKeySet keySet() {
    return new GatewayKeySet(tmp.resolve("gateway-keys"), LIFETIME, OVERLAP, RANDOM);
  }

  private static byte[] sealTo(KeyConfig config) throws OhttpException {
    return RequestEncapsulator.encapsulate(config, "hello".getBytes(StandardCharsets.UTF_8), RANDOM)
        .bytes();
  }

  private static boolean opens(RequestDecapsulator keys, KeyConfig sealedTo) throws Exception {
    try {
      keys.decapsulate(sealTo(sealedTo));
      return true;
    } catch (OhttpException e) {
      assertThat(e.reason()).isEqualTo(OhttpException.Reason.UNKNOWN_KEY_ID);
      return false;
    }
  }

  private List<String> files() throws Exception {
    try (Stream<Path> s = Files.list(tmp.resolve("gateway-keys"))) {
      // The replicas' lock file stays; it holds no key.
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals(org.privateprocessing.core.KeyDirectory.LOCK_FILE))
          .sorted()
          .toList();
    }
  }

  @Test
  @DisplayName(
      "a fresh directory gets the current and the next generation; only the current is accepted")
  void firstStartMakesCurrentAndNext() throws Exception {
    GatewayKeySet.Snapshot s = keySet().refresh(T0);
    assertThat(files())
        .containsExactly(
            "ohttp-x25519-0.key", "ohttp-x25519-2.key", "ohttp-xwing-1.key", "ohttp-xwing-3.key");
    assertThat(s.listed()).extracting(KeyConfig::keyId).containsExactly(1, 0, 3, 2);
    assertThat(s.listed().get(0).kemId()).isEqualTo(HpkeIds.KEM_X_WING);
    assertThat(s.accepted().configs()).extracting(KeyConfig::keyId).containsOnly(0, 1);
    // The next generation is listed (and logged) ahead, but opens nothing before its not-before.
    assertThat(opens(s.accepted(), s.listed().get(0))).isTrue();
    assertThat(opens(s.accepted(), s.listed().get(2))).isFalse();
    assertThat(s.logEntries("gw")).hasSize(4);
  }

  @Test
  @DisplayName(
      "a restart with unchanged keys serves byte-identical key configs and log entries, writing nothing")
  void restartIsByteIdentical() throws Exception {
    GatewayKeySet.Snapshot before = keySet().refresh(T0);
    List<String> filesBefore = files();
    GatewayKeySet.Snapshot after = keySet().refresh(T0.plus(Duration.ofHours(3)));
    assertThat(after.listedBytes()).containsExactlyElementsOf(before.listedBytes());
    assertThat(after.logEntries("gw"))
        .extracting(LogEntry::encode)
        .containsExactlyElementsOf(before.logEntries("gw").stream().map(LogEntry::encode).toList());
    assertThat(files()).isEqualTo(filesBefore);
    // A second replica on the same directory serves the very same list.
    assertThat(keySet().load(T0.plusSeconds(5)).listedBytes())
        .containsExactlyElementsOf(before.listedBytes());
  }

  @Test
  @DisplayName(
      "rotation without a gap: both generations are accepted during the overlap, the retired one is refused after it")
  void rotationWithOverlap() throws Exception {
    GatewayKeySet keys = keySet();
    GatewayKeySet.Snapshot first = keys.refresh(T0);
    KeyConfig old = first.listed().get(0);
    KeyConfig next = first.listed().get(2);

    Instant switchAt = T0.plus(LIFETIME);
    GatewayKeySet.Snapshot overlap = keys.refresh(switchAt.plusSeconds(1));
    assertThat(overlap.listed().get(0).encode())
        .as("the next one is current now")
        .isEqualTo(next.encode());
    assertThat(overlap.listed()).hasSize(4).as("and a new next one is listed ahead");
    assertThat(opens(overlap.accepted(), old)).as("old key in the overlap").isTrue();
    assertThat(opens(overlap.accepted(), next)).isTrue();

    GatewayKeySet.Snapshot retired = keys.refresh(switchAt.plus(OVERLAP));
    assertThat(opens(retired.accepted(), old)).as("old key after the overlap").isFalse();
    assertThat(opens(retired.accepted(), next)).isTrue();
    assertThat(files()).doesNotContain("ohttp-x25519-0.key", "ohttp-xwing-1.key").hasSize(4);
  }

  @Test
  @DisplayName(
      "a retired generation's private keys are zeroed once the new keys are served; the keys still served stay intact")
  void retiredKeysAreZeroed() throws Exception {
    GatewayKeySet keys = keySet();
    GatewayKeySet.Snapshot first = keys.refresh(T0);
    GatewayIdentity identity = GatewayIdentity.durable(keys, first);
    KeyConfig old = first.listed().get(0);
    KeyConfig next = first.listed().get(2);
    byte[] sealedToOld = sealTo(old);
    assertThat(identity.decapsulate(sealedToOld).content()).isNotEmpty();

    Instant switchAt = T0.plus(LIFETIME);
    GatewayKeySet.Snapshot overlap = keys.refresh(switchAt.plusSeconds(1));
    identity.update(overlap);
    assertThat(first.accepted().isDestroyed()).as("still accepted in the overlap").isFalse();
    assertThat(identity.decapsulate(sealTo(old)).content()).isNotEmpty();

    GatewayKeySet.Snapshot after = keys.refresh(switchAt.plus(OVERLAP));
    assertThat(keys.retiredPending()).as("dropped, waiting for the swap").isEqualTo(2);
    identity.update(after);
    assertThat(keys.retiredPending()).isZero();
    assertThat(first.accepted().isDestroyed())
        .as("both keys of the retired generation (X25519 and X-Wing) read back as zeros")
        .isTrue();
    assertThat(after.accepted().isDestroyed()).isFalse();
    assertThat(identity.decapsulate(sealTo(next)).content()).isNotEmpty();
    assertThatThrownBy(() -> identity.decapsulate(sealedToOld))
        .isInstanceOf(OhttpException.class)
        .extracting(e -> ((OhttpException) e).reason())
        .isEqualTo(OhttpException.Reason.UNKNOWN_KEY_ID);
  }

  @Test
  @DisplayName(
      "a key file changed on disk (same name, other key): the old key is zeroed, the new one serves")
  void replacedKeyIsZeroed() throws Exception {
    GatewayKeySet keys = keySet();
    GatewayKeySet.Snapshot first = keys.refresh(T0);
    GatewayIdentity identity = GatewayIdentity.durable(keys, first);
    // Another host made the directory anew (an operator copied it over this one's).
    Path other = tmp.resolve("other");
    new GatewayKeySet(other, LIFETIME, OVERLAP, RANDOM).refresh(T0);
    try (Stream<Path> s = Files.list(other)) {
      for (Path f : s.toList()) {
        Files.write(tmp.resolve("gateway-keys").resolve(f.getFileName()), Files.readAllBytes(f));
      }
    }
    GatewayKeySet.Snapshot copied = keys.refresh(T0.plusSeconds(5));
    assertThat(copied.sameAs(first)).isFalse();
    identity.update(copied);
    assertThat(first.accepted().isDestroyed()).isTrue();
    assertThat(copied.accepted().isDestroyed()).isFalse();
    assertThat(identity.decapsulate(sealTo(copied.listed().get(0))).content()).isNotEmpty();
  }

  @Test
  @DisplayName("after a long outage a fresh current generation is made at once")
  void longOutage() throws Exception {
    keySet().refresh(T0);
    Instant later = T0.plus(Duration.ofDays(30));
    GatewayKeySet.Snapshot s = keySet().refresh(later);
    assertThat(opens(s.accepted(), s.listed().get(0))).isTrue();
    assertThat(s.accepted().configs()).hasSize(2);
    assertThat(files()).hasSize(4);
  }

  @Test
  @DisplayName(
      "a world-readable key file stops the gateway naming the file and the chmod; nothing is overwritten or added")
  void worldReadableStops() throws Exception {
    keySet().refresh(T0);
    Path file = tmp.resolve("gateway-keys/ohttp-xwing-1.key");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    byte[] before = Files.readAllBytes(file);
    List<String> filesBefore = files();
    assertThatThrownBy(() -> keySet().refresh(T0.plus(Duration.ofDays(30))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("chmod 600 " + file);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(files()).isEqualTo(filesBefore);
  }

  @Test
  @DisplayName("a key file whose secret has the wrong length is refused as damaged")
  void wrongSecretLength() throws Exception {
    keySet().refresh(T0);
    Path file = tmp.resolve("gateway-keys/ohttp-x25519-0.key");
    String text = Files.readString(file);
    String cut = text.replaceAll("secret: (\\S{8})\\S*", "secret: $1");
    Files.writeString(file, cut);
    assertThatThrownBy(() -> keySet().load(T0))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("32-byte key");
  }

  @Test
  @DisplayName(
      "a replica that does not make keys refuses to start without a copy, then serves the copied keys and writes nothing")
  void replicaThatDoesNotMakeKeys() throws Exception {
    Path copy = tmp.resolve("copy");
    GatewayKeySet follower = new GatewayKeySet(copy, LIFETIME, OVERLAP, RANDOM, false);
    assertThatThrownBy(() -> follower.refresh(T0))
        .hasMessageContaining("gateway.makeKeys is false")
        .hasMessageContaining(copy.toString());
    assertThat(Files.exists(copy)).isFalse();

    GatewayKeySet.Snapshot made = keySet().refresh(T0);
    Files.createDirectories(copy);
    for (String name : files()) {
      Files.copy(
          tmp.resolve("gateway-keys").resolve(name),
          copy.resolve(name),
          java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
    GatewayKeySet.Snapshot served = follower.refresh(T0.plus(LIFETIME).plusSeconds(1));
    assertThat(served.listed().get(0).encode()).isEqualTo(made.listed().get(2).encode());
    try (Stream<Path> s = Files.list(copy)) {
      assertThat(s.count()).as("it made no next generation of its own").isEqualTo(4);
    }
  }

  @Test
  @DisplayName(
      "two replicas starting at once on an empty directory make one key set and serve the same list (FleetFaultTest once saw a gateway flagged for a half-made generation)")
  void replicasStartingAtOnceServeOneList() throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 60; round++) {
        Path dir = tmp.resolve("race-" + round);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        List<java.util.concurrent.Future<GatewayKeySet.Snapshot>> started =
            new java.util.ArrayList<>();
        // One host's clock, a second further at every reading: the replica that reads it later
        // reads a later time, and sees the keys of the one before it as made in its past.
        java.util.concurrent.atomic.AtomicLong seconds =
            new java.util.concurrent.atomic.AtomicLong();
        java.time.Clock clock =
            new java.time.Clock() {
              @Override
              public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
              }

              @Override
              public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
              }

              @Override
              public Instant instant() {
                return T0.plusSeconds(seconds.getAndIncrement());
              }
            };
        for (int replica = 0; replica < 2; replica++) {
          started.add(
              pool.submit(
                  () -> {
                    GatewayKeySet set = new GatewayKeySet(dir, LIFETIME, OVERLAP, RANDOM);
                    start.await();
                    return set.refresh(clock);
                  }));
        }
        List<String> a = encoded(started.get(0).get().listed());
        List<String> b = encoded(started.get(1).get().listed());
        assertThat(a).as("round " + round + ": both replicas list the same keys").isEqualTo(b);
        assertThat(a).as("round " + round + ": two whole generations").hasSize(4);
        try (Stream<Path> s = Files.list(dir)) {
          assertThat(s.filter(p -> p.toString().endsWith(".key")).count())
              .as("round " + round + ": one key set made, not two")
              .isEqualTo(4);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> encoded(List<KeyConfig> configs) {
    return configs.stream().map(c -> java.util.HexFormat.of().formatHex(c.encode())).toList();
  }
}
