package org.privateprocessing.tlog;

import java.security.MessageDigest;
import java.util.List;

/**
 * An RFC 9162 inclusion proof (audit path, leaf to root) that leaf {@code leafIndex} is in the tree
 * of {@code treeSize} leaves.
 *
 * <p>The hashes are copied in and the list is unmodifiable; callers must not mutate the arrays they
 * read from it.
 */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> hashes) {
  public InclusionProof {
    hashes = Hashes.copyOf(hashes);
  }

  /**
   * The root this proof leads to from {@code leafHash} (RFC 9162 section 2.1.3.2 steps 1-5).
   *
   * @throws TlogException SIZE if the index is not below the size; MALFORMED for a hash that is not
   *     32 bytes; BAD_PROOF if the path is too short or too long for the sizes
   */
  public byte[] rootFrom(byte[] leafHash) throws TlogException {
    if (leafIndex < 0 || treeSize < 0 || leafIndex >= treeSize) {
      throw new TlogException(
          TlogException.Reason.SIZE,
          "inclusion proof leaf index " + leafIndex + " is not below tree size " + treeSize);
    }
    Hashes.requireHash(leafHash, "leaf hash");
    Hashes.requireProofHashes(hashes);
    long fn = leafIndex;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (byte[] p : hashes) {
      if (sn == 0) {
        throw new TlogException(
            TlogException.Reason.BAD_PROOF,
            "inclusion proof has more hashes than the tree size needs (" + hashes.size() + ")");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Rfc9162.nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = Rfc9162.nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new TlogException(
          TlogException.Reason.BAD_PROOF,
          "inclusion proof has fewer hashes than the tree size needs (" + hashes.size() + ")");
    }
    return r;
  }

  /**
   * Checks that this proof leads from {@code leafHash} to {@code root}.
   *
   * @throws TlogException as {@link #rootFrom}; MALFORMED for a root that is not 32 bytes;
   *     BAD_PROOF if the computed root differs
   */
  public void verify(byte[] leafHash, byte[] root) throws TlogException {
    Hashes.requireHash(root, "expected root");
    byte[] computed = rootFrom(leafHash);
    if (!MessageDigest.isEqual(computed, root)) {
      throw new TlogException(
          TlogException.Reason.BAD_PROOF,
          "inclusion proof for leaf "
              + leafIndex
              + " in tree size "
              + treeSize
              + " does not lead to the expected root");
    }
  }
}
