package org.privateprocessing.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.util.List;

/**
 * An RFC 9162 inclusion proof (audit path, leaf to root) that leaf {@code leafIndex} is in the tree
 * of {@code treeSize} leaves.
 *
 * <p>The hashes are copied in and the list is unmodifiable; callers must not mutate the arrays they
 * read from it.
 *
 * <p>JSON form (docs/TRANSPARENCY.md), written and read here only: {@code
 * {"leafIndex":N,"treeSize":S,"hashes":["<b64url>",...]}}, as the log answers {@code GET
 * /proof/inclusion}. A proof that travels beside the checkpoint it leads to leaves {@code treeSize}
 * out, because the checkpoint's size is the tree size (the gateway's listing, docs/PROTOCOL.md).
 */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> hashes) {
  private static final String WHAT = "inclusion proof";

  public InclusionProof {
    hashes = Hashes.copyOf(hashes);
  }

  /** The JSON form {@code {"leafIndex","treeSize","hashes"}}. */
  public ObjectNode toJson() {
    ObjectNode o = EntryJson.MAPPER.createObjectNode();
    o.put("leafIndex", leafIndex);
    o.put("treeSize", treeSize);
    o.set("hashes", ProofJson.hashes(hashes));
    return o;
  }

  /**
   * The JSON form without {@code treeSize} ({@code {"leafIndex","hashes"}}), for a proof sent
   * beside the checkpoint whose size is its tree size.
   */
  public ObjectNode toJsonWithoutTreeSize() {
    ObjectNode o = toJson();
    o.remove("treeSize");
    return o;
  }

  /**
   * Reads the JSON form {@code {"leafIndex","treeSize","hashes"}}; other members are ignored.
   *
   * @throws TlogException MALFORMED naming the member that is missing or out of form: a count that
   *     is not a non-negative integer, more than 64 hashes, a hash that is not canonical unpadded
   *     base64url of 32 bytes
   */
  public static InclusionProof fromJson(JsonNode json) throws TlogException {
    ProofJson.requireObject(json, WHAT);
    return fromJson(json, ProofJson.count(json, "treeSize", WHAT));
  }

  /**
   * Reads the JSON form without {@code treeSize} for a tree of {@code treeSize} leaves (the size of
   * the checkpoint the proof came with); other members, {@code treeSize} too, are ignored.
   *
   * @throws TlogException MALFORMED as {@link #fromJson(JsonNode)}
   */
  public static InclusionProof fromJson(JsonNode json, long treeSize) throws TlogException {
    ProofJson.requireObject(json, WHAT);
    return new InclusionProof(
        ProofJson.count(json, "leafIndex", WHAT), treeSize, ProofJson.hashes(json, WHAT));
  }

  /**
   * As {@link #fromJson(JsonNode)}, from JSON text.
   *
   * @throws TlogException MALFORMED also for text that is not one JSON object
   */
  public static InclusionProof fromJson(String json) throws TlogException {
    return fromJson(ProofJson.read(json, WHAT));
  }

  /**
   * As {@link #fromJson(JsonNode, long)}, from JSON text.
   *
   * @throws TlogException MALFORMED also for text that is not one JSON object
   */
  public static InclusionProof fromJson(String json, long treeSize) throws TlogException {
    return fromJson(ProofJson.read(json, WHAT), treeSize);
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
