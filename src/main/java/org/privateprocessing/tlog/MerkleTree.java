package org.privateprocessing.tlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An append-only RFC 9162 Merkle tree held in memory.
 *
 * <p>It keeps the hash of every complete, aligned subtree, level by level (level 0 = the leaf
 * hashes, level k = subtrees of 2^k leaves), about 2 x 32 bytes per leaf. Appending is amortised
 * O(1) node hashes; {@link #root(long)} and proof generation for any earlier size are O(log n):
 * every range they need is a stored subtree except at most one right-edge chain.
 *
 * <p>Thread-safe: a read-write lock lets any number of readers (roots, proofs, lookups) run
 * together while {@link #append} excludes them.
 */
public final class MerkleTree {
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final List<HashColumn> levels = new ArrayList<>();
  private final LeafIndex index = new LeafIndex();

  public MerkleTree() {
    HashColumn leaves = new HashColumn();
    levels.add(leaves);
    index.attach(leaves);
  }

  /**
   * Appends a leaf hash (use {@link Rfc9162#leafHash} of the entry) and returns its index.
   *
   * @throws IllegalArgumentException if the hash is not 32 bytes
   */
  public long append(byte[] leafHash) {
    if (leafHash == null || leafHash.length != Rfc9162.HASH_LENGTH) {
      throw new IllegalArgumentException("leaf hash must be " + Rfc9162.HASH_LENGTH + " bytes");
    }
    lock.writeLock().lock();
    try {
      HashColumn leaves = levels.get(0);
      long idx = leaves.size();
      leaves.add(leafHash, 0);
      index.putIfAbsent(leafHash, idx, leaves);
      // Each completed pair at a level completes one node on the level above.
      int level = 0;
      long n = idx + 1;
      byte[] buf = new byte[2 * Rfc9162.HASH_LENGTH];
      while ((n & 1) == 0) {
        HashColumn col = levels.get(level);
        long last = col.size() - 1;
        col.get(last - 1, buf, 0);
        col.get(last, buf, Rfc9162.HASH_LENGTH);
        byte[] parent = Rfc9162.nodeHash(buf);
        level++;
        if (levels.size() == level) {
          levels.add(new HashColumn());
        }
        levels.get(level).add(parent, 0);
        n >>= 1;
      }
      return idx;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Number of leaves. */
  public long size() {
    lock.readLock().lock();
    try {
      return levels.get(0).size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The root of the current tree ({@link Rfc9162#emptyRoot()} when empty). */
  public byte[] root() {
    lock.readLock().lock();
    try {
      return mth(0, levels.get(0).size());
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The root the tree had when it held {@code treeSize} leaves.
   *
   * @throws TlogException SIZE if treeSize is negative or beyond {@link #size()}
   */
  public byte[] root(long treeSize) throws TlogException {
    lock.readLock().lock();
    try {
      requireWithinTree(treeSize);
      return mth(0, treeSize);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The leaf hash at {@code index}.
   *
   * @throws TlogException SIZE if there is no such leaf
   */
  public byte[] leafHash(long index) throws TlogException {
    lock.readLock().lock();
    try {
      HashColumn leaves = levels.get(0);
      if (index < 0 || index >= leaves.size()) {
        throw new TlogException(
            TlogException.Reason.SIZE,
            "leaf index " + index + " is not below the tree's " + leaves.size() + " leaves");
      }
      return leaves.get(index);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The index of the first leaf with this hash, in O(1) expected time. */
  public OptionalLong indexOf(byte[] leafHash) {
    if (leafHash == null || leafHash.length != Rfc9162.HASH_LENGTH) {
      return OptionalLong.empty();
    }
    lock.readLock().lock();
    try {
      return index.find(leafHash, levels.get(0));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The RFC 9162 section 2.1.3.1 inclusion proof of leaf {@code index} in the tree of {@code
   * treeSize} leaves.
   *
   * @throws TlogException SIZE if index >= treeSize or treeSize > size()
   */
  public InclusionProof inclusionProof(long index, long treeSize) throws TlogException {
    lock.readLock().lock();
    try {
      requireWithinTree(treeSize);
      if (index < 0 || index >= treeSize) {
        throw new TlogException(
            TlogException.Reason.SIZE,
            "leaf index " + index + " is not below tree size " + treeSize);
      }
      List<byte[]> path = new ArrayList<>();
      inclusionPath(index, 0, treeSize, path);
      return new InclusionProof(index, treeSize, path);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The RFC 9162 section 2.1.4.1 consistency proof from {@code size1} to {@code size2}.
   *
   * @throws TlogException SIZE if size1 == 0, size1 > size2 or size2 > size()
   */
  public ConsistencyProof consistencyProof(long size1, long size2) throws TlogException {
    lock.readLock().lock();
    try {
      requireWithinTree(size2);
      if (size1 <= 0 || size1 > size2) {
        throw new TlogException(
            TlogException.Reason.SIZE,
            "consistency proof needs 0 < size1 <= size2, got " + size1 + " and " + size2);
      }
      List<byte[]> path = new ArrayList<>();
      if (size1 < size2) {
        subproof(size1, 0, size2, true, path);
      }
      return new ConsistencyProof(size1, size2, path);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Callers hold the read lock. */
  private void requireWithinTree(long treeSize) throws TlogException {
    long size = levels.get(0).size();
    if (treeSize < 0 || treeSize > size) {
      throw new TlogException(
          TlogException.Reason.SIZE,
          "tree size " + treeSize + " is beyond the tree's " + size + " leaves");
    }
  }

  // PATH(m, D[start:end]) of RFC 9162 2.1.3.1, leaf-to-root order; iterative top-down, so the
  // siblings are collected root-first and reversed at the end.
  private void inclusionPath(long m, long start, long end, List<byte[]> out) {
    List<byte[]> topDown = new ArrayList<>();
    long lo = start;
    long hi = end;
    long target = start + m;
    while (hi - lo > 1) {
      long k = largestPowerOfTwoBelow(hi - lo);
      if (target < lo + k) {
        topDown.add(mth(lo + k, hi));
        hi = lo + k;
      } else {
        topDown.add(mth(lo, lo + k));
        lo = lo + k;
      }
    }
    for (int i = topDown.size() - 1; i >= 0; i--) {
      out.add(topDown.get(i));
    }
  }

  // SUBPROOF(m, D[start:end], b) of RFC 9162 2.1.4.1, iterative like inclusionPath.
  private void subproof(long m, long start, long end, boolean b, List<byte[]> out) {
    List<byte[]> topDown = new ArrayList<>();
    long lo = start;
    long hi = end;
    long mm = m;
    boolean whole = b;
    while (true) {
      long n = hi - lo;
      if (mm == n) {
        if (!whole) {
          topDown.add(mth(lo, hi));
        }
        break;
      }
      long k = largestPowerOfTwoBelow(n);
      if (mm <= k) {
        topDown.add(mth(lo + k, hi));
        hi = lo + k;
      } else {
        topDown.add(mth(lo, lo + k));
        lo = lo + k;
        mm -= k;
        whole = false;
      }
    }
    for (int i = topDown.size() - 1; i >= 0; i--) {
      out.add(topDown.get(i));
    }
  }

  // MTH(D[start:end]). Callers only ask for ranges whose start is aligned to the largest power of
  // two below the length (true of every range RFC 9162's recursions produce), so the left part is
  // always a stored subtree and only the right edge recurses: O(log n) node hashes.
  private byte[] mth(long start, long end) {
    long n = end - start;
    if (n == 0) {
      return Rfc9162.emptyRoot();
    }
    if ((n & (n - 1)) == 0 && start % n == 0) {
      int level = Long.numberOfTrailingZeros(n);
      return levels.get(level).get(start >> level);
    }
    // Fold the right edge from the smallest chunk upwards.
    List<byte[]> chunks = new ArrayList<>();
    long lo = start;
    while (lo < end) {
      long rem = end - lo;
      long k = Long.highestOneBit(rem);
      int level = Long.numberOfTrailingZeros(k);
      if (lo % k != 0) {
        throw new IllegalStateException("unaligned Merkle range [" + start + ", " + end + ")");
      }
      chunks.add(levels.get(level).get(lo >> level));
      lo += k;
    }
    byte[] acc = chunks.get(chunks.size() - 1);
    for (int i = chunks.size() - 2; i >= 0; i--) {
      acc = Rfc9162.nodeHash(chunks.get(i), acc);
    }
    return acc;
  }

  private static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }

  /** A growable column of 32-byte hashes in fixed-size pages, so growth never copies. */
  static final class HashColumn {
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE_HASHES = 1 << PAGE_SHIFT;
    private final List<byte[]> pages = new ArrayList<>();
    private long size;

    long size() {
      return size;
    }

    void add(byte[] src, int off) {
      int inPage = (int) (size & (PAGE_HASHES - 1));
      if (inPage == 0) {
        pages.add(new byte[PAGE_HASHES * Rfc9162.HASH_LENGTH]);
      }
      System.arraycopy(
          src, off, pages.get(pages.size() - 1), inPage * Rfc9162.HASH_LENGTH, Rfc9162.HASH_LENGTH);
      size++;
    }

    void get(long i, byte[] dst, int off) {
      byte[] page = pages.get((int) (i >>> PAGE_SHIFT));
      System.arraycopy(
          page, (int) (i & (PAGE_HASHES - 1)) * Rfc9162.HASH_LENGTH, dst, off, Rfc9162.HASH_LENGTH);
    }

    byte[] get(long i) {
      byte[] out = new byte[Rfc9162.HASH_LENGTH];
      get(i, out, 0);
      return out;
    }

    boolean equalsAt(long i, byte[] hash) {
      byte[] page = pages.get((int) (i >>> PAGE_SHIFT));
      int base = (int) (i & (PAGE_HASHES - 1)) * Rfc9162.HASH_LENGTH;
      return Arrays.equals(page, base, base + Rfc9162.HASH_LENGTH, hash, 0, Rfc9162.HASH_LENGTH);
    }
  }

  /**
   * Open-addressing map from leaf hash to first index: each 8-byte slot holds a 32-bit fingerprint
   * of the hash and index + 1, and a hit is confirmed against the leaf column. This is a third of
   * what a {@code HashMap<ByteBuffer, Long>} costs, and the fingerprint spares a cache miss on the
   * leaf column for most probes. Load factor at most 1/2 keeps probe chains short.
   */
  static final class LeafIndex {
    /** Largest index a slot can hold (index + 1 must fit in 32 bits). */
    static final long MAX_LEAVES = 0xFFFF_FFFFL;

    private long[] slots = new long[1 << 10]; // (fingerprint << 32) | (index + 1); 0 = empty
    private long count;

    void putIfAbsent(byte[] hash, long idx, HashColumn leaves) {
      if (idx >= MAX_LEAVES) {
        throw new IllegalStateException("the tree holds at most " + MAX_LEAVES + " leaves");
      }
      if ((count + 1) * 2 > slots.length) {
        grow();
      }
      long h = spread(hash);
      int fp = (int) (h >>> 32);
      int mask = slots.length - 1;
      int pos = (int) h & mask;
      while (slots[pos] != 0) {
        long v = slots[pos];
        if ((int) (v >>> 32) == fp && leaves.equalsAt((v & MAX_LEAVES) - 1, hash)) {
          return; // keep the first occurrence
        }
        pos = (pos + 1) & mask;
      }
      slots[pos] = ((long) fp << 32) | (idx + 1);
      count++;
    }

    OptionalLong find(byte[] hash, HashColumn leaves) {
      long h = spread(hash);
      int fp = (int) (h >>> 32);
      int mask = slots.length - 1;
      int pos = (int) h & mask;
      while (slots[pos] != 0) {
        long v = slots[pos];
        if ((int) (v >>> 32) == fp && leaves.equalsAt((v & MAX_LEAVES) - 1, hash)) {
          return OptionalLong.of((v & MAX_LEAVES) - 1);
        }
        pos = (pos + 1) & mask;
      }
      return OptionalLong.empty();
    }

    // The low 32 bits of the spread hash place a slot; they are not stored, so growing reads
    // each leaf hash back once.
    private HashColumn column;

    void attach(HashColumn leaves) {
      this.column = leaves;
    }

    private void grow() {
      long[] old = slots;
      slots = new long[old.length * 2];
      int mask = slots.length - 1;
      byte[] buf = new byte[Rfc9162.HASH_LENGTH];
      for (long v : old) {
        if (v != 0) {
          column.get((v & MAX_LEAVES) - 1, buf, 0);
          int pos = (int) spread(buf) & mask;
          while (slots[pos] != 0) {
            pos = (pos + 1) & mask;
          }
          slots[pos] = v;
        }
      }
    }

    // Leaf hashes are SHA-256 outputs, but callers may append chosen values: mix all 32 bytes
    // (murmur3's fmix64 per 8-byte word), so structured hashes still spread over the table.
    private static long spread(byte[] hash) {
      long h = 0;
      for (int i = 0; i < Rfc9162.HASH_LENGTH; i += 8) {
        long w = 0;
        for (int j = 0; j < 8; j++) {
          w = (w << 8) | (hash[i + j] & 0xff);
        }
        h = fmix64(h ^ w) + 0x9e3779b97f4a7c15L;
      }
      return h;
    }

    private static long fmix64(long k) {
      k ^= k >>> 33;
      k *= 0xff51afd7ed558ccdL;
      k ^= k >>> 33;
      k *= 0xc4ceb9fe1a85ec53L;
      k ^= k >>> 33;
      return k;
    }
  }
}
