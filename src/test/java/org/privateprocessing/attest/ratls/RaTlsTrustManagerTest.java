package org.privateprocessing.attest.ratls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.privateprocessing.attest.ratls.RaTlsFixtures.NOW;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.attest.AttestationPolicy;
import org.privateprocessing.attest.Check;
import org.privateprocessing.attest.DebugGuests;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.TrustAnchors;

/**
 * Every step of the trust manager, without TLS; EnclaveTlsVerticleTest runs the same cases in real
 * handshakes.
 */
class RaTlsTrustManagerTest {
  private static KeyPair key;
  private static EnclaveEvidence evidence;
  private static X509Certificate good;

  @BeforeAll
  static void produce() {
    key = RaTlsFixtures.p256();
    evidence = RaTlsFixtures.evidence(key);
    good = RaTlsFixtures.certificate(key, evidence);
  }

  private static RaTlsTrustManager trustManager(
      AttestationPolicy policy, TrustAnchors anchors, Instant at) {
    return new RaTlsTrustManager(policy, anchors, Clock.fixed(at, ZoneOffset.UTC));
  }

  private static RaTlsTrustManager trustManager() {
    return trustManager(RaTlsFixtures.policy(), RaTlsFixtures.anchors(), NOW.plusSeconds(30));
  }

