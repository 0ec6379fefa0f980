package org.privateprocessing.attest.ratls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.privateprocessing.attest.AttestationException;
import org.privateprocessing.attest.AttestationPolicy;
import org.privateprocessing.attest.AttestationProvider;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.SimulatedSnpProvider;
import org.privateprocessing.attest.TrustAnchors;

/**
 * Shared by the RA-TLS tests here and in {@code pipeline}: one simulated AMD hierarchy for the
 * whole test JVM (its two RSA-4096 keys take seconds), P-256 TLS keys, and certificates good and
 * bad.
 */
public final class RaTlsFixtures {
  public static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  public static final byte[] KEY_CONFIGS =
      "inner key configs (RFC 9540 bytes in production)".getBytes();

  private static SimulatedSnpProvider provider;

  private RaTlsFixtures() {}

  /** The one simulated provider, created on first use. */
  public static synchronized SimulatedSnpProvider provider() {
    if (provider == null) {
      byte[] measurement = SimulatedSnpProvider.measure("enclave launch image".getBytes());
      provider =
          new SimulatedSnpProvider(measurement, new SecureRandom(), NOW.minus(Duration.ofDays(1)));
    }
    return provider;
  }

  public static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a client requires in these tests: the provider's measurement, evidence at most 10 minutes
   * old.
   */
  public static AttestationPolicy policy() {
    return AttestationPolicy.requireMeasurements(List.of(provider().measurement()))
        .withMaxEvidenceAge(Duration.ofMinutes(10));
  }

  public static TrustAnchors anchors() {
    return TrustAnchors.trustSimulatedRoot(provider().ark());
  }

  public static EnclaveEvidence evidence(KeyPair tlsKey) {
    return evidence(provider(), tlsKey);
  }

  public static EnclaveEvidence evidence(AttestationProvider from, KeyPair tlsKey) {
    try {
      return EnclaveEvidence.produce(from, KEY_CONFIGS, tlsKey.getPublic(), NOW);
    } catch (AttestationException e) {
      throw new IllegalStateException(e);
    }
  }

  public static X509Certificate certificate(KeyPair tlsKey, EnclaveEvidence evidence) {
    return RaTlsCertificate.create(tlsKey, evidence, NOW, Duration.ofDays(1));
  }

  /**
   * A certificate for {@code tlsKey} carrying evidence that binds another key, which create()
   * refuses.
   */
  public static X509Certificate mismatched(KeyPair tlsKey, EnclaveEvidence evidenceOfAnotherKey) {
    return RaTlsCertificate.build(tlsKey, evidenceOfAnotherKey.encode(), NOW, Duration.ofDays(1));
  }

  /** The evidence with one byte of its report flipped (inside the signed MEASUREMENT). */
  public static EnclaveEvidence tampered(EnclaveEvidence e) {
    byte[] report = e.report();
    report[0x90] ^= 0x01;
    return new EnclaveEvidence(report, e.chain(), e.keyConfigs(), e.tlsSpki(), e.producedAt());
  }
}
