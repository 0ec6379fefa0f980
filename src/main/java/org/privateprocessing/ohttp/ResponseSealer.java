package org.privateprocessing.ohttp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gateway side of response encapsulation (RFC 9458 section 4.4). Single use: each request gets
 * exactly one response, so a second {@code seal} throws {@link IllegalStateException}, also when
 * two threads race for it.
 */
public final class ResponseSealer {
  private final Hpke.Context context;
  private final byte[] enc;
  private final SymmetricSuite suite;
  private final String responseLabel;
  private final ResponsePadding padding;
  private final AtomicBoolean used = new AtomicBoolean();

  ResponseSealer(Hpke.Context context, byte[] enc, SymmetricSuite suite, String responseLabel) {
    this(context, enc, suite, responseLabel, ResponsePadding.NONE);
  }

  ResponseSealer(
      Hpke.Context context,
      byte[] enc,
      SymmetricSuite suite,
      String responseLabel,
      ResponsePadding padding) {
    this.context = context;
    this.enc = enc;
    this.suite = suite;
    this.responseLabel = responseLabel;
    this.padding = padding;
  }

  /**
   * Seals {@code response} under a fresh random response nonce of max(Nn, Nk) bytes, padded first
   * as the {@link RequestDecapsulator#withResponsePadding decapsulator} was told (no padding by
   * default).
   */
  public byte[] seal(byte[] response, SecureRandom random) {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(random, "random");
    byte[] nonce = new byte[responseNonceLength()];
    random.nextBytes(nonce);
    return seal(response, nonce);
  }

  /**
   * Seals {@code response} under a caller-chosen response nonce (for test vectors). Reusing a nonce
   * across responses to the same request is impossible here, as the sealer is single use.
   */
  public byte[] seal(byte[] response, byte[] responseNonce) {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(responseNonce, "responseNonce");
    if (responseNonce.length != responseNonceLength()) {
      throw new IllegalArgumentException(
          "response nonce must be max(Nn, Nk) = " + responseNonceLength() + " bytes");
    }
    if (!used.compareAndSet(false, true)) {
      throw new IllegalStateException("response already sealed for this request");
    }
    Encapsulation.ResponseKeys keys =
        new Encapsulation.ResponseKeys(context, responseLabel, suite, enc, responseNonce);
    byte[] padded = padding.pad(response);
    byte[] ct = Hpke.aeadSeal(suite.aeadId(), keys.key, keys.nonce, new byte[0], padded);
    if (padded != response) {
      Arrays.fill(padded, (byte) 0);
    }
    byte[] out = new byte[responseNonce.length + ct.length];
    System.arraycopy(responseNonce, 0, out, 0, responseNonce.length);
    System.arraycopy(ct, 0, out, responseNonce.length, ct.length);
    return out;
  }

  /** max(Nn, Nk) for the request's AEAD. */
  public int responseNonceLength() {
    return Encapsulation.responseNonceLength(suite.aeadId());
  }

  /** Whether {@code seal} has been called. */
  public boolean isUsed() {
    return used.get();
  }
}
