package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.attest.AttestationPolicy;
import org.privateprocessing.attest.SimulatedSnpProvider;
import org.privateprocessing.attest.TrustAnchors;
import org.privateprocessing.attest.Verdict;

class SimulatedRootFileTest {
  @TempDir Path tmp;

  @Test
  @DisplayName(
      "the demo's simulated root is kept in the data directory: evidence after a restart checks against the root handed out before")
  void rootSurvivesRestart() throws Exception {
    SecureRandom random = new SecureRandom();
    Instant now = Instant.now();
    Path dir = tmp.resolve("simulated-root");
    SimulatedSnpProvider.Root first = SimulatedRootFile.readOrCreate(dir, random, now);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("simulated-amd-root-0.key"))))
        .isEqualTo("rw-------");
    SimulatedSnpProvider.Root again = SimulatedRootFile.readOrCreate(dir, random, now);
    assertThat(again.ark().getEncoded()).isEqualTo(first.ark().getEncoded());

    // A chip made "after the restart" is trusted by a verifier that pinned the first root.
    byte[] measurement = SimulatedSnpProvider.measure(new byte[] {1, 2, 3});
    SimulatedSnpProvider chip = new SimulatedSnpProvider(measurement, random, now, again);
    byte[] reportData = new byte[64];
    var evidence = chip.attest(reportData);
    AttestationPolicy policy =
        AttestationPolicy.requireMeasurements(java.util.List.of(measurement))
            .withVmpl(0)
            .withReportData(reportData);
    assertThat(evidence.verify(policy, now, TrustAnchors.trustSimulatedRoot(first.ark())))
        .isInstanceOf(Verdict.Accepted.class);
    // and one made under another root is not
    SimulatedSnpProvider stranger = new SimulatedSnpProvider(measurement, random, now);
    assertThat(
            stranger
                .attest(reportData)
                .verify(policy, now, TrustAnchors.trustSimulatedRoot(first.ark())))
        .isNotInstanceOf(Verdict.Accepted.class);

    Path file = dir.resolve("simulated-amd-root-0.key");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> SimulatedRootFile.readOrCreate(dir, random, now))
        .hasMessageContaining("chmod 600 " + file);
  }
}
