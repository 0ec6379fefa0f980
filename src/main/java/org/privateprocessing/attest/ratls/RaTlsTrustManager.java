package org.privateprocessing.attest.ratls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.privateprocessing.attest.AttestationPolicy;
import org.privateprocessing.attest.Check;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.EvidenceFormatException;
import org.privateprocessing.attest.ReportDataBinding;
import org.privateprocessing.attest.SnpVerifier;
import org.privateprocessing.attest.TrustAnchors;
import org.privateprocessing.attest.Verdict;

/**
 * The client side of RA-TLS: trusts a server exactly when its one self-signed certificate carries
 * SEV-SNP evidence that verifies under the client's policy and anchors and binds the certificate's
 * own key. Runs inside the TLS handshake, so a refused enclave never receives a request byte.
 *
 * <p>Steps, in order ({@link RaTlsCheck}): one certificate; valid at {@code clock}'s time; its
 * self-signature verifies; the evidence extension parses; the evidence's TLS key is the
 * certificate's key; {@link EnclaveEvidence#verify} is {@link Verdict.Accepted}. Any failure throws
 * a {@link RaTlsRefusal} naming the check, which aborts the handshake.
 *
 * <p>The policy must have a maximum evidence age: a client must never accept old evidence forever.
 * Thread-safe; one instance may serve many connections. Note that a resumed TLS session is not
 * re-verified (the handshake has no certificate), so freshness holds per full handshake.
 */
public final class RaTlsTrustManager extends X509ExtendedTrustManager {
  private final AttestationPolicy policy;
  private final TrustAnchors anchors;
  private final Clock clock;
  private final AtomicReference<Attested> lastAccepted = new AtomicReference<>();
  private final AtomicReference<RaTlsRefusal> lastRefusal = new AtomicReference<>();

  /**
   * A server this trust manager accepted: its certificate, the evidence, and the accepted report.
   */
  public record Attested(
      X509Certificate certificate, EnclaveEvidence evidence, Verdict.Accepted verdict) {
    public Attested {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(evidence, "evidence");
      Objects.requireNonNull(verdict, "verdict");
    }
  }

  /**
   * @param policy what the enclave must be; must bound the evidence age
   * @param anchors the AMD roots, plus a simulated root only in development (never taken from a
   *     server)
   * @param clock the time certificate validity and evidence freshness are judged at
   */
  public RaTlsTrustManager(AttestationPolicy policy, TrustAnchors anchors, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.anchors = Objects.requireNonNull(anchors, "anchors");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (policy.maxEvidenceAge().isEmpty()) {
      throw new IllegalArgumentException("an RA-TLS policy needs a maximum evidence age");
    }
  }

  /**
   * Runs every check on a server's certificate chain, as the handshake does.
   *
   * @return what was accepted
   * @throws RaTlsRefusal naming the first check that failed
   */
  public Attested verify(X509Certificate[] chain) throws RaTlsRefusal {
    try {
      Attested attested = check(chain);
      lastAccepted.set(attested);
      return attested;
    } catch (RaTlsRefusal refusal) {
      lastRefusal.set(refusal);
      throw refusal;
    }
  }

