package org.privateprocessing.ohttp;

import java.util.Objects;

/**
 * Gateway side of a chunked request (draft-ietf-ohai-chunked-ohttp-08 sections 4 and 6.1),
 * incremental: {@link #feed} the bytes as they arrive; once {@code hdr || enc} is in, the key is
 * looked up and the HPKE context set up, and each completed chunk is opened and returned. At the
 * end of the stream {@link #finish} opens the final chunk; only then is the request complete. A
 * stream that ends without its final chunk is refused as {@link OhttpException.Reason#TRUNCATED}
 * (section 7.1); chunks out of order or replayed fail authentication (the HPKE sequence number).
 *
 * <p>One instance per request, single owner. After any failure it refuses further input with {@link
 * IllegalStateException}. The {@link #sealer()} for the chunked response exists once the header has
 * been read, so a gateway may start answering before the request is complete.
 */
public final class ChunkedRequestDecapsulator extends ChunkedReceiver {
  private final RequestDecapsulator keys;
  private final String requestLabel;
  private final String responseLabel;
  private RequestHeader header;
  private KeyConfig config;
  private Hpke.Context context;
  private ChunkedResponseSealer sealer;

  /** A chunked request carrying Binary HTTP, with {@link ChunkLimits#DEFAULT}. */
  public ChunkedRequestDecapsulator(RequestDecapsulator keys) {
    this(keys, ChunkLimits.DEFAULT);
  }

  /** A chunked request carrying Binary HTTP. */
  public ChunkedRequestDecapsulator(RequestDecapsulator keys, ChunkLimits limits) {
    this(
        keys,
        limits,
        MediaTypes.BHTTP_CHUNKED_REQUEST_LABEL,
        MediaTypes.BHTTP_CHUNKED_RESPONSE_LABEL);
  }

  /** With custom labels (RFC 9458 section 4.6 repurposing, e.g. an inner layer). */
  public ChunkedRequestDecapsulator(
      RequestDecapsulator keys, ChunkLimits limits, String requestLabel, String responseLabel) {
    super(limits, "request", "header or encapsulated key");
    this.keys = Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(limits, "limits");
    Encapsulation.labelBytes(requestLabel);
    Encapsulation.labelBytes(responseLabel);
    this.requestLabel = requestLabel;
    this.responseLabel = responseLabel;
  }

  /** Whether the header and encapsulated key have been read and accepted. */
  public synchronized boolean hasHeader() {
    return context != null;
  }

  /** The key configuration the client used; once the header is read. */
  public synchronized KeyConfig keyConfig() {
    requireHeader();
    return config;
  }

  /** The symmetric suite the client chose; once the header is read. */
  public synchronized SymmetricSuite suite() {
    requireHeader();
    return header.suite();
  }

  /** The sealer for the one chunked response to this request; once the header is read. */
  public synchronized ChunkedResponseSealer sealer() {
    requireHeader();
    return sealer;
  }

  /** The header, then the encapsulated key; sets up the HPKE context and the response's sealer. */
  @Override
  boolean readPrefix() throws OhttpException {
    if (header == null) {
      byte[] hdr = reader.take(RequestHeader.LENGTH);
      if (hdr == null) {
        return false;
      }
      RequestHeader h = RequestHeader.parse(hdr);
      OhttpKeyPair key = keys.keyPair(h.keyId());
      if (key == null) {
        throw new OhttpException(
            OhttpException.Reason.UNKNOWN_KEY_ID, "no key with id " + h.keyId());
      }
      h.requireMatches(key.config());
      header = h;
      config = key.config();
    }
    byte[] enc = reader.take(Hpke.encLength(header.kemId()));
    if (enc == null) {
      return false;
    }
    SymmetricSuite suite = header.suite();
    Hpke.Context ctx =
        Hpke.setupBaseR(
            suite.kdfId(),
            suite.aeadId(),
            keys.keyPair(header.keyId()).hpkeKeyPair(),
            enc,
            Encapsulation.info(requestLabel, header.encode()));
    if (ctx == null) {
      throw new OhttpException(
          OhttpException.Reason.DECRYPTION_FAILED, "encapsulated key rejected");
    }
    context = ctx;
    sealer =
        new ChunkedResponseSealer(
            suite, enc, Encapsulation.ResponseKeys.exportSecret(ctx, responseLabel, suite));
    return true;
  }

  @Override
  byte[] open(byte[] sealed, boolean last) throws OhttpException {
    byte[] plaintext =
        sealed.length < Hpke.NT
            ? null
            : context.open(last ? ChunkFraming.FINAL_AAD : ChunkFraming.NON_FINAL_AAD, sealed);
    if (plaintext == null) {
      throw new OhttpException(
          OhttpException.Reason.DECRYPTION_FAILED,
          (last ? "final" : "non-final") + " request chunk does not authenticate");
    }
    return plaintext;
  }

  private void requireHeader() {
    if (context == null) {
      throw new IllegalStateException("the request's header has not been read yet");
    }
  }

  @Override
  public synchronized String toString() {
    return "ChunkedRequestDecapsulator["
        + (header == null ? "no header yet" : "key " + header.keyId() + ", " + header.suite())
        + ", "
        + state()
        + "]";
  }
}
