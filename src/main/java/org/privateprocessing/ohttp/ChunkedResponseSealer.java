package org.privateprocessing.ohttp;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Gateway side of a chunked response (draft-ietf-ohai-chunked-ohttp-08 sections 5 and 6.2), sent as
 * {@value MediaTypes#OHTTP_CHUNKED_RESPONSE}: first {@link #begin} (the response nonce), then any
 * number of {@link #sealChunk}, then exactly one {@link #sealFinal}. Chunk {@code i} is sealed
 * under {@code aead_nonce XOR i}; the final one with the AAD "final".
 *
 * <p>Single use and single owner, like {@link ResponseSealer}: one response per request, begun
 * once, finished once.
 */
public final class ChunkedResponseSealer {
  private final SymmetricSuite suite;
  private final byte[] enc;
  private final byte[] secret;
  private Encapsulation.ResponseKeys keys;
  private long counter;
  private boolean finished;

  ChunkedResponseSealer(SymmetricSuite suite, byte[] enc, byte[] secret) {
    this.suite = suite;
    this.enc = enc;
    this.secret = secret;
  }

  /**
   * Chooses a fresh response nonce of max(Nn, Nk) bytes and returns it: the first bytes to send.
   */
  public byte[] begin(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] nonce = new byte[responseNonceLength()];
    random.nextBytes(nonce);
    return begin(nonce);
  }

  /** As above with a caller-chosen response nonce (test vectors). */
  public synchronized byte[] begin(byte[] responseNonce) {
    Objects.requireNonNull(responseNonce, "responseNonce");
    if (responseNonce.length != responseNonceLength()) {
      throw new IllegalArgumentException(
          "response nonce must be max(Nn, Nk) = " + responseNonceLength() + " bytes");
    }
    if (keys != null) {
      throw new IllegalStateException("response already begun for this request");
    }
    keys = new Encapsulation.ResponseKeys(suite, secret, enc, responseNonce);
    return responseNonce.clone();
  }

  /**
   * Seals a non-final chunk: {@code varint(len) || Seal(key, nonce XOR counter, "", plaintext)}.
   *
   * @throws IllegalArgumentException for an empty chunk or one over {@link
   *     ChunkLimits#MAX_SEND_PLAINTEXT} bytes
   * @throws IllegalStateException before {@link #begin} or after {@link #sealFinal}
   */
  public synchronized byte[] sealChunk(byte[] plaintext) {
    return seal(plaintext, false);
  }

  /** Seals the final chunk, which may be empty; nothing can be sealed after it. */
  public synchronized byte[] sealFinal(byte[] plaintext) {
    return seal(plaintext, true);
  }

  private byte[] seal(byte[] plaintext, boolean last) {
    Objects.requireNonNull(plaintext, "plaintext");
    ChunkFraming.checkPlaintext(plaintext, last);
    if (keys == null) {
      throw new IllegalStateException("begin the response (send its nonce) before any chunk");
    }
    if (finished) {
      throw new IllegalStateException("the final chunk of this response was already sealed");
    }
    if (counter == Long.MAX_VALUE) {
      throw new IllegalStateException("chunk limit reached");
    }
    byte[] sealed =
        Hpke.aeadSeal(
            suite.aeadId(),
            keys.key,
            ChunkFraming.chunkNonce(keys.nonce, counter),
            last ? ChunkFraming.FINAL_AAD : ChunkFraming.NON_FINAL_AAD,
            plaintext);
    counter++;
    finished = last;
    return ChunkFraming.frame(sealed, last);
  }

  /** max(Nn, Nk) for the request's AEAD. */
  public int responseNonceLength() {
    return Encapsulation.responseNonceLength(suite.aeadId());
  }

  /** Whether {@link #begin} has been called. */
  public synchronized boolean isBegun() {
    return keys != null;
  }

  /** Whether the final chunk has been sealed. */
  public synchronized boolean isFinished() {
    return finished;
  }
}
