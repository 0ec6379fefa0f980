package org.privateprocessing.tlog;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * A witness's Ed25519 cosigner (c2sp.org/tlog-cosignature, cosignature/v1, key type 0x04). It signs
 * {@code "cosignature/v1\ntime <seconds>\n" + checkpoint body}; the signature line value is {@code
 * key id || timestamp (8, big-endian) || Ed25519 signature}.
 *
 * <p>Signing key strings use the note format with type 0x04: {@code
 * PRIVATE+KEY+<name>+<hex8>+<base64(0x04 || seed)>}; the key handling is shared with {@link
 * NoteSigner} ({@code NoteKeys.SigningKey}). {@link #toString()} never shows the key.
 */
public final class CosignatureSigner {
  private final NoteKeys.SigningKey key;

  private CosignatureSigner(NoteKeys.SigningKey key) {
    this.key = key;
  }

  /** A fresh cosigner key named {@code name}. */
  public static CosignatureSigner generate(String name, SecureRandom random) {
    return new CosignatureSigner(
        NoteKeys.SigningKey.generate(NoteKeys.Type.COSIGNATURE_V1, name, random));
  }

  /**
   * Parses a cosigner signing key string and checks its key id.
   *
   * @throws TlogException MALFORMED for any other form, key type or key id
   */
  public static CosignatureSigner parse(String skey) throws TlogException {
    return new CosignatureSigner(NoteKeys.SigningKey.parse(NoteKeys.Type.COSIGNATURE_V1, skey));
  }

  /** The signing key string (secret). */
  public String encodeSkey() {
    return key.encode();
  }

  /** The verifier key string {@code <name>+<hex8>+<base64(0x04 || public key)>}. */
  public String verifierKey() {
    return key.verifierKey();
  }

  /** A cosignature of {@code checkpoint} at {@code time} (whole seconds; sub-seconds dropped). */
  public NoteSignature cosign(Checkpoint checkpoint, Instant time) {
    return cosign(checkpoint.encode(), time);
  }

  /** A cosignature of a checkpoint body (the note text, ending in a newline) at {@code time}. */
  public NoteSignature cosign(String checkpointBody, Instant time) {
    if (checkpointBody == null || !checkpointBody.endsWith("\n")) {
      throw new IllegalArgumentException("checkpoint body must end with a newline");
    }
    long seconds = time.getEpochSecond();
    if (seconds < 0) {
      throw new IllegalArgumentException("cosignature time before the epoch");
    }
    byte[] sig = key.sign(CosignatureVerifier.message(checkpointBody, seconds));
    return new NoteSignature(
        key.name(),
        key.keyId(),
        ByteBuffer.allocate(8 + sig.length).putLong(seconds).put(sig).array());
  }

  /** A verifier for this cosigner's key. */
  public CosignatureVerifier verifier() {
    return new CosignatureVerifier(key.verifier());
  }

  public String name() {
    return key.name();
  }

  public byte[] keyId() {
    return key.keyId();
  }

  @Override
  public String toString() {
    return "CosignatureSigner[" + key + "]";
  }
}
