package org.privateprocessing.attest;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** Reads X.509 certificates in DER or PEM, as AMD's KDS and the vectors ship them. */
public final class Certificates {
  private Certificates() {
  }

  /**
   * Parses one certificate, DER or PEM.
   *
   * @throws CertificateException if the bytes are not a certificate
   */
  public static X509Certificate parse(byte[] derOrPem) throws CertificateException {
    Objects.requireNonNull(derOrPem, "derOrPem");
    // The JDK factory accepts both encodings; the Milan VCEK's non-positive serial is tolerated.
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(derOrPem));
  }
}
