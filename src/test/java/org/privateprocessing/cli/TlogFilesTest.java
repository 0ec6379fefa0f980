package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlogFilesTest {
  @Test
  void writeSecret_writesOnceAndRefusesToOverwriteAKey(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("keys/witness.skey");
    TlogFiles.writeSecret(key, "PRIVATE+KEY+w+00000000+BA==");
    assertThat(TlogFiles.readKey(key, "--key")).isEqualTo("PRIVATE+KEY+w+00000000+BA==");
    assertThatThrownBy(() -> TlogFiles.writeSecret(key, "other"))
        .isInstanceOf(IOException.class)
        .hasMessage(key + " exists; refusing to overwrite a key");
    assertThat(Files.readString(key)).isEqualTo("PRIVATE+KEY+w+00000000+BA==\n");
  }
}
