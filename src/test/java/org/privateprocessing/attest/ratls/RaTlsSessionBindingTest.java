package org.privateprocessing.attest.ratls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.attest.Check;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.ReportDataBinding;
import org.privateprocessing.attest.SnpReport;
import org.privateprocessing.attest.Verdict;

/**
 * The session binding of docs/RA-TLS.md without TLS: the byte layout of the nonce and of the
 * channel binding (vectors computed independently, with Python's hmac), and each way session
 * evidence is refused.
 */
class RaTlsSessionBindingTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] NONCE = range(0, 32);
  private static final byte[] BINDING = range(32, 64);
  private static KeyPair key;
  private static RaTlsTrustManager.Attested handshake;
  private static EnclaveEvidence session;

  private static byte[] range(int from, int to) {
    byte[] b = new byte[to - from];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }

  @BeforeAll
  static void setUp() throws Exception {
    key = RaTlsFixtures.p256();
    EnclaveEvidence evidence = RaTlsFixtures.evidence(key);
    handshake =
        trust()
            .verify(
                new java.security.cert.X509Certificate[] {
                  RaTlsFixtures.certificate(key, evidence)
                });
    session =
        RaTlsSessionBinding.produce(
            RaTlsFixtures.provider(),
            RaTlsFixtures.KEY_CONFIGS,
            key.getPublic(),
            NONCE,
            BINDING,
            RaTlsFixtures.NOW);
  }

  private static RaTlsTrustManager trust() {
    return new RaTlsTrustManager(
        RaTlsFixtures.policy(),
        RaTlsFixtures.anchors(),
        Clock.fixed(RaTlsFixtures.NOW.plusSeconds(30), ZoneOffset.UTC));
  }

  private static RaTlsRefusal refusal(byte[] der, byte[] nonce, byte[] binding) {
    RaTlsTrustManager tm = trust();
    RaTlsRefusal r =
        catchThrowableOfType(
            RaTlsRefusal.class, () -> tm.verifySession(handshake, der, nonce, binding));
    assertThat(r).as("refused").isNotNull();
    assertThat(r.step()).isEqualTo(RaTlsCheck.SESSION_BINDING);
    assertThat(tm.lastRefusal()).contains(r);
    return r;
  }

  @Test
  @DisplayName(
      "sessionNonce is u64be(producedAt) || clientNonce || channelBinding, 72 bytes (vector)")
  void sessionNonceLayout() {
    byte[] n = RaTlsSessionBinding.sessionNonce(RaTlsFixtures.NOW, NONCE, BINDING);
    assertThat(HEX.formatHex(n))
        .isEqualTo(
            "000000006b056020"
                + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
    assertThat(n).hasSize(RaTlsSessionBinding.SESSION_NONCE_LENGTH);
  }

  @Test
  @DisplayName("nonces and bindings of any other length than 32 bytes are refused")
  void wrongLengthsAreRefused() {
    for (byte[][] bad :
        new byte[][][] {{new byte[31], BINDING}, {new byte[33], BINDING}, {NONCE, new byte[0]}}) {
      assertThat(
              catchThrowableOfType(
                  IllegalArgumentException.class,
                  () -> RaTlsSessionBinding.sessionNonce(RaTlsFixtures.NOW, bad[0], bad[1])))
          .hasMessageContaining("must be 32 bytes");
    }
    assertThat(refusal(session.encode(), new byte[16], BINDING).getMessage())
        .contains("must be 32 bytes");
  }

  @Test
  @DisplayName(
      "the channel binding is HMAC-SHA256(secret, \"private-processing/v1/ratls-channel-binding\") (vector)")
  void channelBindingVector() {
    assertThat(HEX.formatHex(RaTlsChannelBinding.derive(range(0, 32))))
        .isEqualTo("b834d77a80739aa956a3d5f4ed2acc3d9abe9bbaac42e35aa7869ccc1507dc6c");
    assertThat(RaTlsChannelBinding.derive(range(0, 32))).hasSize(RaTlsChannelBinding.LENGTH);
  }

  @Test
  @DisplayName("a connection on the JDK's TLS engine has no channel binding: refused, never weaker")
  void jdkEngineHasNoBinding() throws Exception {
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(null, null, null);
    SSLException e =
        catchThrowableOfType(
            SSLException.class, () -> RaTlsChannelBinding.of(context.createSSLEngine()));
    assertThat(e).hasMessageContaining("netty-tcnative's OpenSSL engine");
  }

  @Test
  @DisplayName(
      "session evidence verifies for its nonce and binding; its REPORT_DATA is the documented binding")
  void sessionEvidenceVerifies() throws Exception {
    RaTlsTrustManager.Attested bound =
        trust().verifySession(handshake, session.encode(), NONCE, BINDING);
    assertThat(bound.certificate()).isEqualTo(handshake.certificate());
    assertThat(bound.evidence()).isEqualTo(session);
    SnpReport report = SnpReport.parse(session.report());
    assertThat(report.reportData())
        .isEqualTo(
            ReportDataBinding.compute(
                RaTlsFixtures.KEY_CONFIGS,
                key.getPublic().getEncoded(),
                RaTlsSessionBinding.sessionNonce(RaTlsFixtures.NOW, NONCE, BINDING)));
  }

  @Test
  @DisplayName(
      "another nonce or another session's binding: refused by REPORT_DATA (a relayed session)")
  void otherNonceOrBindingIsRefused() {
    byte[] otherBinding = BINDING.clone();
    otherBinding[0] ^= 1;
    RaTlsRefusal relayed = refusal(session.encode(), NONCE, otherBinding);
    assertThat(relayed.evidenceCheck()).contains(Check.REPORT_DATA);
    assertThat(relayed.getMessage()).contains("relayed");
    byte[] otherNonce = NONCE.clone();
    otherNonce[31] ^= 1;
    assertThat(refusal(session.encode(), otherNonce, BINDING).evidenceCheck())
        .contains(Check.REPORT_DATA);
  }

  @Test
  @DisplayName(
      "certificate evidence is not session evidence, and session evidence is not certificate evidence")
  void noConfusionBetweenTheTwo() throws Exception {
    assertThat(refusal(handshake.evidence().encode(), NONCE, BINDING).evidenceCheck())
        .contains(Check.REPORT_DATA);
    Verdict asCertificate =
        session.verify(RaTlsFixtures.policy(), RaTlsFixtures.NOW, RaTlsFixtures.anchors());
    assertThat(asCertificate).isInstanceOf(Verdict.Refused.class);
    assertThat(((Verdict.Refused) asCertificate).failed()).isEqualTo(Check.REPORT_DATA);
  }

  @Test
  @DisplayName(
      "unreadable, forged, foreign-key and stale session evidence are each refused, naming why")
  void badSessionEvidenceIsRefused() throws Exception {
    assertThat(refusal(new byte[] {0x30, 0x00}, NONCE, BINDING).getMessage())
        .contains("cannot be read");
    assertThat(refusal(RaTlsFixtures.tampered(session).encode(), NONCE, BINDING).evidenceCheck())
        .contains(Check.REPORT_SIGNATURE);
    KeyPair other = RaTlsFixtures.p256();
    EnclaveEvidence foreign =
        RaTlsSessionBinding.produce(
            RaTlsFixtures.provider(),
            RaTlsFixtures.KEY_CONFIGS,
            other.getPublic(),
            NONCE,
            BINDING,
            RaTlsFixtures.NOW);
    assertThat(refusal(foreign.encode(), NONCE, BINDING).getMessage()).contains("another TLS key");
    EnclaveEvidence stale =
        RaTlsSessionBinding.produce(
            RaTlsFixtures.provider(),
            RaTlsFixtures.KEY_CONFIGS,
            key.getPublic(),
            NONCE,
            BINDING,
            RaTlsFixtures.NOW.minus(Duration.ofMinutes(11)));
    assertThat(refusal(stale.encode(), NONCE, BINDING).evidenceCheck()).contains(Check.FRESHNESS);
  }
}