  private static RaTlsRefusal refusal(RaTlsTrustManager tm, X509Certificate... chain) {
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> tm.checkServerTrusted(chain, "ECDHE_ECDSA"));
    assertThat(t).isInstanceOf(RaTlsRefusal.class);
    assertThat(tm.lastRefusal()).containsSame((RaTlsRefusal) t);
    assertThat(tm.lastAccepted()).isEmpty();
    return (RaTlsRefusal) t;
  }

  @Test
  @DisplayName("valid evidence bound to the certificate's key is accepted and kept for the caller")
  void acceptsValidEvidence() throws Exception {
    RaTlsTrustManager tm = trustManager();
    tm.checkServerTrusted(new X509Certificate[] {good}, "ECDHE_ECDSA");
    assertThat(tm.lastAccepted())
        .hasValueSatisfying(
            a -> {
              assertThat(a.certificate()).isEqualTo(good);
              assertThat(a.evidence()).isEqualTo(evidence);
              assertThat(a.verdict().report().measurement())
                  .isEqualTo(RaTlsFixtures.provider().measurement());
            });
    assertThat(tm.lastRefusal()).isEmpty();
  }

  @Test
  @DisplayName("the Socket and SSLEngine overloads run the same checks")
  void allOverloadsVerify() throws Exception {
    RaTlsTrustManager tm = trustManager();
    tm.checkServerTrusted(new X509Certificate[] {good}, "ECDHE_ECDSA", (java.net.Socket) null);
    tm.checkServerTrusted(
        new X509Certificate[] {good}, "ECDHE_ECDSA", (javax.net.ssl.SSLEngine) null);
    RaTlsTrustManager other = trustManager(RaTlsFixtures.policy(), TrustAnchors.amdOnly(), NOW);
    assertThatThrownBy(
            () ->
                other.checkServerTrusted(new X509Certificate[] {good}, "x", (java.net.Socket) null))
        .isInstanceOf(RaTlsRefusal.class);
    assertThatThrownBy(
            () ->
                other.checkServerTrusted(
                    new X509Certificate[] {good}, "x", (javax.net.ssl.SSLEngine) null))
        .isInstanceOf(RaTlsRefusal.class);
  }

  @Test
  @DisplayName("no certificate, or a chain of two, is refused by CERTIFICATE_COUNT")
  void exactlyOneCertificate() {
    assertThat(refusal(trustManager()).step()).isEqualTo(RaTlsCheck.CERTIFICATE_COUNT);
    RaTlsRefusal two = refusal(trustManager(), good, good);
    assertThat(two.step()).isEqualTo(RaTlsCheck.CERTIFICATE_COUNT);
    assertThat(two).hasMessageStartingWith("RA-TLS: refused by CERTIFICATE_COUNT: ");
  }

  @Test
  @DisplayName(
      "an expired certificate is refused by CERTIFICATE_VALIDITY before the evidence is looked at")
  void expiredCertificate() {
    RaTlsRefusal r =
        refusal(
            trustManager(
                RaTlsFixtures.policy(), RaTlsFixtures.anchors(), NOW.plus(Duration.ofDays(2))),
            good);
    assertThat(r.step()).isEqualTo(RaTlsCheck.CERTIFICATE_VALIDITY);
  }

  @Test
  @DisplayName("a certificate not signed by its own key is refused by SELF_SIGNATURE")
  void foreignSignature() throws Exception {
    KeyPair signer = RaTlsFixtures.p256();
    X500Principal name = new X500Principal(RaTlsCertificate.SUBJECT);
    var b =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.TWO,
            Date.from(NOW.minusSeconds(60)),
            Date.from(NOW.plus(Duration.ofDays(1))),
            name,
            key.getPublic());
    b.addExtension(
        new ASN1ObjectIdentifier(RaTlsCertificate.EVIDENCE_OID), false, evidence.encode());
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    assertThat(refusal(trustManager(), cert).step()).isEqualTo(RaTlsCheck.SELF_SIGNATURE);
  }

  @Test
  @DisplayName("a certificate without evidence is refused by EVIDENCE_FORMAT")
  void noEvidence() throws Exception {
    X509Certificate plain = RaTlsCertificateTest.selfSigned(key, null, false);
    RaTlsRefusal r = refusal(trustManager(), plain);
    assertThat(r.step()).isEqualTo(RaTlsCheck.EVIDENCE_FORMAT);
    assertThat(r).hasMessageContaining("no RA-TLS evidence extension");
  }

  @Test
  @DisplayName("evidence for another TLS key is refused by TLS_KEY_BINDING")
  void evidenceOfAnotherKey() {
    KeyPair other = RaTlsFixtures.p256();
    X509Certificate cert = RaTlsFixtures.mismatched(other, evidence);
    assertThat(refusal(trustManager(), cert).step()).isEqualTo(RaTlsCheck.TLS_KEY_BINDING);
  }

  @Test
  @DisplayName(
      "evidence whose TLS key field was swapped for the certificate's key is refused by REPORT_DATA")
  void swappedKeyField() {
    KeyPair other = RaTlsFixtures.p256();
    EnclaveEvidence swapped =
        new EnclaveEvidence(
            evidence.report(),
            evidence.chain(),
            evidence.keyConfigs(),
            other.getPublic().getEncoded(),
            evidence.producedAt());
    RaTlsRefusal r = refusal(trustManager(), RaTlsFixtures.certificate(other, swapped));
    assertThat(r.step()).isEqualTo(RaTlsCheck.EVIDENCE);
    assertThat(r.evidenceCheck()).contains(Check.REPORT_DATA);
  }

  @Test
  @DisplayName("a flipped byte in the report is refused by REPORT_SIGNATURE")
  void tamperedReport() {
    RaTlsRefusal r =
        refusal(trustManager(), RaTlsFixtures.certificate(key, RaTlsFixtures.tampered(evidence)));
    assertThat(r.evidenceCheck()).contains(Check.REPORT_SIGNATURE);
    assertThat(r).hasMessageStartingWith("RA-TLS: refused by REPORT_SIGNATURE: ");
  }

  @Test
  @DisplayName("a guest that allows debugging is refused by DEBUG")
  void debugGuest() {
    KeyPair k = RaTlsFixtures.p256();
    EnclaveEvidence debug = RaTlsFixtures.evidence(DebugGuests.of(RaTlsFixtures.provider()), k);
    assertThat(refusal(trustManager(), RaTlsFixtures.certificate(k, debug)).evidenceCheck())
        .contains(Check.DEBUG);
  }

  @Test
  @DisplayName("a measurement the policy does not name is refused by MEASUREMENT")
  void unknownMeasurement() {
    AttestationPolicy other =
        AttestationPolicy.requireMeasurements(List.of(new byte[48]))
            .withMaxEvidenceAge(Duration.ofMinutes(10));
    RaTlsRefusal r = refusal(trustManager(other, RaTlsFixtures.anchors(), NOW), good);
    assertThat(r.evidenceCheck()).contains(Check.MEASUREMENT);
  }

  @Test
  @DisplayName("simulated evidence is refused by SIMULATED_ROOT when only AMD's roots are trusted")
  void untrustedRoot() {
    RaTlsRefusal r =
        refusal(trustManager(RaTlsFixtures.policy(), TrustAnchors.amdOnly(), NOW), good);
    assertThat(r.evidenceCheck()).contains(Check.SIMULATED_ROOT);
  }

  @Test
  @DisplayName("evidence older than the policy's maximum age is refused by FRESHNESS")
  void staleEvidence() {
    RaTlsRefusal r =
        refusal(
            trustManager(
                RaTlsFixtures.policy(), RaTlsFixtures.anchors(), NOW.plus(Duration.ofHours(2))),
            good);
    assertThat(r.evidenceCheck()).contains(Check.FRESHNESS);
  }

  @Test
  @DisplayName("a policy without a maximum evidence age cannot build a trust manager")
  void requiresFreshnessBound() {
    AttestationPolicy unbounded =
        AttestationPolicy.requireMeasurements(List.of(RaTlsFixtures.provider().measurement()));
    assertThatThrownBy(
            () -> new RaTlsTrustManager(unbounded, RaTlsFixtures.anchors(), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maximum evidence age");
  }

  @Test
  @DisplayName("clients are never trusted and no issuer is accepted")
  void serverSideOnly() {
    RaTlsTrustManager tm = trustManager();
    X509Certificate[] chain = {good};
    assertThatThrownBy(() -> tm.checkClientTrusted(chain, "x"))
        .isInstanceOf(CertificateException.class);
    assertThatThrownBy(() -> tm.checkClientTrusted(chain, "x", (java.net.Socket) null))
        .isInstanceOf(CertificateException.class);
    assertThatThrownBy(() -> tm.checkClientTrusted(chain, "x", (javax.net.ssl.SSLEngine) null))
        .isInstanceOf(CertificateException.class);
    assertThat(tm.getAcceptedIssuers()).isEmpty();
  }
}
