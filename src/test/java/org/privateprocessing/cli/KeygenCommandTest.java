package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.tlog.CosignatureSigner;
import org.privateprocessing.tlog.PublisherKeys;

/** {@code release keygen} and {@code witness keygen}, run as a shell would. */
class KeygenCommandTest {
  @Test
  @DisplayName("release keygen writes an owner-only signing key and prints its verifier key")
  void releaseKeygen_writesTheSigningKeyAndPrintsItsVerifierKey(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("publisher.skey");
    CliCapture.Run run = CliCapture.run("release", "keygen", "--out", out.toString());
    assertThat(run.exit()).isZero();
    PublisherKeys.Signer written = PublisherKeys.Signer.parse(TlogFiles.readKey(out, "--key"));
    assertThat(run.out()).isEqualTo(written.verifierKey() + System.lineSeparator());
    assertThat(written.verifierKey()).startsWith("release-publisher+");
    assertThat(run.err())
        .isEqualTo(
            "wrote the signing key to "
                + out
                + " (keep it secret); the line above is its verifier key"
                + System.lineSeparator());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-------");
  }

  @Test
  @DisplayName("witness keygen writes an owner-only cosigner key named --name")
  void witnessKeygen_writesTheCosignerKeyAndPrintsItsVerifierKey(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("witness.skey");
    CliCapture.Run run =
        CliCapture.run("witness", "keygen", "--name", "w1", "--out", out.toString());
    assertThat(run.exit()).isZero();
    CosignatureSigner written = CosignatureSigner.parse(TlogFiles.readKey(out, "--key"));
    assertThat(run.out()).isEqualTo(written.verifierKey() + System.lineSeparator());
    assertThat(written.verifierKey()).startsWith("w1+");
    assertThat(run.err()).startsWith("wrote the cosigner key to " + out + " (keep it secret)");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-------");
  }

  @Test
  @DisplayName("keygen onto an existing key file refuses, prints no key and leaves the file")
  void keygen_refusesToOverwriteAKey(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("publisher.skey");
    assertThat(CliCapture.run("release", "keygen", "--out", out.toString()).exit()).isZero();
    String before = Files.readString(out);
    for (String[] args :
        new String[][] {
          {"release", "keygen", "--out", out.toString()},
          {"witness", "keygen", "--name", "w1", "--out", out.toString()}
        }) {
      CliCapture.Run again = CliCapture.run(args);
      assertThat(again.exit()).isEqualTo(CliErrors.EXIT_FAILED);
      assertThat(again.out()).isEmpty();
      assertThat(again.err()).contains(out + " exists; refusing to overwrite a key");
      assertThat(Files.readString(out)).isEqualTo(before);
    }
  }

  @Test
  @DisplayName("keygen without --out is a usage error naming --out, and writes nothing")
  void keygen_withoutOut_isAUsageErrorNamingTheOption(@TempDir Path dir) {
    CliCapture.Run run = CliCapture.run("witness", "keygen", "--name", "w1");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--out");
    assertThat(run.out()).isEmpty();
  }
}
