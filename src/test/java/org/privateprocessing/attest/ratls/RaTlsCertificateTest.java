package org.privateprocessing.attest.ratls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.privateprocessing.attest.ratls.RaTlsFixtures.NOW;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
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
import org.privateprocessing.attest.EnclaveEvidence;

class RaTlsCertificateTest {
  private static KeyPair key;
  private static EnclaveEvidence evidence;

  @BeforeAll
  static void produce() {
    key = RaTlsFixtures.p256();
    evidence = RaTlsFixtures.evidence(key);
  }

  @Test
  @DisplayName("the evidence comes back out of the certificate byte for byte")
  void evidenceRoundTrips() throws Exception {
    X509Certificate cert = RaTlsCertificate.create(key, evidence, NOW, Duration.ofHours(6));
    assertThat(RaTlsCertificate.evidenceOf(cert).encode()).isEqualTo(evidence.encode());
    assertThat(RaTlsCertificate.evidenceOf(cert)).isEqualTo(evidence);
  }

  @Test
  @DisplayName(
      "the certificate is self-signed with SHA256withECDSA, names localhost and 127.0.0.1, and is valid from a minute before now")
  void certificateShape() throws Exception {
    X509Certificate cert = RaTlsCertificate.create(key, evidence, NOW, Duration.ofHours(6));
    cert.verify(key.getPublic());
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(cert.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
    assertThat(cert.getSubjectX500Principal().getName()).contains("private-processing enclave");
    assertThat(cert.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(1)));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(6)));
    assertThat(cert.getNonCriticalExtensionOIDs()).contains(RaTlsCertificate.EVIDENCE_OID);
    assertThat(cert.getCriticalExtensionOIDs()).doesNotContain(RaTlsCertificate.EVIDENCE_OID);
  }

  @Test
  @DisplayName("the OID is in the X.667 UUID arc")
  void oidIsUuidArc() {
    assertThat(RaTlsCertificate.EVIDENCE_OID).startsWith("2.25.");
    assertThat(new BigInteger(RaTlsCertificate.EVIDENCE_OID.substring(5)).bitLength())
        .isLessThanOrEqualTo(128);
  }

  @Test
  @DisplayName("a certificate cannot be created for evidence that binds another TLS key")
  void refusesEvidenceOfAnotherKey() {
    KeyPair other = RaTlsFixtures.p256();
    assertThatThrownBy(() -> RaTlsCertificate.create(other, evidence, NOW, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another TLS key");
  }

  @Test
  @DisplayName("a TLS key that is not EC P-256 is refused")
  void refusesOtherCurves() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair p384 = g.generateKeyPair();
    assertThatThrownBy(() -> RaTlsCertificate.create(p384, evidence, NOW, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("P-256");
  }

  @Test
  @DisplayName("a zero validity is refused")
  void refusesZeroValidity() {
    assertThatThrownBy(() -> RaTlsCertificate.create(key, evidence, NOW, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a certificate without the extension is refused, naming the missing extension")
  void missingExtension() throws Exception {
    X509Certificate plain = selfSigned(key, null, false);
    assertThatThrownBy(() -> RaTlsCertificate.evidenceOf(plain))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("no RA-TLS evidence extension");
  }

  @Test
  @DisplayName("an extension holding garbage is refused as unreadable evidence")
  void garbledExtension() {
    X509Certificate cert =
        RaTlsCertificate.build(
            key, new byte[] {0x30, 0x03, 0x02, 0x01, 0x07}, NOW, Duration.ofHours(1));
    assertThatThrownBy(() -> RaTlsCertificate.evidenceOf(cert))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("cannot be read");
  }

  @Test
  @DisplayName("evidence with one byte cut off is refused as unreadable")
  void truncatedEvidence() {
    byte[] der = evidence.encode();
    byte[] cut = java.util.Arrays.copyOf(der, der.length - 1);
    X509Certificate cert = RaTlsCertificate.build(key, cut, NOW, Duration.ofHours(1));
    assertThatThrownBy(() -> RaTlsCertificate.evidenceOf(cert))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("cannot be read");
  }

  @Test
  @DisplayName("a critical evidence extension is refused")
  void criticalExtension() throws Exception {
    X509Certificate cert = selfSigned(key, evidence.encode(), true);
    assertThatThrownBy(() -> RaTlsCertificate.evidenceOf(cert))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("must not be critical");
  }

  /** A self-signed certificate with the evidence extension as given (none when null). */
  static X509Certificate selfSigned(KeyPair key, byte[] extension, boolean critical)
      throws Exception {
    X500Principal name = new X500Principal("CN=test");
    var b =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.TEN,
            Date.from(NOW.minusSeconds(60)),
            Date.from(NOW.plus(Duration.ofDays(1))),
            name,
            key.getPublic());
    if (extension != null) {
      b.addExtension(new ASN1ObjectIdentifier(RaTlsCertificate.EVIDENCE_OID), critical, extension);
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
  }
}
