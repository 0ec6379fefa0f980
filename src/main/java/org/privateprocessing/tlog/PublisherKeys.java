package org.privateprocessing.tlog;

import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

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
    private final NoteSigner note;
    private final Ed25519PrivateKeyParameters key;

    private Signer(NoteSigner note, Ed25519PrivateKeyParameters key) {
      this.note = note;
      this.key = key;
    }

    /** A fresh key named {@code name}. */
    public static Signer generate(String name, SecureRandom random) {
      try {
        return parse(NoteSigner.generate(name, random).encodeSkey());
      } catch (TlogException e) {
        throw new IllegalStateException("a fresh key does not parse", e);
      }
    }

    /**
     * Parses a signing key string.
     *
     * @throws TlogException MALFORMED as {@link NoteSigner#parse}
     */
    public static Signer parse(String skey) throws TlogException {
      NoteSigner note = NoteSigner.parse(skey == null ? null : skey.trim());
      NoteKeys.Parsed p =
          NoteKeys.parse(skey.trim().substring(NoteKeys.PRIVATE_PREFIX.length()), "signing key");
      return new Signer(note, new Ed25519PrivateKeyParameters(p.key(), 0));
    }

    public String name() {
      return note.name();
    }

    /** The signing key string (secret). */
    public String encodeSkey() {
      return note.encodeSkey();
    }

    /** The verifier key string a log lists among its publisher keys. */
    public String verifierKey() {
      return note.verifierKey();
    }

    /** The Ed25519 signature over {@code body}. */
    public byte[] sign(byte[] body) {
      return Ed25519Keys.sign(key, Objects.requireNonNull(body, "body"));
    }

    @Override
    public String toString() {
      return "PublisherKeys.Signer[" + note.name() + "]";
    }
  }

  /** A publisher's verifier key. */
  public static final class Verifier {
    private final String name;
    private final Ed25519PublicKeyParameters key;
    private final String encoded;

    private Verifier(String name, Ed25519PublicKeyParameters key, String encoded) {
      this.name = name;
      this.key = key;
      this.encoded = encoded;
    }

    /**
     * Parses a verifier key string and checks its key id.
     *
     * @throws TlogException MALFORMED as {@link NoteVerifier#parse}
     */
    public static Verifier parse(String vkey) throws TlogException {
      String v = vkey == null ? null : vkey.trim();
      NoteVerifier.parse(v);
      NoteKeys.Parsed p = NoteKeys.parse(v, "verifier key");
      return new Verifier(p.name(), Ed25519Keys.publicKey(p.key()), v);
    }

    public String name() {
      return name;
    }

    /** Whether {@code signature} is this key's Ed25519 signature over exactly {@code body}. */
    public boolean verify(byte[] body, byte[] signature) {
      return body != null && Ed25519Keys.verify(key, body, signature);
    }

    public String encode() {
      return encoded;
    }

    @Override
    public String toString() {
      return "PublisherKeys.Verifier[" + name + "]";
    }
  }
}
