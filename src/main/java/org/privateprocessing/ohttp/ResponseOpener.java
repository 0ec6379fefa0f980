package org.privateprocessing.ohttp;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Client side of response decapsulation (RFC 9458 section 4.4). Single use: the first call to
 * {@link #open} consumes it, whether or not it succeeds, so a failed response cannot be retried
 * against the same context; a second call throws {@link IllegalStateException}.
 */
public final class ResponseOpener {
  private final Hpke.Context context;
  private final byte[] enc;
  private final SymmetricSuite suite;
  private final String responseLabel;
  private final AtomicBoolean used = new AtomicBoolean();

  ResponseOpener(Hpke.Context context, byte[] enc, SymmetricSuite suite, String responseLabel) {
    this.context = context;
    this.enc = enc;
    this.suite = suite;
    this.responseLabel = responseLabel;
  }

  /** Opens {@code response_nonce || ct} and returns the inner response. */
  public byte[] open(byte[] encapsulatedResponse) throws OhttpException {
    Objects.requireNonNull(encapsulatedResponse, "encapsulatedResponse");
    if (!used.compareAndSet(false, true)) {
      throw new IllegalStateException("response already opened for this request");
    }
    int nonceLength = Encapsulation.responseNonceLength(suite.aeadId());
    if (encapsulatedResponse.length < nonceLength + Hpke.NT) {
      throw new OhttpException(
          OhttpException.Reason.TRUNCATED, "encapsulated response shorter than nonce and tag");
    }
    byte[] nonce = Arrays.copyOfRange(encapsulatedResponse, 0, nonceLength);
    byte[] ct = Arrays.copyOfRange(encapsulatedResponse, nonceLength, encapsulatedResponse.length);
    Encapsulation.ResponseKeys keys =
        new Encapsulation.ResponseKeys(context, responseLabel, suite, enc, nonce);
    byte[] pt = Hpke.aeadOpen(suite.aeadId(), keys.key, keys.nonce, new byte[0], ct);
    if (pt == null) {
      throw new OhttpException(
          OhttpException.Reason.DECRYPTION_FAILED, "response authentication failed");
    }
    return pt;
  }

  /** Whether {@code open} has been called. */
  public boolean isUsed() {
    return used.get();
  }
}
