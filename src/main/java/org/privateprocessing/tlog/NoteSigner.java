package org.privateprocessing.tlog;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * An Ed25519 signed-note signer in the golang.org/x/mod/sumdb/note key format: {@code
 * PRIVATE+KEY+<name>+<hex8 key id>+<base64(0x01 || 32-byte seed)>}. It signs the note text itself;
 * the key handling is shared with {@link CosignatureSigner} ({@code NoteKeys.SigningKey}).
 *
 * <p>{@link #toString()} never shows the key.
 */
public final class NoteSigner {
  private final NoteKeys.SigningKey key;

  private NoteSigner(NoteKeys.SigningKey key) {
    this.key = key;
  }

  /** A fresh key named {@code name}. */
  public static NoteSigner generate(String name, SecureRandom random) {
    return new NoteSigner(NoteKeys.SigningKey.generate(NoteKeys.Type.ED25519, name, random));
  }

  /**
   * Parses a signing key string and checks its key id.
   *
   * @throws TlogException MALFORMED for any other form, key type or key id
   */
  public static NoteSigner parse(String skey) throws TlogException {
    return new NoteSigner(NoteKeys.SigningKey.parse(NoteKeys.Type.ED25519, skey));
  }

  /** The signing key string (secret: store it like a private key). */
  public String encodeSkey() {
    return key.encode();
  }

  /** The verifier key string {@code <name>+<hex8>+<base64(0x01 || public key)>}. */
  public String verifierKey() {
    return key.verifierKey();
  }

  /** A signature over the note text (which must end with a newline). */
  public NoteSignature sign(String text) {
    if (text == null || !text.endsWith("\n")) {
      throw new IllegalArgumentException("note text must end with a newline");
    }
    return new NoteSignature(
        key.name(), key.keyId(), key.sign(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A verifier for this signer's key. */
  public NoteVerifier verifier() {
    return new NoteVerifier(key.verifier());
  }

  public String name() {
    return key.name();
  }

  public byte[] keyId() {
    return key.keyId();
  }

  @Override
  public String toString() {
    return "NoteSigner[" + key + "]";
  }
}
