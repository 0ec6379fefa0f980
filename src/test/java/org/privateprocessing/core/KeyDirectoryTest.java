package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.KeyDirectory.KeyFile;

class KeyDirectoryTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant T = Instant.parse("2026-12-03T00:00:00Z");

  @TempDir Path tmp;

  private KeyDirectory dir() {
    return new KeyDirectory(tmp.resolve("keys"), Set.of("ohttp-x25519"));
  }

  private static KeyFile key(long id, byte secret) {
    byte[] s = new byte[32];
    java.util.Arrays.fill(s, secret);
    return new KeyFile(
        "ohttp-x25519", id, T, T, T.plusSeconds(3600), List.of(s), List.of(new byte[] {9}));
  }

  @Test
  @DisplayName("a key file is written owner-only in an owner-only directory and reads back equal")
  void writesOwnerOnlyAndReadsBack() throws Exception {
    KeyDirectory d = dir();
    assertThat(d.create(key(3, (byte) 1), RANDOM)).isTrue();
    Path file = tmp.resolve("keys/ohttp-x25519-3.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    List<KeyFile> all = d.readAll();
    assertThat(all).hasSize(1);
    assertThat(all.get(0).encode()).isEqualTo(key(3, (byte) 1).encode());
    assertThat(all.get(0).toString()).doesNotContain("AQEB");
    try (var list = Files.list(file.getParent())) {
      assertThat(list.map(p -> p.getFileName().toString()).toList())
          .as("no temporary file is left")
          .containsExactly("ohttp-x25519-3.key");
    }
  }

  @Test
  @DisplayName(
      "a key is never overwritten: a second key of the same name loses and reads the first")
  void neverOverwrites() throws Exception {
    KeyDirectory d = dir();
    assertThat(d.create(key(3, (byte) 1), RANDOM)).isTrue();
    assertThat(d.create(key(3, (byte) 2), RANDOM)).isFalse();
    assertThat(d.readAll().get(0).secrets().get(0)[0]).isEqualTo((byte) 1);
  }

  @Test
  @DisplayName("a world-readable key file is refused with the exact chmod fix, and left as it is")
  void worldReadableRefused() throws Exception {
    KeyDirectory d = dir();
    d.create(key(3, (byte) 1), RANDOM);
    Path file = tmp.resolve("keys/ohttp-x25519-3.key");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(d::readAll)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("chmod 600 " + file)
        .hasMessageContaining("rw-r--r--");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  @DisplayName("a truncated key file is refused naming the file and what is missing")
  void truncatedRefused() throws Exception {
    KeyDirectory d = dir();
    d.create(key(3, (byte) 1), RANDOM);
    Path file = tmp.resolve("keys/ohttp-x25519-3.key");
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
    byte[] cut = Files.readAllBytes(file);
    assertThatThrownBy(d::readAll)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("damaged")
        .hasMessageContaining("restore it from your key backup")
        .hasMessageContaining("nothing was changed");
    assertThat(Files.readAllBytes(file)).isEqualTo(cut);
  }

  @Test
  @DisplayName("a key of another type is refused: it does not belong in this directory")
  void wrongTypeRefused() throws Exception {
    new KeyDirectory(tmp.resolve("keys"), Set.of("issuer-voprf-p384"))
        .create(
            new KeyFile(
                "issuer-voprf-p384", 5, T, T, T.plusSeconds(60), List.of(new byte[48]), List.of()),
            RANDOM);
    assertThatThrownBy(dir()::readAll)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("issuer-voprf-p384-5.key")
        .hasMessageContaining("does not belong in");
  }

  @Test
  @DisplayName("a file that is not a key file, or cannot be read as one, is refused by name")
  void garbageAndUnreadableRefused() throws Exception {
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    Path garbage = keys.resolve("ohttp-x25519-1.key");
    Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\n");
    Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(dir()::readAll)
        .hasMessageContaining(garbage.toString())
        .hasMessageContaining("not a key file");
    Files.delete(garbage);
    Path notAFile = Files.createDirectory(keys.resolve("ohttp-x25519-2.key"));
    Files.setPosixFilePermissions(notAFile, PosixFilePermissions.fromString("rwx------"));
    assertThatThrownBy(dir()::readAll)
        .hasMessageContaining(notAFile.toString())
        .hasMessageContaining("not a regular file");
  }

  @Test
  @DisplayName("a key file renamed to another key's name is refused")
  void renamedRefused() throws Exception {
    KeyDirectory d = dir();
    d.create(key(3, (byte) 1), RANDOM);
    Files.move(tmp.resolve("keys/ohttp-x25519-3.key"), tmp.resolve("keys/ohttp-x25519-4.key"));
    assertThatThrownBy(d::readAll).hasMessageContaining("rename it to ohttp-x25519-3.key");
  }

  @Test
  @DisplayName("no directory yet means no keys; a deleted key's file is gone")
  void emptyAndDelete() throws Exception {
    KeyDirectory d = dir();
    assertThat(d.readAll()).isEmpty();
    d.create(key(3, (byte) 1), RANDOM);
    d.delete(key(3, (byte) 1));
    d.delete(key(3, (byte) 1));
    assertThat(d.readAll()).isEmpty();
  }

  @Test
  @DisplayName(
      "replicas in two processes take turns: while one holds the directory the other waits, and a holder killed with kill -9 lets go")
  void anotherProcessWaitsForTheHolder() throws Exception {
    Path keys = tmp.resolve("keys");
    Path held = tmp.resolve("held");
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                KeyDirectoryHolder.class.getName(),
                keys.toString(),
                held.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("holder.log").toFile())
            .start();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      long deadline = System.currentTimeMillis() + 60_000;
      while (!Files.exists(held)) {
        assertThat(holder.isAlive()).as("the holder runs").isTrue();
        assertThat(System.currentTimeMillis()).as("the holder holds in time").isLessThan(deadline);
        Thread.sleep(50);
      }
      java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.Future<Boolean> made =
          pool.submit(
              () ->
                  dir()
                      .exclusive(
                          () -> {
                            entered.countDown();
                            return dir().create(key(5, (byte) 5), RANDOM);
                          }));
      assertThat(entered.await(1, java.util.concurrent.TimeUnit.SECONDS))
          .as("no turn while the other process holds the directory")
          .isFalse();
      holder.destroyForcibly();
      assertThat(holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(made.get(30, java.util.concurrent.TimeUnit.SECONDS))
          .as("the turn comes once the holder is gone")
          .isTrue();
      assertThat(dir().readAll()).hasSize(1);
    } finally {
      holder.destroyForcibly();
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName(
      "a lock file that cannot be opened refuses the turn, naming the file and the fix, and runs nothing")
  void unopenableLockRefuses() throws Exception {
    Files.createDirectories(tmp.resolve("keys").resolve(KeyDirectory.LOCK_FILE));
    boolean[] ran = {false};
    assertThatThrownBy(
            () ->
                dir()
                    .exclusive(
                        () -> {
                          ran[0] = true;
                          return null;
                        }))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining(tmp.resolve("keys").resolve(KeyDirectory.LOCK_FILE).toString())
        .hasMessageContaining("makeKeys");
    assertThat(ran[0]).isFalse();
  }
}
