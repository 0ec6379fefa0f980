package org.privateprocessing.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.util.List;

/**
 * An RFC 9162 consistency proof that the tree of {@code size1} leaves is a prefix of the tree of
 * {@code size2} leaves.
 *
 * <p>Edge semantics follow transparency-dev/merkle (and its test vectors): {@code size1 == 0} is
 * always rejected, because a proof from the empty tree proves nothing; {@code size1 == size2} needs
 * an empty proof and byte-identical roots.
 *
 * <p>JSON form (docs/TRANSPARENCY.md, docs/PROTOCOL.md), written and read here only: {@code
 * {"size1":A,"size2":B,"hashes":["<b64url>",...]}}.
 */
public record ConsistencyProof(long size1, long size2, List<byte[]> hashes) {
  private static final String WHAT = "consistency proof";

  public ConsistencyProof {
    hashes = Hashes.copyOf(hashes);
  }

  /** The JSON form {@code {"size1","size2","hashes"}}. */
  public ObjectNode toJson() {
    ObjectNode o = EntryJson.MAPPER.createObjectNode();
    o.put("size1", size1);
    o.put("size2", size2);
    o.set("hashes", ProofJson.hashes(hashes));
    return o;
  }

  /**
   * Reads the JSON form {@code {"size1","size2","hashes"}}; other members are ignored.
   *
   * @throws TlogException MALFORMED naming the member that is missing or out of form: a size that
   *     is not a non-negative integer, more than 64 hashes, a hash that is not canonical unpadded
   *     base64url of 32 bytes
   */
  public static ConsistencyProof fromJson(JsonNode json) throws TlogException {
    ProofJson.requireObject(json, WHAT);
    return new ConsistencyProof(
        ProofJson.count(json, "size1", WHAT),
        ProofJson.count(json, "size2", WHAT),
        ProofJson.hashes(json, WHAT));
  }

  /**
   * As {@link #fromJson(JsonNode)}, from JSON text.
   *
   * @throws TlogException MALFORMED also for text that is not one JSON object
   */
  public static ConsistencyProof fromJson(String json) throws TlogException {
    return fromJson(ProofJson.read(json, WHAT));
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
