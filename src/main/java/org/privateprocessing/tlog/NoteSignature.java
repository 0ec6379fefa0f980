package org.privateprocessing.tlog;

import java.util.Base64;
import java.util.Objects;

/**
 * One signature line of a C2SP signed note: {@code — <keyName> base64(keyId || signature)}. For a
 * cosignature the signature is {@code timestamp(8, big-endian) || Ed25519 signature(64)}.
 */
public record NoteSignature(String keyName, byte[] keyId, byte[] signature) {
  public NoteSignature {
    Objects.requireNonNull(keyName, "keyName");
    if (!NoteKeys.validName(keyName)) {
      throw new IllegalArgumentException("invalid key name");
    }
    if (keyId == null || keyId.length != 4) {
      throw new IllegalArgumentException("key id must be 4 bytes");
    }
    Objects.requireNonNull(signature, "signature");
    keyId = keyId.clone();
    signature = signature.clone();
  }

  @Override
  public byte[] keyId() {
    return keyId.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The line without its final newline. */
  String encodeLine() {
    byte[] raw = new byte[4 + signature.length];
    System.arraycopy(keyId, 0, raw, 0, 4);
    System.arraycopy(signature, 0, raw, 4, signature.length);
    return SignedNote.EM_DASH + " " + keyName + " " + Base64.getEncoder().encodeToString(raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteSignature s
        && keyName.equals(s.keyName)
        && java.util.Arrays.equals(keyId, s.keyId)
        && java.util.Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        keyName, java.util.Arrays.hashCode(keyId), java.util.Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "NoteSignature[" + keyName + ", " + Hashes.hex(keyId) + "]";
  }
}
