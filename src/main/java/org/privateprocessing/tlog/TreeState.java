package org.privateprocessing.tlog;

import java.util.List;

/** Rebuilds the in-memory {@link MerkleTree} from stored entries at startup. */
public final class TreeState {
  private TreeState() {}

  /** A tree whose leaf i is {@link Rfc9162#leafHash} of entry i. */
  public static MerkleTree fromEntries(List<byte[]> entries) {
    MerkleTree tree = new MerkleTree();
    for (byte[] e : entries) {
      tree.append(Rfc9162.leafHash(e));
    }
    return tree;
  }

  /** A tree over every entry of {@code log}. */
  public static MerkleTree fromLog(LogFile log) {
    return fromEntries(log.entries());
  }
}
