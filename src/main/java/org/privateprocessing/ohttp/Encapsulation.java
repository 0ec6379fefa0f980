package org.privateprocessing.ohttp;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;

/** Shared RFC 9458 framing and key derivation for both roles; package-private. */
final class Encapsulation {
  private Encapsulation() {}

  /** info = label || 0x00 || hdr (RFC 9458 section 4.3); hdr is {@link RequestHeader#encode}. */
  static byte[] info(String label, byte[] header) {
    byte[] l = labelBytes(label);
    byte[] info = new byte[l.length + 1 + header.length];
    System.arraycopy(l, 0, info, 0, l.length);
    System.arraycopy(header, 0, info, l.length + 1, header.length);
    return info;
  }

  static byte[] labelBytes(String label) {
    Objects.requireNonNull(label, "label");
    // Labels are media types; ASCII keeps them unambiguous on the wire.
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (c == 0 || c > 0x7E) {
        throw new IllegalArgumentException("label must be printable ASCII without NUL");
      }
    }
    return label.getBytes(StandardCharsets.US_ASCII);
  }

  /** max(Nn, Nk): response nonce and exported secret length (RFC 9458 section 4.4). */
  static int responseNonceLength(int aeadId) {
    return Math.max(Hpke.NN, Hpke.aeadKeyLength(aeadId));
  }

  /** The response AEAD key and nonce derived per RFC 9458 section 4.4, steps 1 and 3-6. */
  static final class ResponseKeys {
    final byte[] key;
    final byte[] nonce;

    ResponseKeys(
        Hpke.Context context,
        String responseLabel,
        SymmetricSuite suite,
        byte[] enc,
        byte[] responseNonce) {
      this(suite, exportSecret(context, responseLabel, suite), enc, responseNonce);
    }

    /**
     * From an already exported {@code secret} (steps 3-6): chunked responses export once, when the
     * request's header is read, and derive the keys when the response nonce is chosen.
     */
    ResponseKeys(SymmetricSuite suite, byte[] secret, byte[] enc, byte[] responseNonce) {
      byte[] salt = new byte[enc.length + responseNonce.length];
      System.arraycopy(enc, 0, salt, 0, enc.length);
      System.arraycopy(responseNonce, 0, salt, enc.length, responseNonce.length);
      byte[] prk = Hpke.extract(suite.kdfId(), salt, secret);
      this.key = Hpke.expand(suite.kdfId(), prk, ascii("key"), Hpke.aeadKeyLength(suite.aeadId()));
      this.nonce = Hpke.expand(suite.kdfId(), prk, ascii("nonce"), Hpke.NN);
    }

    /** Step 1: secret = context.Export(label, max(Nn, Nk)). */
    static byte[] exportSecret(Hpke.Context context, String responseLabel, SymmetricSuite suite) {
      return context.export(labelBytes(responseLabel), responseNonceLength(suite.aeadId()));
    }

    private static byte[] ascii(String s) {
      return s.getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** A sender's set-up: the request header (key id, KEM, KDF, AEAD) and the HPKE sender context. */
  record SenderSetup(byte[] header, Hpke.Sender sender) {}

  /**
   * Checks that {@code config} offers {@code suite} with a KEM this build has, then sets up the
   * HPKE sender for a request under {@code requestLabel}: with a fixed ephemeral key (test vectors
   * only) when {@code ephemeral} is not null, otherwise a fresh one from {@code random}. Shared by
   * the whole-message and the chunked encapsulator, whose requests differ only after this point.
   */
  static SenderSetup setUpSender(
      KeyConfig config,
      SymmetricSuite suite,
      String requestLabel,
      String responseLabel,
      byte[] ephemeral,
      SecureRandom random)
      throws OhttpException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(suite, "suite");
    labelBytes(responseLabel);
    if (!Hpke.isSupportedKem(config.kemId())) {
      throw new OhttpException(
          OhttpException.Reason.UNSUPPORTED_KEM,
          "key " + config.keyId() + " uses " + HpkeIds.kemName(config.kemId()));
    }
    if (!suite.isSupported() || !config.offers(suite)) {
      throw new OhttpException(
          OhttpException.Reason.UNSUPPORTED_SUITE,
          "suite " + suite + " not offered by key " + config.keyId());
    }
    byte[] header = RequestHeader.of(config, suite).encode();
    byte[] info = info(requestLabel, header);
    try {
      Hpke.Sender sender =
          ephemeral != null
              ? Hpke.setupBaseSWithEphemeral(
                  config.kemId(),
                  suite.kdfId(),
                  suite.aeadId(),
                  config.publicKey(),
                  info,
                  ephemeral)
              : Hpke.setupBaseS(
                  config.kemId(), suite.kdfId(), suite.aeadId(), config.publicKey(), info, random);
      return new SenderSetup(header, sender);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      // e.g. an X25519 public key of low order: the shared secret would be all zeros.
      throw new OhttpException(
          OhttpException.Reason.MALFORMED,
          "public key of key " + config.keyId() + " rejected by the KEM");
    }
  }
}
