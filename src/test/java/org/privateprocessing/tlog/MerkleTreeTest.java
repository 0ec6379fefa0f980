package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  private static byte[] leaf(long i) {
    return Rfc9162.leafHash(ByteBuffer.allocate(8).putLong(i).array());
  }

  private static MerkleTree tree(int n) {
    MerkleTree t = new MerkleTree();
    for (int i = 0; i < n; i++) {
      t.append(leaf(i));
    }
    return t;
  }

  // The RFC 9162 2.1 definitions, written recursively and independently of MerkleTree.
  private static byte[] mth(List<byte[]> d) {
    if (d.isEmpty()) {
      return Rfc9162.emptyRoot();
    }
    if (d.size() == 1) {
      return d.get(0);
    }
    int k = Integer.highestOneBit(d.size() - 1);
    return Rfc9162.nodeHash(mth(d.subList(0, k)), mth(d.subList(k, d.size())));
  }

  private static List<byte[]> path(int m, List<byte[]> d) {
    List<byte[]> out = new ArrayList<>();
    if (d.size() <= 1) {
      return out;
    }
    int k = Integer.highestOneBit(d.size() - 1);
    if (m < k) {
      out.addAll(path(m, d.subList(0, k)));
      out.add(mth(d.subList(k, d.size())));
    } else {
      out.addAll(path(m - k, d.subList(k, d.size())));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
    List<byte[]> out = new ArrayList<>();
    int n = d.size();
    if (m == n) {
      if (!b) {
        out.add(mth(d));
      }
      return out;
    }
    int k = Integer.highestOneBit(n - 1);
    if (m <= k) {
      out.addAll(subproof(m, d.subList(0, k), b));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(subproof(m - k, d.subList(k, n), false));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  @Test
  void everyInclusionProofUpToSixtyFourLeavesMatchesTheRfcDefinitionAndVerifies() throws Exception {
    MerkleTree t = tree(64);
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      leaves.add(leaf(i));
    }
    for (int size = 1; size <= 64; size++) {
      List<byte[]> d = leaves.subList(0, size);
      byte[] root = t.root(size);
      assertThat(root).isEqualTo(mth(d));
      for (int i = 0; i < size; i++) {
        InclusionProof p = t.inclusionProof(i, size);
        assertThat(p.hashes())
            .usingElementComparator(Arrays::compare)
            .containsExactlyElementsOf(path(i, d));
        p.verify(leaves.get(i), root);
      }
    }
  }

  @Test
  void everyConsistencyProofUpToSixtyFourLeavesMatchesTheRfcDefinitionAndVerifies()
      throws Exception {
    MerkleTree t = tree(64);
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      leaves.add(leaf(i));
    }
    for (int s2 = 1; s2 <= 64; s2++) {
      for (int s1 = 1; s1 <= s2; s1++) {
        ConsistencyProof p = t.consistencyProof(s1, s2);
        assertThat(p.hashes())
            .usingElementComparator(Arrays::compare)
            .containsExactlyElementsOf(
                s1 == s2 ? List.of() : subproof(s1, leaves.subList(0, s2), true));
        p.verify(t.root(s1), t.root(s2));
      }
    }
  }

  @Test
  void aProofDoesNotVerifyAgainstAnotherRootOrLeaf() throws Exception {
    MerkleTree t = tree(13);
    InclusionProof p = t.inclusionProof(5, 13);
    assertThatThrownBy(() -> p.verify(leaf(6), t.root(13)))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.BAD_PROOF));
    assertThatThrownBy(() -> p.verify(leaf(5), t.root(12))).isInstanceOf(TlogException.class);
    ConsistencyProof c = t.consistencyProof(5, 13);
    assertThatThrownBy(() -> c.verify(t.root(6), t.root(13)))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.BAD_PROOF));
  }

  @Test
  void proofsWithAMissingOrExtraHashAreRejected() throws Exception {
    MerkleTree t = tree(13);
    InclusionProof p = t.inclusionProof(5, 13);
    List<byte[]> shorter = new ArrayList<>(p.hashes().subList(0, p.hashes().size() - 1));
    List<byte[]> longer = new ArrayList<>(p.hashes());
    longer.add(leaf(0));
    assertThatThrownBy(() -> new InclusionProof(5, 13, shorter).verify(leaf(5), t.root()))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.BAD_PROOF));
    assertThatThrownBy(() -> new InclusionProof(5, 13, longer).verify(leaf(5), t.root()))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.BAD_PROOF));
    ConsistencyProof c = t.consistencyProof(5, 13);
    List<byte[]> cShort = new ArrayList<>(c.hashes().subList(1, c.hashes().size()));
    assertThatThrownBy(() -> new ConsistencyProof(5, 13, cShort).verify(t.root(5), t.root()))
        .isInstanceOf(TlogException.class);
  }

  @Test
  void proofHashesOfTheWrongLengthAreMalformed() throws Exception {
    MerkleTree t = tree(4);
    List<byte[]> hashes = new ArrayList<>(t.inclusionProof(1, 4).hashes());
    hashes.set(0, Arrays.copyOf(hashes.get(0), 31));
    assertThatThrownBy(() -> new InclusionProof(1, 4, hashes).verify(leaf(1), t.root()))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.MALFORMED));
    List<byte[]> c = new ArrayList<>(t.consistencyProof(3, 4).hashes());
    c.set(0, new byte[33]);
    assertThatThrownBy(() -> new ConsistencyProof(3, 4, c).verify(t.root(3), t.root()))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.MALFORMED));
    assertThatThrownBy(() -> t.inclusionProof(1, 4).verify(new byte[0], t.root()))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.MALFORMED));
  }

  @Test
  void sizesBeyondTheTreeOrOutOfOrderAreSizeErrors() {
    MerkleTree t = tree(10);
    assertSize(() -> t.root(11));
    assertSize(() -> t.root(-1));
    assertSize(() -> t.leafHash(10));
    assertSize(() -> t.inclusionProof(10, 10));
    assertSize(() -> t.inclusionProof(0, 11));
    assertSize(() -> t.inclusionProof(-1, 5));
    assertSize(() -> t.inclusionProof(0, 0));
    assertSize(() -> t.consistencyProof(0, 5));
    assertSize(() -> t.consistencyProof(6, 5));
    assertSize(() -> t.consistencyProof(5, 11));
    assertSize(() -> new InclusionProof(3, 3, List.of()).rootFrom(leaf(0)));
    assertSize(() -> new ConsistencyProof(0, 0, List.of()).verify(t.root(), t.root()));
    assertSize(() -> new ConsistencyProof(4, 3, List.of()).verify(t.root(), t.root()));
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void assertSize(Call c) {
    assertThatThrownBy(c::run)
        .isInstanceOfSatisfying(
            TlogException.class, e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.SIZE));
  }

  @Test
  void indexOfFindsTheFirstOccurrenceAndNothingForUnknownHashes() throws Exception {
    MerkleTree t = tree(5000);
    t.append(leaf(42));
    assertThat(t.indexOf(leaf(42))).isEqualTo(OptionalLong.of(42));
    assertThat(t.indexOf(leaf(4999))).isEqualTo(OptionalLong.of(4999));
    assertThat(t.indexOf(leaf(5000))).isEmpty();
    assertThat(t.indexOf(new byte[3])).isEmpty();
    assertThat(t.leafHash(5000)).isEqualTo(leaf(42));
    for (int i = 0; i < 5000; i += 97) {
      assertThat(t.indexOf(leaf(i))).hasValue(i);
    }
  }

  @Test
  void appendRejectsHashesThatAreNot32Bytes() {
    MerkleTree t = new MerkleTree();
    assertThatThrownBy(() -> t.append(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    assertThat(t.size()).isZero();
    assertThat(t.root()).isEqualTo(Rfc9162.emptyRoot());
  }

  @Test
  void aMillionLeavesGiveVerifiableRootsAndProofsAtSeveralSizes() throws Exception {
    int n = 1_000_000;
    MerkleTree t = new MerkleTree();
    byte[] h = new byte[32];
    for (int i = 0; i < n; i++) {
      ByteBuffer.wrap(h).putInt(0, i); // cheap distinct fixed hashes
      t.append(h);
    }
    assertThat(t.size()).isEqualTo(n);
    long[] sizes = {1, 2, 1000, 65_536, 524_289, 999_999, 1_000_000};
    for (long size : sizes) {
      byte[] root = t.root(size);
      for (long idx : new long[] {0, size / 2, size - 1}) {
        InclusionProof p = t.inclusionProof(idx, size);
        p.verify(t.leafHash(idx), root);
        assertThat(p.hashes().size()).isLessThanOrEqualTo(20);
      }
      for (long s1 : new long[] {1, size / 3 + 1, size}) {
        if (s1 <= size) {
          t.consistencyProof(s1, size).verify(t.root(s1), root);
        }
      }
    }
    ByteBuffer.wrap(h).putInt(0, 777_777);
    assertThat(t.indexOf(h)).hasValue(777_777);
  }
}
