package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
  @TempDir Path dir;

  @Test
  @DisplayName("a secret is written once, with a newline, owner-only, its directories created")
  void createSecret_writesOwnerOnlyAndCreatesDirectories() throws Exception {
    Path file = dir.resolve("a/b/log.skey");
    KeyFiles.createSecret(file, "PRIVATE+KEY+k+00000000+AQ==");
    assertThat(Files.readString(file)).isEqualTo("PRIVATE+KEY+k+00000000+AQ==\n");
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(Files.getPosixFilePermissions(file))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
  }

  @Test
  @DisplayName("an existing file is never overwritten")
  void createSecret_refusesAnExistingFile() throws Exception {
    Path file = dir.resolve("k.skey");
    Files.writeString(file, "old\n");
    assertThatThrownBy(() -> KeyFiles.createSecret(file, "new"))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("old\n");
  }

  @Test
  @DisplayName("read-or-create makes the key once and reads it back after")
  void readOrCreateSecret_createsOnceThenReads() throws Exception {
    Path file = dir.resolve("publisher.skey");
    AtomicInteger made = new AtomicInteger();
    assertThat(KeyFiles.readOrCreateSecret(file, () -> "key" + made.incrementAndGet()))
        .isEqualTo("key1");
    assertThat(KeyFiles.readOrCreateSecret(file, () -> "key" + made.incrementAndGet()))
        .isEqualTo("key1");
    assertThat(made).hasValue(1);
    assertThat(Files.readString(file)).isEqualTo("key1\n");
  }
}
