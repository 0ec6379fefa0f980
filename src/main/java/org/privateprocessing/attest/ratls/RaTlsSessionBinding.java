package org.privateprocessing.attest.ratls;

import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Objects;
import org.privateprocessing.attest.AttestationException;
import org.privateprocessing.attest.AttestationProvider;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.ReportDataBinding;

/**
 * Session evidence: a fresh SEV-SNP report that binds one RA-TLS session, made by the enclave when
 * a client asks ({@code POST /v1/session}, docs/RA-TLS.md). It is an {@link EnclaveEvidence} bundle
 * like the one in the certificate, whose REPORT_DATA nonce is not the 8-byte time but
 *
 * <pre>
 * sessionNonce = u64be(producedAt) || clientNonce (32 bytes) || channelBinding (32 bytes)   -- 72 bytes
 * REPORT_DATA  = ReportDataBinding(keyConfigs, tlsSpki, sessionNonce)
 * </pre>
 *
 * so the hardware signs, for this one session: the enclave's keys, the time, the client's fresh
 * nonce and the {@link RaTlsChannelBinding} of the TLS session the enclave itself terminates. A
 * relay cannot forward it to another session (its binding differs), a stolen TLS key cannot forge
 * it (only the chip signs reports), and it cannot be taken for certificate evidence or the other
 * way round (the nonce's length differs, and lengths are inside the hash).
 */
public final class RaTlsSessionBinding {
  /** Length of the client's nonce. */
  public static final int NONCE_LENGTH = 32;

  /** Length of the REPORT_DATA nonce of session evidence. */
  public static final int SESSION_NONCE_LENGTH = 8 + NONCE_LENGTH + RaTlsChannelBinding.LENGTH;

  private RaTlsSessionBinding() {}

  /** {@code u64be(producedAt) || clientNonce || channelBinding}. */
  public static byte[] sessionNonce(Instant producedAt, byte[] clientNonce, byte[] channelBinding) {
    requireLength(clientNonce, NONCE_LENGTH, "client nonce");
    requireLength(channelBinding, RaTlsChannelBinding.LENGTH, "channel binding");
    return ByteBuffer.allocate(SESSION_NONCE_LENGTH)
        .putLong(producedAt.getEpochSecond())
        .put(clientNonce)
        .put(channelBinding)
        .array();
  }

  /**
   * Asks {@code provider} for session evidence at {@code now} (truncated to seconds). Blocks as
   * long as the provider does (configfs I/O on hardware).
   *
   * @throws IllegalArgumentException if the nonce or binding has the wrong length
   */
  public static EnclaveEvidence produce(
      AttestationProvider provider,
      byte[] keyConfigs,
      PublicKey tlsKey,
      byte[] clientNonce,
      byte[] channelBinding,
      Instant now)
      throws AttestationException {
    Objects.requireNonNull(provider, "provider");
    Instant at = Instant.ofEpochSecond(now.getEpochSecond());
    byte[] spki = tlsKey.getEncoded();
    byte[] reportData =
        ReportDataBinding.compute(keyConfigs, spki, sessionNonce(at, clientNonce, channelBinding));
    AttestationProvider.Evidence e = provider.attest(reportData);
    return new EnclaveEvidence(e.report(), e.chain(), keyConfigs, spki, at);
  }

  private static void requireLength(byte[] value, int length, String what) {
    Objects.requireNonNull(value, what);
    if (value.length != length) {
      throw new IllegalArgumentException(
          what + " must be " + length + " bytes, not " + value.length);
    }
  }
}
