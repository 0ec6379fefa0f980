package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class BuildInfoTest {
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path dir;

  public static Manifest manifest(String version, String commit, String timestamp) {
    Manifest m = new Manifest();
    Attributes a = m.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (version != null) {
      a.putValue(BuildInfo.VERSION, version);
    }
    if (commit != null) {
      a.putValue(BuildInfo.COMMIT, commit);
    }
    if (timestamp != null) {
      a.putValue(BuildInfo.TIMESTAMP, timestamp);
    }
    return m;
  }

  /** A jar with only this manifest, as the build would write it. */
  public static Path jar(Path dir, Manifest manifest) throws IOException {
    Path jar = Files.createTempFile(dir, "app", ".jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j =
            manifest == null ? new JarOutputStream(out) : new JarOutputStream(out, manifest)) {
      j.putNextEntry(new java.util.jar.JarEntry("x.txt"));
      j.write('x');
    }
    return jar;
  }

  @Test
  @DisplayName("version, commit and build time come from the jar's manifest")
  void readsTheManifest() throws Exception {
    BuildInfo b = BuildInfo.of(jar(dir, manifest("1.2.0", COMMIT, "2026-11-24T00:00:00Z")));
    assertThat(b)
        .isEqualTo(new BuildInfo("1.2.0", COMMIT, Instant.parse("2026-11-24T00:00:00Z"), false));
    assertThat(b.describe()).isEqualTo("1.2.0 (commit " + COMMIT + ", built 2026-11-24T00:00:00Z)");
    assertThat(BuildInfo.of(manifest("1", COMMIT + "-dirty", null), "x").sourceCommit())
        .isEqualTo(COMMIT + "-dirty");
  }

  @Test
  @DisplayName("a commit that is not 40 hex digits (a build outside git) is 'unknown'")
  void unknownCommit() throws Exception {
    for (String commit : new String[] {"unknown", "${git.commit}", "abc", null}) {
      BuildInfo b = BuildInfo.of(manifest("1", commit, "2026-11-24T00:00:00Z"), "x");
      assertThat(b.sourceCommit()).isEqualTo(BuildInfo.UNKNOWN_COMMIT);
      assertThat(b.describe()).contains("commit unknown: built outside a git checkout");
    }
  }

  @Test
  @DisplayName(
      "classes in a directory, or a jar the build did not describe, are a development build")
  void developmentBuild() throws Exception {
    assertThat(BuildInfo.of(dir).development()).isTrue();
    assertThat(BuildInfo.of(jar(dir, null)).development()).isTrue();
    assertThat(BuildInfo.of(jar(dir, manifest(null, COMMIT, null))).version())
        .isEqualTo(BuildInfo.DEV_VERSION);
    // Tests run from target/classes.
    assertThat(BuildInfo.running().development()).isTrue();
    assertThat(BuildInfo.running().describe()).startsWith("development build");
  }

  @Test
  @DisplayName("a build timestamp that is not an instant is refused, naming the jar and attribute")
  void badTimestamp() throws Exception {
    Path jar = jar(dir, manifest("1", COMMIT, "yesterday"));
    assertThatThrownBy(() -> BuildInfo.of(jar))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(jar.toString())
        .hasMessageContaining("Build-Timestamp 'yesterday'");
    Path notAJar = Files.writeString(dir.resolve("not.jar"), "text");
    assertThatThrownBy(() -> BuildInfo.of(notAJar)).isInstanceOf(IOException.class);
  }
}
