package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.BuildInfoTest;
import org.privateprocessing.tlog.LogEntry;

/** {@code release publish} writes the release entry the build describes, on every host alike. */
class ReleaseEntryTest {
  private static final String COMMIT = "89abcdef0123456789abcdef0123456789abcdef";
  private static final String MEASUREMENT = "ab".repeat(48);

  @TempDir Path dir;

  private Path builtJar() throws Exception {
    return BuildInfoTest.jar(dir, BuildInfoTest.manifest("0.1.0", COMMIT, "2026-11-24T00:00:00Z"));
  }

  @Test
  @DisplayName("two copies of one build (different file times) give byte-identical entries")
  void entryComesFromTheManifest() throws Exception {
    Path a = builtJar();
    Path b = builtJar();
    Files.setLastModifiedTime(
        b, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(99)));
    LogEntry.EnclaveRelease ra = ReleaseCommand.Publish.release(a, MEASUREMENT, null, null);
    LogEntry.EnclaveRelease rb = ReleaseCommand.Publish.release(b, MEASUREMENT, null, null);
    assertThat(ra)
        .isEqualTo(
            new LogEntry.EnclaveRelease(
                MEASUREMENT, "0.1.0", COMMIT, Instant.parse("2026-11-24T00:00:00Z")));
    assertThat(rb.encode()).isEqualTo(ra.encode());
    // Repeating what the manifest says is allowed.
    assertThat(ReleaseCommand.Publish.release(a, MEASUREMENT, "0.1.0", COMMIT)).isEqualTo(ra);
  }

  @Test
  @DisplayName("--commit or --release-version that contradict the manifest are refused")
  void contradictionsAreRefused() throws Exception {
    Path jar = builtJar();
    assertThatThrownBy(() -> ReleaseCommand.Publish.release(jar, MEASUREMENT, null, "f".repeat(40)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--commit " + "f".repeat(40) + " contradicts the jar's manifest")
        .hasMessageContaining(COMMIT);
    assertThatThrownBy(() -> ReleaseCommand.Publish.release(jar, MEASUREMENT, "9.9", null))
        .hasMessageContaining("--release-version 9.9 contradicts");
  }

  @Test
  @DisplayName("a jar built outside git takes --commit; without it the entry says unknown")
  void builtOutsideGit() throws Exception {
    Path jar =
        BuildInfoTest.jar(dir, BuildInfoTest.manifest("0.1.0", "unknown", "2026-11-24T00:00:00Z"));
    assertThat(ReleaseCommand.Publish.release(jar, MEASUREMENT, null, COMMIT).sourceCommit())
        .isEqualTo(COMMIT);
    assertThat(ReleaseCommand.Publish.release(jar, MEASUREMENT, null, null).sourceCommit())
        .isEqualTo("unknown");
  }
}
