package org.privateprocessing.tlog;

import java.nio.charset.StandardCharsets;

/**
 * An Ed25519 signed-note verifier key, {@code <name>+<hex8 key id>+<base64(0x01 || pubkey)>}. The
 * key handling is shared with {@link CosignatureVerifier} ({@code NoteKeys.VerifierKey}).
 */
public final class NoteVerifier {
  private final NoteKeys.VerifierKey key;

  NoteVerifier(NoteKeys.VerifierKey key) {
    this.key = key;
  }

  /**
   * Parses a verifier key and checks that its key id matches its name and public key.
   *
   * @throws TlogException MALFORMED for a bad form, a key type other than 0x01, or a wrong key id
   */
  public static NoteVerifier parse(String vkey) throws TlogException {
    return new NoteVerifier(NoteKeys.VerifierKey.parse(NoteKeys.Type.ED25519, vkey));
  }

  public String name() {
    return key.name();
  }

  public byte[] keyId() {
    return key.keyId();
  }

  /** Whether a note signature line names this key (name and key id). */
  public boolean matches(NoteSignature s) {
    return key.matches(s);
  }

  /** Whether {@code signature} is this key's Ed25519 signature over the note text. */
  public boolean verify(String text, byte[] signature) {
    return key.verify(text.getBytes(StandardCharsets.UTF_8), signature);
  }

  /** The verifier key string. */
  public String encode() {
    return key.encode();
  }

  @Override
  public String toString() {
    return "NoteVerifier[" + key + "]";
  }
}
