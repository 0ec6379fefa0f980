package org.privateprocessing.attest.ratls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.EvidenceFormatException;

/**
 * The enclave's RA-TLS certificate: self-signed by the enclave's TLS key and carrying the {@link
 * EnclaveEvidence} that binds that key, so a client learns what it talks to from the handshake
 * itself (docs/RA-TLS.md).
 *
 * <p>The evidence travels in a non-critical extension {@link #EVIDENCE_OID} whose {@code extnValue}
 * OCTET STRING holds the {@code EnclaveEvidence} DER directly (no further wrapping). Non-critical,
 * because a TLS stack that does not know the OID must still be able to parse the certificate; a
 * client that does not verify the extension has no reason to trust a self-signed certificate
 * anyway.
 */
public final class RaTlsCertificate {
  /**
   * {@code 2.25.50454206554524194807671616116584673339}: the OID of the evidence extension, in the
   * UUID arc of ITU-T X.667 (UUID 25f52070-e080-4eaf-adcc-a12333f0f03b, generated once for this
   * project), which needs no registration and cannot collide with anyone else's.
   */
  public static final String EVIDENCE_OID = "2.25.50454206554524194807671616116584673339";

  /** Subject and issuer of every RA-TLS certificate: the name says nothing, the evidence does. */
  public static final String SUBJECT = "CN=private-processing enclave, O=Private Processing";

  private static final ASN1ObjectIdentifier OID = new ASN1ObjectIdentifier(EVIDENCE_OID);
  private static final SecureRandom RANDOM = new SecureRandom();

  private RaTlsCertificate() {}

  /**
   * A certificate for {@code tlsKey} (EC P-256), valid from a minute before {@code now} (clock
   * skew) until {@code now + validity}, carrying {@code evidence}.
   *
   * @throws IllegalArgumentException if the evidence binds another TLS key, or the key is not EC
   *     P-256
   */
  public static X509Certificate create(
      KeyPair tlsKey, EnclaveEvidence evidence, Instant now, Duration validity) {
    Objects.requireNonNull(tlsKey, "tlsKey");
    Objects.requireNonNull(evidence, "evidence");
    if (!(tlsKey.getPublic() instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new IllegalArgumentException("the RA-TLS key must be EC P-256");
    }
    if (!Arrays.equals(evidence.tlsSpki(), tlsKey.getPublic().getEncoded())) {
      throw new IllegalArgumentException("the evidence binds another TLS key than the one given");
    }
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive");
    }
    return build(tlsKey, evidence.encode(), now, validity);
  }

  /**
   * Builds without checking the binding: only for tests that must present a certificate whose key
   * the evidence does not bind, to show that clients refuse it.
   */
  static X509Certificate build(
      KeyPair tlsKey, byte[] extensionValue, Instant now, Duration validity) {
    X500Principal name = new X500Principal(SUBJECT);
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(127, RANDOM).add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofMinutes(1))),
              Date.from(now.plus(validity)),
              name,
              tlsKey.getPublic());
      GeneralNames san =
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              });
      b.addExtension(Extension.subjectAlternativeName, false, san);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      // The byte[] overload puts the value into extnValue as is: the evidence DER, not re-wrapped.
      b.addExtension(OID, false, extensionValue);
      var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(tlsKey.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build the RA-TLS certificate", e);
    }
  }

  /**
   * The evidence a certificate carries, parsed but NOT verified ({@link RaTlsTrustManager}
   * verifies).
   *
   * @throws CertificateException naming why: extension missing, marked critical, or not evidence
   *     DER
   */
  public static EnclaveEvidence evidenceOf(X509Certificate cert) throws CertificateException {
    byte[] wrapped = cert.getExtensionValue(EVIDENCE_OID);
    if (wrapped == null) {
      throw new CertificateException(
          "the certificate has no RA-TLS evidence extension " + EVIDENCE_OID);
    }
    if (cert.getCriticalExtensionOIDs() != null
        && cert.getCriticalExtensionOIDs().contains(EVIDENCE_OID)) {
      throw new CertificateException("the RA-TLS evidence extension must not be critical");
    }
    byte[] der;
    try {
      // getExtensionValue returns the DER of the extnValue OCTET STRING; its content is the
      // evidence.
      ASN1Primitive p = ASN1Primitive.fromByteArray(wrapped);
      if (!Arrays.equals(p.getEncoded(ASN1Encoding.DER), wrapped)) {
        throw new CertificateException("the RA-TLS evidence extension is not in DER");
      }
      der = ASN1OctetString.getInstance(p).getOctets();
    } catch (IOException | IllegalArgumentException e) {
      throw new CertificateException("the RA-TLS evidence extension is not an OCTET STRING");
    }
    try {
      return EnclaveEvidence.parse(der);
    } catch (EvidenceFormatException e) {
      throw new CertificateException(
          "the RA-TLS evidence extension cannot be read: " + e.getMessage());
    }
  }
}
