package org.privateprocessing.tlog;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/** An Ed25519 signed-note verifier key, {@code <name>+<hex8 key id>+<base64(0x01 || pubkey)>}. */
public final class NoteVerifier {
  private final String name;
  private final byte[] keyId;
  private final Ed25519PublicKeyParameters key;
  private final String encoded;

  private NoteVerifier(String name, byte[] keyId, Ed25519PublicKeyParameters key, String encoded) {
    this.name = name;
    this.keyId = keyId;
    this.key = key;
    this.encoded = encoded;
  }

  /**
   * Parses a verifier key and checks that its key id matches its name and public key.
   *
   * @throws TlogException MALFORMED for a bad form, a key type other than 0x01, or a wrong key id
   */
  public static NoteVerifier parse(String vkey) throws TlogException {
    NoteKeys.Parsed p = NoteKeys.parse(vkey, "verifier key");
    if (p.type() != NoteKeys.TYPE_ED25519) {
      throw NoteKeys.malformed("verifier key type is not Ed25519 (0x01)");
    }
    Ed25519PublicKeyParameters key = Ed25519Keys.publicKey(p.key());
    NoteKeys.checkKeyId(p, p.key(), "verifier key");
    return new NoteVerifier(p.name(), p.keyId(), key, vkey);
  }

  public String name() {
    return name;
  }

  public byte[] keyId() {
    return keyId.clone();
  }

  /** Whether {@code signature} is this key's Ed25519 signature over the note text. */
  public boolean verify(String text, byte[] signature) {
    return Ed25519Keys.verify(key, text.getBytes(StandardCharsets.UTF_8), signature);
  }

  /** The verifier key string. */
  public String encode() {
    return encoded;
  }

  @Override
  public String toString() {
    return "NoteVerifier[" + name + "+" + Hashes.hex(keyId) + "]";
  }
}
