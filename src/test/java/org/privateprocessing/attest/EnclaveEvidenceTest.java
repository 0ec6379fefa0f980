package org.privateprocessing.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EnclaveEvidenceTest {
  /** Whole seconds, now: the shared simulated VCEK is valid from an hour before its creation. */
  static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  static KeyPair tls;
  static EnclaveEvidence evidence;

  @BeforeAll
  static void produce() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    tls = g.generateKeyPair();
    evidence =
        EnclaveEvidence.produce(
            SimulatedSnpProviderTest.provider(),
            SimulatedSnpProviderTest.KEYS,
            tls.getPublic(),
            NOW.plusMillis(700));
  }

  static AttestationPolicy policy() {
    return AttestationPolicy.requireMeasurements(List.of(SimulatedSnpProviderTest.MEASUREMENT))
        .withMaxEvidenceAge(Duration.ofMinutes(5));
  }

  @Test
  @DisplayName(
      "evidence binds its keys and time, encodes and parses back to the same bytes, and verifies")
  void roundTripAndVerify() throws Exception {
    assertThat(evidence.producedAt()).isEqualTo(NOW);
    byte[] der = evidence.encode();
    EnclaveEvidence parsed = EnclaveEvidence.parse(der);
    assertThat(parsed.encode()).isEqualTo(der);
    assertThat(parsed).isEqualTo(evidence);
    assertThat(parsed.tlsSpki()).isEqualTo(tls.getPublic().getEncoded());
    assertThat(parsed.verify(policy(), NOW.plusSeconds(60), SimulatedSnpProviderTest.trusted()))
        .isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  @DisplayName(
      "stale evidence, evidence from the future, an untrusted simulated root and another measurement are refused")
  void refusals() {
    SimulatedSnpProviderTest.refused(
        evidence.verify(
            policy(), NOW.plus(Duration.ofMinutes(6)), SimulatedSnpProviderTest.trusted()),
        Check.FRESHNESS);
    SimulatedSnpProviderTest.refused(
        evidence.verify(policy(), NOW.minusSeconds(5), SimulatedSnpProviderTest.trusted()),
        Check.FRESHNESS);
    SimulatedSnpProviderTest.refused(
        evidence.verify(policy(), NOW, TrustAnchors.amdOnly()), Check.SIMULATED_ROOT);
    SimulatedSnpProviderTest.refused(
        evidence.verify(
            AttestationPolicy.requireMeasurements(List.of(new byte[48])),
            NOW,
            SimulatedSnpProviderTest.trusted()),
        Check.MEASUREMENT);
  }

  @Test
  @DisplayName("swapping the key configs, the TLS key or the time breaks the REPORT_DATA binding")
  void bindingBreaks() {
    EnclaveEvidence otherKeys =
        new EnclaveEvidence(
            evidence.report(),
            evidence.chain(),
            new byte[] {0, 1, 2},
            evidence.tlsSpki(),
            evidence.producedAt());
    EnclaveEvidence otherTls =
        new EnclaveEvidence(
            evidence.report(),
            evidence.chain(),
            evidence.keyConfigs(),
            new byte[] {0x30, 0},
            evidence.producedAt());
    EnclaveEvidence otherTime =
        new EnclaveEvidence(
            evidence.report(),
            evidence.chain(),
            evidence.keyConfigs(),
            evidence.tlsSpki(),
            evidence.producedAt().plusSeconds(1));
    for (EnclaveEvidence e : List.of(otherKeys, otherTls, otherTime)) {
      SimulatedSnpProviderTest.refused(
          e.verify(policy(), NOW.plusSeconds(2), SimulatedSnpProviderTest.trusted()),
          Check.REPORT_DATA);
    }
  }

  @Test
  @DisplayName(
      "a flipped byte anywhere in the encoded evidence is refused: unreadable, or a named check fails")
  void everyFlippedByteIsRefused() {
    byte[] der = evidence.encode();
    for (int i = 0; i < der.length; i++) {
      byte[] bad = der.clone();
      bad[i] ^= 0x01;
      Verdict v;
      try {
        v =
            EnclaveEvidence.parse(bad)
                .verify(policy(), NOW.plusSeconds(1), SimulatedSnpProviderTest.trusted());
      } catch (EvidenceFormatException e) {
        continue;
      }
      assertThat(v).as("flip at " + i).isInstanceOf(Verdict.Refused.class);
    }
  }

  @Test
  @DisplayName(
      "truncated, oversized, trailing-garbage and wrong-version bundles fail to parse with a named reason")
  void malformed() {
    byte[] der = evidence.encode();
    assertThatThrownBy(() -> EnclaveEvidence.parse(java.util.Arrays.copyOf(der, der.length - 1)))
        .isInstanceOf(EvidenceFormatException.class);
    byte[] trailing = java.util.Arrays.copyOf(der, der.length + 1);
    assertThatThrownBy(() -> EnclaveEvidence.parse(trailing)).hasMessageContaining("MALFORMED");
    assertThatThrownBy(() -> EnclaveEvidence.parse(new byte[EnclaveEvidence.MAX_ENCODED + 1]))
        .hasMessageContaining("OVERSIZED");
    assertThatThrownBy(() -> EnclaveEvidence.parse(new byte[0])).hasMessageContaining("MALFORMED");
    byte[] v2 = der.clone();
    // SEQUENCE header (4 bytes for this length), then INTEGER 02 01 01: the version byte.
    int at = 2 + (der[1] & 0x7f) + 2;
    assertThat(v2[at]).isEqualTo((byte) 1);
    v2[at] = 2;
    assertThatThrownBy(() -> EnclaveEvidence.parse(v2)).hasMessageContaining("UNSUPPORTED_VERSION");
  }
}
