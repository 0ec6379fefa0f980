package org.privateprocessing.tlog;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Keys of the publishers allowed to append to a log. They use the signed-note key strings (Ed25519,
 * type 0x01: {@code PRIVATE+KEY+<name>+<hex8>+<base64>} and {@code <name>+<hex8>+<base64>}), but
 * sign the exact bytes of a request body rather than a note text, so a body need not be UTF-8 text
 * ending in a newline.
 */
public final class PublisherKeys {
  private PublisherKeys() {}

  /** A publisher's signing key. {@link #toString()} never shows the key. */
  public static final class Signer {
    private final NoteKeys.SigningKey key;

    private Signer(NoteKeys.SigningKey key) {
      this.key = key;
    }

    /** A fresh key named {@code name}. */
    public static Signer generate(String name, SecureRandom random) {
      return new Signer(NoteKeys.SigningKey.generate(NoteKeys.Type.ED25519, name, random));
    }

    /**
     * Parses a signing key string.
     *
     * @throws TlogException MALFORMED as {@link NoteSigner#parse}
     */
    public static Signer parse(String skey) throws TlogException {
      return new Signer(
          NoteKeys.SigningKey.parse(NoteKeys.Type.ED25519, skey == null ? null : skey.trim()));
    }

    public String name() {
      return key.name();
    }

    /** The signing key string (secret). */
    public String encodeSkey() {
      return key.encode();
    }

    /** The verifier key string a log lists among its publisher keys. */
    public String verifierKey() {
      return key.verifierKey();
    }

    /** The Ed25519 signature over {@code body}. */
    public byte[] sign(byte[] body) {
      return key.sign(Objects.requireNonNull(body, "body"));
    }

    @Override
    public String toString() {
      return "PublisherKeys.Signer[" + key.name() + "]";
    }
  }

  /** A publisher's verifier key. */
  public static final class Verifier {
    private final NoteKeys.VerifierKey key;

    private Verifier(NoteKeys.VerifierKey key) {
      this.key = key;
    }

    /**
     * Parses a verifier key string and checks its key id.
     *
     * @throws TlogException MALFORMED as {@link NoteVerifier#parse}
     */
    public static Verifier parse(String vkey) throws TlogException {
      return new Verifier(
          NoteKeys.VerifierKey.parse(NoteKeys.Type.ED25519, vkey == null ? null : vkey.trim()));
    }

    public String name() {
      return key.name();
    }

    /** Whether {@code signature} is this key's Ed25519 signature over exactly {@code body}. */
    public boolean verify(byte[] body, byte[] signature) {
      return body != null && key.verify(body, signature);
    }

    public String encode() {
      return key.encode();
    }

    @Override
    public String toString() {
      return "PublisherKeys.Verifier[" + key.name() + "]";
    }
  }
}
