package org.privateprocessing.attest;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** Reads X.509 certificates in DER or PEM, as AMD's KDS and the vectors ship them. */
public final class Certificates {
  private Certificates() {}

  /**
   * Parses one certificate, DER or PEM.
   *
   * @throws CertificateException if the bytes are not a certificate
   */
  public static X509Certificate parse(byte[] derOrPem) throws CertificateException {
    Objects.requireNonNull(derOrPem, "derOrPem");
    // The JDK factory accepts both encodings; the Milan VCEK's non-positive serial is tolerated.
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(derOrPem));
  }

  /**
   * Parses one DER certificate and refuses any encoding but the one canonical form. The JDK reader
   * is lenient in places that do not change what it verifies (for example the unused-bits octet of
   * the signature BIT STRING), so without this a flipped byte in evidence could go unnoticed.
   *
   * @throws CertificateException if the bytes are not exactly one certificate in canonical DER
   */
  public static X509Certificate parseStrictDer(byte[] der) throws CertificateException {
    Objects.requireNonNull(der, "der");
    try {
      org.bouncycastle.asn1.ASN1Primitive p =
          org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der);
      if (p == null
          || !java.util.Arrays.equals(p.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER), der)) {
        throw new CertificateException("certificate is not in canonical DER");
      }
      if (org.bouncycastle.asn1.x509.Certificate.getInstance(p).getSignature().getPadBits() != 0) {
        throw new CertificateException("certificate signature has unused bits");
      }
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new CertificateException("certificate is not DER", e);
    }
    X509Certificate c = parse(der);
    if (!java.util.Arrays.equals(c.getEncoded(), der)) {
      throw new CertificateException("certificate has trailing bytes");
    }
    return c;
  }
}