  private Attested check(X509Certificate[] chain) throws RaTlsRefusal {
    if (chain == null || chain.length != 1) {
      throw refuse(
          RaTlsCheck.CERTIFICATE_COUNT,
          "expected one self-signed certificate, got " + (chain == null ? 0 : chain.length));
    }
    X509Certificate cert = chain[0];
    Instant now = clock.instant();
    try {
      cert.checkValidity(Date.from(now));
    } catch (CertificateException e) {
      throw refuse(
          RaTlsCheck.CERTIFICATE_VALIDITY,
          "the certificate is valid from "
              + cert.getNotBefore().toInstant()
              + " to "
              + cert.getNotAfter().toInstant()
              + ", not at "
              + now);
    }
    try {
      cert.verify(cert.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw refuse(RaTlsCheck.SELF_SIGNATURE, "the certificate is not signed by its own key");
    }
    EnclaveEvidence evidence;
    try {
      evidence = RaTlsCertificate.evidenceOf(cert);
    } catch (CertificateException e) {
      throw refuse(RaTlsCheck.EVIDENCE_FORMAT, e.getMessage());
    }
    // Without this, any server could present evidence copied from a genuine enclave.
    if (!Arrays.equals(evidence.tlsSpki(), cert.getPublicKey().getEncoded())) {
      throw refuse(
          RaTlsCheck.TLS_KEY_BINDING, "the evidence binds another TLS key than the certificate's");
    }
    Verdict verdict = evidence.verify(policy, now, anchors);
    if (verdict instanceof Verdict.Refused refused) {
      throw new RaTlsRefusal(RaTlsCheck.EVIDENCE, refused.failed(), refused.reason());
    }
    return new Attested(cert, evidence, (Verdict.Accepted) verdict);
  }

  /**
   * Verifies the session evidence an enclave answered, on a connection whose handshake this trust
   * manager accepted as {@code handshake}, to {@code clientNonce}: a fresh report, under the same
   * policy and anchors, binding this certificate's key and {@code sessionNonce(producedAt,
   * clientNonce, channelBinding)} ({@link RaTlsSessionBinding}), where {@code channelBinding} is
   * the client's own {@link RaTlsChannelBinding} of the connection. Evidence forwarded by a relay
   * binds the relay's session to the enclave, not the client's, and is refused by {@code
   * REPORT_DATA}.
   *
   * @return the accepted session evidence, with the handshake's certificate
   * @throws RaTlsRefusal at step {@link RaTlsCheck#SESSION_BINDING}, naming the SEV-SNP check when
   *     the report itself was refused
   */
  public Attested verifySession(
      Attested handshake, byte[] sessionEvidence, byte[] clientNonce, byte[] channelBinding)
      throws RaTlsRefusal {
    try {
      return checkSession(handshake, sessionEvidence, clientNonce, channelBinding);
    } catch (RaTlsRefusal refusal) {
      lastRefusal.set(refusal);
      throw refusal;
    }
  }

  private Attested checkSession(
      Attested handshake, byte[] sessionEvidence, byte[] clientNonce, byte[] channelBinding)
      throws RaTlsRefusal {
    Objects.requireNonNull(handshake, "handshake");
    EnclaveEvidence evidence;
    try {
      evidence = EnclaveEvidence.parse(sessionEvidence);
    } catch (EvidenceFormatException e) {
      throw refuse(
          RaTlsCheck.SESSION_BINDING, "the session evidence cannot be read: " + e.getMessage());
    }
    if (!Arrays.equals(evidence.tlsSpki(), handshake.certificate().getPublicKey().getEncoded())) {
      throw refuse(
          RaTlsCheck.SESSION_BINDING,
          "the session evidence binds another TLS key than this session's certificate");
    }
    List<X509Certificate> chain = evidence.chain();
    Verdict verdict =
        SnpVerifier.verify(
            evidence.report(),
            chain.get(0),
            chain.size() > 1 ? Optional.of(chain.get(1)) : Optional.empty(),
            chain.size() > 2 ? Optional.of(chain.get(2)) : Optional.empty(),
            policy,
            clock.instant(),
            Optional.of(evidence.producedAt()),
            anchors);
    if (verdict instanceof Verdict.Refused refused) {
      throw new RaTlsRefusal(
          RaTlsCheck.SESSION_BINDING, refused.failed(), "session evidence: " + refused.reason());
    }
    Verdict.Accepted accepted = (Verdict.Accepted) verdict;
    byte[] expected;
    try {
      expected =
          RaTlsSessionBinding.sessionNonce(evidence.producedAt(), clientNonce, channelBinding);
    } catch (IllegalArgumentException e) {
      throw refuse(RaTlsCheck.SESSION_BINDING, e.getMessage());
    }
    if (!ReportDataBinding.matches(
        accepted.report(), evidence.keyConfigs(), evidence.tlsSpki(), expected)) {
      throw new RaTlsRefusal(
          RaTlsCheck.SESSION_BINDING,
          Check.REPORT_DATA,
          "the session evidence does not bind this client's nonce and this TLS session: the"
              + " session is relayed, or the answer is not for this client");
    }
    return new Attested(handshake.certificate(), evidence, accepted);
  }

  private static RaTlsRefusal refuse(RaTlsCheck step, String reason) {
    return new RaTlsRefusal(step, null, reason);
  }

  /**
   * The server most recently accepted (by any connection), for callers that show what they talk to.
   */
  public Optional<Attested> lastAccepted() {
    return Optional.ofNullable(lastAccepted.get());
  }

  /**
   * The most recent refusal, for diagnostics: TLS stacks may wrap or drop the handshake's cause.
   */
  public Optional<RaTlsRefusal> lastRefusal() {
    return Optional.ofNullable(lastRefusal.get());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw clientsNotTrusted();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw clientsNotTrusted();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw clientsNotTrusted();
  }

  private static CertificateException clientsNotTrusted() {
    return new CertificateException(
        "RA-TLS: this trust manager verifies enclaves (servers), never clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    // No CA issues RA-TLS certificates: trust comes from the evidence inside them.
    return new X509Certificate[0];
  }

  @Override
  public String toString() {
    return "RaTlsTrustManager[" + anchors + "]";
  }
}
