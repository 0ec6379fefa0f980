package org.privateprocessing.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * A witness's cosignature/v1 verifier key, {@code <name>+<hex8>+<base64(0x04 || pubkey)>}
 * (c2sp.org/tlog-cosignature). The key handling is shared with {@link NoteVerifier} ({@code
 * NoteKeys.VerifierKey}); what differs is the message: a timestamp, then the checkpoint body.
 */
public final class CosignatureVerifier {
  private static final int VALUE_LENGTH = 8 + Ed25519Keys.SIGNATURE_LENGTH;

  private final NoteKeys.VerifierKey key;

  CosignatureVerifier(NoteKeys.VerifierKey key) {
    this.key = key;
  }

  /**
   * Parses a cosigner verifier key and checks its key id.
   *
   * @throws TlogException MALFORMED for a bad form, a type other than 0x04 or a wrong key id
   */
  public static CosignatureVerifier parse(String vkey) throws TlogException {
    return new CosignatureVerifier(NoteKeys.VerifierKey.parse(NoteKeys.Type.COSIGNATURE_V1, vkey));
  }

  public String name() {
    return key.name();
  }

  public byte[] keyId() {
    return key.keyId();
  }

  /** Whether a note signature line names this cosigner (name and key id). */
  public boolean matches(NoteSignature s) {
    return key.matches(s);
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
    if (!key.verify(message(body, seconds), ed)) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochSecond(seconds));
  }

  /** The signed message of cosignature/v1: {@code "cosignature/v1\ntime <seconds>\n" + body}. */
  static byte[] message(String body, long seconds) {
    return ("cosignature/v1\ntime " + seconds + "\n" + body).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "CosignatureVerifier[" + key + "]";
  }
}
