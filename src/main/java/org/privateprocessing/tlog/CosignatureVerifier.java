package org.privateprocessing.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * A witness's cosignature/v1 verifier key, {@code <name>+<hex8>+<base64(0x04 || pubkey)>}
 * (c2sp.org/tlog-cosignature).
 */
public final class CosignatureVerifier {
  private static final int VALUE_LENGTH = 8 + Ed25519Keys.SIGNATURE_LENGTH;

  private final String name;
  private final byte[] keyId;
  private final Ed25519PublicKeyParameters key;

  private CosignatureVerifier(String name, byte[] keyId, Ed25519PublicKeyParameters key) {
    this.name = name;
    this.keyId = keyId;
    this.key = key;
  }

  /**
   * Parses a cosigner verifier key and checks its key id.
   *
   * @throws TlogException MALFORMED for a bad form, a type other than 0x04 or a wrong key id
   */
  public static CosignatureVerifier parse(String vkey) throws TlogException {
    NoteKeys.Parsed p = NoteKeys.parse(vkey, "cosigner verifier key");
    if (p.type() != NoteKeys.TYPE_COSIGNATURE_V1) {
      throw NoteKeys.malformed("cosigner verifier key type is not cosignature/v1 (0x04)");
    }
    Ed25519PublicKeyParameters key = Ed25519Keys.publicKey(p.key());
    NoteKeys.checkKeyId(p, p.key(), "cosigner verifier key");
    return new CosignatureVerifier(p.name(), p.keyId(), key);
  }

  public String name() {
    return name;
  }

  public byte[] keyId() {
    return keyId.clone();
  }

  /** Whether a note signature line names this cosigner (name and key id). */
  public boolean matches(NoteSignature s) {
    return name.equals(s.keyName()) && Arrays.equals(keyId, s.keyId());
  }

  /**
   * The cosignature's time if {@code sig} (timestamp || Ed25519 signature, without key id) is this
   * witness's valid cosignature of {@code body}; empty otherwise.
   */
  public Optional<Instant> verify(String body, byte[] sig) {
    if (body == null || sig == null || sig.length != VALUE_LENGTH) {
      return Optional.empty();
    }
    long seconds = ByteBuffer.wrap(sig, 0, 8).getLong();
    if (seconds < 0) {
      return Optional.empty(); // C2SP: the timestamp must not exceed 2^63 - 1
    }
    byte[] ed = Arrays.copyOfRange(sig, 8, VALUE_LENGTH);
    if (!Ed25519Keys.verify(key, message(body, seconds), ed)) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochSecond(seconds));
  }

  static byte[] message(String body, long seconds) {
    return ("cosignature/v1\ntime " + seconds + "\n" + body).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "CosignatureVerifier[" + name + "+" + Hashes.hex(keyId) + "]";
  }
}
