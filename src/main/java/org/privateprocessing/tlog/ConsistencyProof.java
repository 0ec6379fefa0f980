package org.privateprocessing.tlog;

import java.security.MessageDigest;
import java.util.List;

/**
 * An RFC 9162 consistency proof that the tree of {@code size1} leaves is a prefix of the tree of
 * {@code size2} leaves.
 *
 * <p>Edge semantics follow transparency-dev/merkle (and its test vectors): {@code size1 == 0} is
 * always rejected, because a proof from the empty tree proves nothing; {@code size1 == size2} needs
 * an empty proof and byte-identical roots.
 */
public record ConsistencyProof(long size1, long size2, List<byte[]> hashes) {
  public ConsistencyProof {
    hashes = Hashes.copyOf(hashes);
  }

  /**
   * Checks that {@code root1} (of size1) and {@code root2} (of size2) are consistent (RFC 9162
   * section 2.1.4.2).
   *
   * @throws TlogException SIZE for size1 == 0 or size1 > size2; MALFORMED for a hash that is not 32
   *     bytes; BAD_PROOF if the proof has the wrong length or leads to other roots
   */
  public void verify(byte[] root1, byte[] root2) throws TlogException {
    if (size1 < 0 || size2 < 0 || size1 > size2) {
      throw new TlogException(
          TlogException.Reason.SIZE,
          "consistency proof size1 " + size1 + " is greater than size2 " + size2);
    }
    if (size1 == 0) {
      throw new TlogException(
          TlogException.Reason.SIZE,
          "consistency proof from the empty tree (size1 = 0) proves nothing");
    }
    if (size1 == size2) {
      if (!hashes.isEmpty()) {
        throw new TlogException(
            TlogException.Reason.BAD_PROOF,
            "consistency proof between equal sizes must be empty, has " + hashes.size());
      }
      if (root1 == null || root2 == null || !MessageDigest.isEqual(root1, root2)) {
        throw new TlogException(
            TlogException.Reason.BAD_PROOF, "roots of equal tree sizes " + size1 + " differ");
      }
      return;
    }
    Hashes.requireHash(root1, "root1");
    Hashes.requireHash(root2, "root2");
    if (hashes.isEmpty()) {
      throw new TlogException(
          TlogException.Reason.BAD_PROOF,
          "consistency proof from " + size1 + " to " + size2 + " is empty");
    }
    Hashes.requireProofHashes(hashes);

    // RFC 9162 2.1.4.2: when size1 is a power of two, root1 is itself the first node of the path.
    boolean powerOfTwo = (size1 & (size1 - 1)) == 0;
    int start = powerOfTwo ? -1 : 0;
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] first = powerOfTwo ? root1 : hashes.get(0);
    byte[] fr = first;
    byte[] sr = first;
    for (int i = start + 1; i < hashes.size(); i++) {
      byte[] c = hashes.get(i);
      if (sn == 0) {
        throw new TlogException(
            TlogException.Reason.BAD_PROOF,
            "consistency proof has more hashes than sizes " + size1 + " -> " + size2 + " need");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = Rfc9162.nodeHash(c, fr);
        sr = Rfc9162.nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = Rfc9162.nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new TlogException(
          TlogException.Reason.BAD_PROOF,
          "consistency proof has fewer hashes than sizes " + size1 + " -> " + size2 + " need");
    }
    if (!MessageDigest.isEqual(fr, root1)) {
      throw new TlogException(
          TlogException.Reason.BAD_PROOF,
          "consistency proof does not lead to root1 of size " + size1);
    }
    if (!MessageDigest.isEqual(sr, root2)) {
      throw new TlogException(
          TlogException.Reason.BAD_PROOF,
          "consistency proof does not lead to root2 of size " + size2);
    }
  }
}
