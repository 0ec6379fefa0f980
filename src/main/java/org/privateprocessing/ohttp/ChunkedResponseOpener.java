package org.privateprocessing.ohttp;

/**
 * Client side of a chunked response (draft-ietf-ohai-chunked-ohttp-08 sections 5 and 6.2),
 * incremental: {@link #feed} the bytes as they arrive and get the plaintext of every chunk they
 * complete; a chunk cut in the middle waits for the rest. At the end of the stream, {@link #finish}
 * opens the final chunk. A response is complete only when {@link #finish} returned: a stream that
 * ends without its final chunk is refused as {@link OhttpException.Reason#TRUNCATED}, never taken
 * for complete (section 7.1). Chunks out of order, replayed, or moved past the final one fail
 * authentication, because each chunk's nonce carries its position.
 *
 * <p>Single use and single owner. After any failure the opener refuses further input with {@link
 * IllegalStateException}: a failed stream cannot be resumed.
 */
public final class ChunkedResponseOpener extends ChunkedReceiver {
  private final SymmetricSuite suite;
  private final byte[] enc;
  private final byte[] secret;
  private final ChunkLimits limits;
  private Encapsulation.ResponseKeys keys;
  private long counter;

  ChunkedResponseOpener(SymmetricSuite suite, byte[] enc, byte[] secret, ChunkLimits limits) {
    super(limits, "response", "nonce");
    this.suite = suite;
    this.enc = enc;
    this.secret = secret;
    this.limits = limits;
  }

  /** The limits this opener enforces. */
  public ChunkLimits limits() {
    return limits;
  }

  /** The response nonce, then the response keys; false while its bytes have not all arrived. */
  @Override
  boolean readPrefix() throws OhttpException {
    byte[] nonce = reader.take(Encapsulation.responseNonceLength(suite.aeadId()));
    if (nonce == null) {
      return false;
    }
    keys = new Encapsulation.ResponseKeys(suite, secret, enc, nonce);
    return true;
  }

  @Override
  byte[] open(byte[] sealed, boolean last) throws OhttpException {
    byte[] plaintext =
        Hpke.aeadOpen(
            suite.aeadId(),
            keys.key,
            ChunkFraming.chunkNonce(keys.nonce, counter),
            last ? ChunkFraming.FINAL_AAD : ChunkFraming.NON_FINAL_AAD,
            sealed);
    if (plaintext == null) {
      throw new OhttpException(
          OhttpException.Reason.DECRYPTION_FAILED,
          (last ? "final" : "non-final") + " response chunk " + counter + " does not authenticate");
    }
    counter++;
    return plaintext;
  }
}
