package org.privateprocessing.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.ratls.RaTlsCertificate;

/**
 * Reads the evidence an enclave's RA-TLS listener presents, for {@code attest verify --ratls}: a
 * TLS 1.3 handshake up to the server's certificate, which is recorded and then refused, so the
 * handshake never completes and nothing is sent. The caller verifies the evidence.
 */
final class RaTlsFetch {
  private static final int TIMEOUT_MS = 10_000;

  private RaTlsFetch() {}

  /**
   * The evidence in the certificate served at {@code hostPort}, after checking that the evidence
   * binds that certificate's key.
   */
  static EnclaveEvidence evidence(String hostPort) throws IOException, GeneralSecurityException {
    int colon = hostPort.lastIndexOf(':');
    int port;
    try {
      port = colon < 1 ? -1 : Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "--ratls takes HOST:PORT, e.g. 127.0.0.1:8443, not '" + hostPort + "'");
    }
    String host = hostPort.substring(0, colon);
    AtomicReference<X509Certificate[]> seen = new AtomicReference<>();
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(null, new javax.net.ssl.TrustManager[] {new Recorder(seen)}, null);
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      raw.setSoTimeout(TIMEOUT_MS);
      try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, host, port, true)) {
        s.setEnabledProtocols(new String[] {"TLSv1.3"});
        s.startHandshake();
      } catch (SSLHandshakeException expected) {
        // The recorder refused the certificate on purpose once it had read it.
      }
    } catch (java.net.ConnectException e) {
      throw new IOException(
          "nothing listens on "
              + hostPort
              + " (is the enclave's RA-TLS listener on? attestation.tlsPort, default 8443)");
    }
    X509Certificate[] chain = seen.get();
    if (chain == null || chain.length == 0) {
      throw new IOException(hostPort + " did not present a TLS 1.3 certificate");
    }
    X509Certificate leaf = chain[0];
    EnclaveEvidence evidence = RaTlsCertificate.evidenceOf(leaf);
    if (!Arrays.equals(evidence.tlsSpki(), leaf.getPublicKey().getEncoded())) {
      throw new CertificateException(
          "the evidence in "
              + hostPort
              + "'s certificate binds another TLS key than the certificate's: refused");
    }
    return evidence;
  }

  /** Records the server's certificate chain, then refuses it so that the handshake stops. */
  private static final class Recorder extends X509ExtendedTrustManager {
    private final AtomicReference<X509Certificate[]> seen;

    Recorder(AtomicReference<X509Certificate[]> seen) {
      this.seen = seen;
    }

    private void record(X509Certificate[] chain) throws CertificateException {
      seen.set(chain.clone());
      throw new CertificateException("recorded for attest verify; not trusted");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      record(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      record(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      record(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
