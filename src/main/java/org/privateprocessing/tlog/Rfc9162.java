package org.privateprocessing.tlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 section 2.1.1 Merkle tree hashing with SHA-256: leaves and interior nodes are hashed
 * with distinct one-byte prefixes so a leaf can never be passed off as a node (second-preimage
 * protection).
 */
public final class Rfc9162 {
  /** Length of every hash in the tree. */
  public static final int HASH_LENGTH = 32;

  private static final byte[] EMPTY_ROOT = sha256().digest();
  // One digest per thread: getInstance per node hash would dominate proof generation and verify.
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Rfc9162::sha256);

  private Rfc9162() {}

  /** SHA-256(0x00 || entry). */
  public static byte[] leafHash(byte[] entry) {
    MessageDigest md = DIGEST.get();
    md.reset();
    md.update((byte) 0x00);
    md.update(entry);
    return md.digest();
  }

  /** SHA-256(0x01 || left || right). */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest md = DIGEST.get();
    md.reset();
    md.update((byte) 0x01);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /** SHA-256(0x01 || children) for two adjacent 32-byte hashes in one array. */
  static byte[] nodeHash(byte[] children) {
    MessageDigest md = DIGEST.get();
    md.reset();
    md.update((byte) 0x01);
    md.update(children, 0, 2 * HASH_LENGTH);
    return md.digest();
  }

  /** The root of the empty tree: SHA-256 of nothing. */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  static byte[] sha256(byte[] data) {
    return sha256().digest(data);
  }
}
