package org.privateprocessing.tlog;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * An Ed25519 signed-note signer in the golang.org/x/mod/sumdb/note key format: {@code
 * PRIVATE+KEY+<name>+<hex8 key id>+<base64(0x01 || 32-byte seed)>}.
 *
 * <p>{@link #toString()} never shows the key.
 */
public final class NoteSigner {
  private final String name;
  private final Ed25519PrivateKeyParameters key;
  private final byte[] publicKey;
  private final byte[] keyId;

  private NoteSigner(String name, Ed25519PrivateKeyParameters key) {
    this.name = name;
    this.key = key;
    this.publicKey = key.generatePublicKey().getEncoded();
    this.keyId = NoteKeys.keyId(name, NoteKeys.TYPE_ED25519, publicKey);
  }

  /** A fresh key named {@code name}. */
  public static NoteSigner generate(String name, SecureRandom random) {
    if (!NoteKeys.validName(name)) {
      throw new IllegalArgumentException("invalid key name");
    }
    return new NoteSigner(name, new Ed25519PrivateKeyParameters(Objects.requireNonNull(random)));
  }

  /**
   * Parses a signing key string and checks its key id.
   *
   * @throws TlogException MALFORMED for any other form, key type or key id
   */
  public static NoteSigner parse(String skey) throws TlogException {
    if (skey == null || !skey.startsWith(NoteKeys.PRIVATE_PREFIX)) {
      throw NoteKeys.malformed("signing key must start with " + NoteKeys.PRIVATE_PREFIX);
    }
    NoteKeys.Parsed p =
        NoteKeys.parse(skey.substring(NoteKeys.PRIVATE_PREFIX.length()), "signing key");
    if (p.type() != NoteKeys.TYPE_ED25519) {
      throw NoteKeys.malformed("signing key type is not Ed25519 (0x01)");
    }
    if (p.key().length != Ed25519Keys.SEED_LENGTH) {
      throw NoteKeys.malformed("signing key seed is not 32 bytes");
    }
    NoteSigner signer = new NoteSigner(p.name(), new Ed25519PrivateKeyParameters(p.key(), 0));
    NoteKeys.checkKeyId(p, signer.publicKey, "signing key");
    return signer;
  }

  /** The signing key string (secret: store it like a private key). */
  public String encodeSkey() {
    return NoteKeys.PRIVATE_PREFIX
        + NoteKeys.encode(name, keyId, NoteKeys.TYPE_ED25519, key.getEncoded());
  }

  /** The verifier key string {@code <name>+<hex8>+<base64(0x01 || public key)>}. */
  public String verifierKey() {
    return NoteKeys.encode(name, keyId, NoteKeys.TYPE_ED25519, publicKey);
  }

  /** A signature over the note text (which must end with a newline). */
  public NoteSignature sign(String text) {
    if (text == null || !text.endsWith("\n")) {
      throw new IllegalArgumentException("note text must end with a newline");
    }
    byte[] sig = Ed25519Keys.sign(key, text.getBytes(StandardCharsets.UTF_8));
    return new NoteSignature(name, keyId, sig);
  }

  /** A verifier for this signer's key. */
  public NoteVerifier verifier() {
    try {
      return NoteVerifier.parse(verifierKey());
    } catch (TlogException e) {
      throw new IllegalStateException("own verifier key does not parse", e);
    }
  }

  public String name() {
    return name;
  }

  public byte[] keyId() {
    return keyId.clone();
  }

  @Override
  public String toString() {
    return "NoteSigner[" + name + "+" + Hashes.hex(keyId) + "]";
  }
}
