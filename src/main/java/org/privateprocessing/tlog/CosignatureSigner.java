package org.privateprocessing.tlog;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * A witness's Ed25519 cosigner (c2sp.org/tlog-cosignature, cosignature/v1, key type 0x04). It signs
 * {@code "cosignature/v1\ntime <seconds>\n" + checkpoint body}; the signature line value is {@code
 * key id || timestamp (8, big-endian) || Ed25519 signature}.
 *
 * <p>Signing key strings use the note format with type 0x04: {@code
 * PRIVATE+KEY+<name>+<hex8>+<base64(0x04 || seed)>}.
 */
public final class CosignatureSigner {
  private final String name;
  private final Ed25519PrivateKeyParameters key;
  private final byte[] publicKey;
  private final byte[] keyId;

  private CosignatureSigner(String name, Ed25519PrivateKeyParameters key) {
    this.name = name;
    this.key = key;
    this.publicKey = key.generatePublicKey().getEncoded();
    this.keyId = NoteKeys.keyId(name, NoteKeys.TYPE_COSIGNATURE_V1, publicKey);
  }

  /** A fresh cosigner key named {@code name}. */
  public static CosignatureSigner generate(String name, SecureRandom random) {
    if (!NoteKeys.validName(name)) {
      throw new IllegalArgumentException("invalid key name");
    }
    return new CosignatureSigner(
        name, new Ed25519PrivateKeyParameters(Objects.requireNonNull(random)));
  }

  /**
   * Parses a cosigner signing key string and checks its key id.
   *
   * @throws TlogException MALFORMED for any other form, key type or key id
   */
  public static CosignatureSigner parse(String skey) throws TlogException {
    if (skey == null || !skey.startsWith(NoteKeys.PRIVATE_PREFIX)) {
      throw NoteKeys.malformed("cosigner key must start with " + NoteKeys.PRIVATE_PREFIX);
    }
    NoteKeys.Parsed p =
        NoteKeys.parse(skey.substring(NoteKeys.PRIVATE_PREFIX.length()), "cosigner key");
    if (p.type() != NoteKeys.TYPE_COSIGNATURE_V1) {
      throw NoteKeys.malformed("cosigner key type is not cosignature/v1 (0x04)");
    }
    if (p.key().length != Ed25519Keys.SEED_LENGTH) {
      throw NoteKeys.malformed("cosigner key seed is not 32 bytes");
    }
    CosignatureSigner signer =
        new CosignatureSigner(p.name(), new Ed25519PrivateKeyParameters(p.key(), 0));
    NoteKeys.checkKeyId(p, signer.publicKey, "cosigner key");
    return signer;
  }

  /** The signing key string (secret). */
  public String encodeSkey() {
    return NoteKeys.PRIVATE_PREFIX
        + NoteKeys.encode(name, keyId, NoteKeys.TYPE_COSIGNATURE_V1, key.getEncoded());
  }

  /** The verifier key string {@code <name>+<hex8>+<base64(0x04 || public key)>}. */
  public String verifierKey() {
    return NoteKeys.encode(name, keyId, NoteKeys.TYPE_COSIGNATURE_V1, publicKey);
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
    byte[] sig = Ed25519Keys.sign(key, CosignatureVerifier.message(checkpointBody, seconds));
    return new NoteSignature(
        name, keyId, ByteBuffer.allocate(8 + sig.length).putLong(seconds).put(sig).array());
  }

  /** A verifier for this cosigner's key. */
  public CosignatureVerifier verifier() {
    try {
      return CosignatureVerifier.parse(verifierKey());
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
    return "CosignatureSigner[" + name + "+" + Hashes.hex(keyId) + "]";
  }
}
