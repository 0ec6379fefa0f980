package org.privateprocessing.ohttp;

import java.nio.charset.StandardCharsets;
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
}
