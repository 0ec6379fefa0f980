package org.privateprocessing.ohttp;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Client side of a chunked request (draft-ietf-ohai-chunked-ohttp-08 sections 4 and 6.1), sent as
 * {@value MediaTypes#OHTTP_CHUNKED_REQUEST}: first {@link #header()} ({@code hdr || enc}), then any
 * number of {@link #sealChunk} results, then exactly one {@link #sealFinal}. The HPKE context's
 * sequence number orders the chunks; the final one is sealed with the AAD "final", so a receiver
 * can tell a complete request from a cut one.
 *
 * <p>Single use and single owner (methods are synchronized, but chunks are a sequence: one writer).
 * The {@link #opener} for the chunked response is bound to this request.
 */
public final class ChunkedRequestEncapsulator {
  private final byte[] header;
  private final Hpke.Context context;
  private final SymmetricSuite suite;
  private final byte[] enc;
  private final byte[] responseSecret;
  private boolean finished;
  private ChunkedResponseOpener opener;

  private ChunkedRequestEncapsulator(
      byte[] header,
      Hpke.Context context,
      SymmetricSuite suite,
      byte[] enc,
      byte[] responseSecret) {
    this.header = header;
    this.context = context;
    this.suite = suite;
    this.enc = enc;
    this.responseSecret = responseSecret;
  }

  /** Starts a request to {@code config} with the suite of {@link KeyConfigs#preferredSuite}. */
  public static ChunkedRequestEncapsulator start(KeyConfig config, SecureRandom random)
      throws OhttpException {
    Objects.requireNonNull(config, "config");
    SymmetricSuite suite =
        KeyConfigs.preferredSuite(config)
            .orElseThrow(
                () ->
                    new OhttpException(
                        OhttpException.Reason.UNSUPPORTED_SUITE,
                        "key " + config.keyId() + " offers no supported suite"));
    return start(config, suite, random);
  }

  /** Starts a request to {@code config} using {@code suite}, with fresh ephemeral randomness. */
  public static ChunkedRequestEncapsulator start(
      KeyConfig config, SymmetricSuite suite, SecureRandom random) throws OhttpException {
    Objects.requireNonNull(random, "random");
    return start(
        config,
        suite,
        MediaTypes.BHTTP_CHUNKED_REQUEST_LABEL,
        MediaTypes.BHTTP_CHUNKED_RESPONSE_LABEL,
        null,
        random);
  }

  /** As above with custom labels (RFC 9458 section 4.6 repurposing, e.g. an inner layer). */
  public static ChunkedRequestEncapsulator start(
      KeyConfig config,
      SymmetricSuite suite,
      SecureRandom random,
      String requestLabel,
      String responseLabel)
      throws OhttpException {
    Objects.requireNonNull(random, "random");
    return start(config, suite, requestLabel, responseLabel, null, random);
  }

  /**
   * Starts with a fixed ephemeral key, for test vectors only: the X25519 private key skE, or the
   * 64-byte X-Wing encapsulation seed. Never reuse an ephemeral key.
   */
  public static ChunkedRequestEncapsulator startWithEphemeralKey(
      KeyConfig config, SymmetricSuite suite, byte[] ephemeralPrivateKey) throws OhttpException {
    Objects.requireNonNull(ephemeralPrivateKey, "ephemeralPrivateKey");
    return start(
        config,
        suite,
        MediaTypes.BHTTP_CHUNKED_REQUEST_LABEL,
        MediaTypes.BHTTP_CHUNKED_RESPONSE_LABEL,
        ephemeralPrivateKey,
        null);
  }

  private static ChunkedRequestEncapsulator start(
      KeyConfig config,
      SymmetricSuite suite,
      String requestLabel,
      String responseLabel,
      byte[] ephemeral,
      SecureRandom random)
      throws OhttpException {
    Encapsulation.SenderSetup setup =
        Encapsulation.setUpSender(config, suite, requestLabel, responseLabel, ephemeral, random);
    byte[] hdr = setup.header();
    Hpke.Sender sender = setup.sender();
    byte[] header = new byte[hdr.length + sender.enc.length];
    System.arraycopy(hdr, 0, header, 0, hdr.length);
    System.arraycopy(sender.enc, 0, header, hdr.length, sender.enc.length);
    byte[] secret = Encapsulation.ResponseKeys.exportSecret(sender.context, responseLabel, suite);
    return new ChunkedRequestEncapsulator(header, sender.context, suite, sender.enc, secret);
  }

  /** {@code hdr || enc}: the first bytes of the request (a copy). */
  public byte[] header() {
    return header.clone();
  }

  /** The suite this request is sealed with. */
  public SymmetricSuite suite() {
    return suite;
  }

  /**
   * Seals a non-final chunk: {@code varint(len) || Seal("", plaintext)}.
   *
   * @throws IllegalArgumentException for an empty chunk or one over {@link
   *     ChunkLimits#MAX_SEND_PLAINTEXT} bytes
   * @throws IllegalStateException after {@link #sealFinal}
   */
  public synchronized byte[] sealChunk(byte[] plaintext) {
    return seal(plaintext, false);
  }

  /**
   * Seals the final chunk, which may be empty: {@code varint(0) || Seal("final", plaintext)}.
   * Nothing can be sealed after it.
   */
  public synchronized byte[] sealFinal(byte[] plaintext) {
    return seal(plaintext, true);
  }

  private byte[] seal(byte[] plaintext, boolean last) {
    Objects.requireNonNull(plaintext, "plaintext");
    ChunkFraming.checkPlaintext(plaintext, last);
    if (finished) {
      throw new IllegalStateException("the final chunk of this request was already sealed");
    }
    byte[] sealed =
        context.seal(last ? ChunkFraming.FINAL_AAD : ChunkFraming.NON_FINAL_AAD, plaintext);
    finished = last;
    return ChunkFraming.frame(sealed, last);
  }

  /** Whether the final chunk has been sealed. */
  public synchronized boolean isFinished() {
    return finished;
  }

  /** The opener of this request's chunked response, with {@link ChunkLimits#DEFAULT}. */
  public ChunkedResponseOpener opener() {
    return opener(ChunkLimits.DEFAULT);
  }

  /**
   * The opener of this request's chunked response; the first call creates it with {@code limits},
   * later calls return the same opener and must name the same limits.
   */
  public synchronized ChunkedResponseOpener opener(ChunkLimits limits) {
    Objects.requireNonNull(limits, "limits");
    if (opener == null) {
      opener = new ChunkedResponseOpener(suite, enc, responseSecret, limits);
    } else if (!opener.limits().equals(limits)) {
      throw new IllegalStateException("the response opener exists with other limits");
    }
    return opener;
  }

  @Override
  public String toString() {
    return "ChunkedRequestEncapsulator[" + suite + (finished ? ", finished]" : "]");
  }
}
