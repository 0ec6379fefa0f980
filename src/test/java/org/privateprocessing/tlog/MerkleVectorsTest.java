package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.privateprocessing.ohttp.Vectors;

/** transparency-dev/merkle vectors, byte for byte: tree roots, node hashes and both proof kinds. */
class MerkleVectorsTest {
  private static final JsonNode TREE = Vectors.load("merkle/rfc6962-tree.json");

  static MerkleTree referenceTree(int n) {
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < n; i++) {
      tree.append(Rfc9162.leafHash(Vectors.hex(TREE.get("leaf_inputs").get(i))));
    }
    return tree;
  }

  @Test
  void hasherCasesMatchTheReference() {
    for (JsonNode c : TREE.get("hasher_cases")) {
      byte[] want = Vectors.hex(c.get("want"));
      if (c.has("left")) {
        assertThat(Rfc9162.nodeHash(Vectors.hex(c.get("left")), Vectors.hex(c.get("right"))))
            .isEqualTo(want);
      } else if (c.has("leaf")) {
        assertThat(Rfc9162.leafHash(Vectors.hex(c.get("leaf")))).isEqualTo(want);
      } else {
        assertThat(Rfc9162.emptyRoot()).isEqualTo(want);
      }
    }
  }

  @Test
  void rootOfEverySizeFromZeroToEightMatchesTheReference() throws Exception {
    JsonNode roots = TREE.get("roots_by_size");
    MerkleTree full = referenceTree(8);
    for (int n = 0; n <= 8; n++) {
      byte[] want = Vectors.hex(roots.get(n));
      assertThat(referenceTree(n).root()).as("root of fresh tree of size %d", n).isEqualTo(want);
      assertThat(full.root(n)).as("historical root of size %d", n).isEqualTo(want);
    }
  }

  @Test
  void storedNodeHashesMatchTheReferenceLevelByLevel() throws Exception {
    MerkleTree tree = referenceTree(8);
    JsonNode levels = TREE.get("node_hashes");
    for (int level = 0; level < levels.size(); level++) {
      JsonNode nodes = levels.get(level);
      for (int i = 0; i < nodes.size(); i++) {
        long width = 1L << level;
        // A complete aligned subtree's hash is the root of the tree of those leaves alone.
        MerkleTree sub = new MerkleTree();
        for (long j = i * width; j < (i + 1) * width; j++) {
          sub.append(tree.leafHash(j));
        }
        assertThat(sub.root())
            .as("node %d at level %d", i, level)
            .isEqualTo(Vectors.hex(nodes.get(i)));
      }
    }
  }

  static Stream<Arguments> inclusionCases() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : Vectors.load("merkle/inclusion-proofs.json").get("cases")) {
      out.add(Arguments.of(c.get("file").asText(), c));
    }
    return out.stream();
  }

  static Stream<Arguments> consistencyCases() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : Vectors.load("merkle/consistency-proofs.json").get("cases")) {
      out.add(Arguments.of(c.get("file").asText(), c));
    }
    return out.stream();
  }

  static List<byte[]> proof(JsonNode c) {
    List<byte[]> p = new ArrayList<>();
    if (c.get("proof") != null && !c.get("proof").isNull()) {
      for (JsonNode h : c.get("proof")) {
        p.add(Vectors.hex(h));
      }
    }
    return p;
  }

  @Test
  void thereAreNinetyEightCasesOfEachKind() {
    assertThat(inclusionCases()).hasSize(98);
    assertThat(consistencyCases()).hasSize(98);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusionCases")
  void inclusionVectorVerifiesExactlyWhenItShould(String file, JsonNode c) {
    InclusionProof p =
        new InclusionProof(c.get("leafIdx").asLong(), c.get("treeSize").asLong(), proof(c));
    byte[] leaf = Vectors.hex(c.get("leafHash"));
    byte[] root = Vectors.hex(c.get("root"));
    if (c.get("wantErr").asBoolean()) {
      assertThatThrownBy(() -> p.verify(leaf, root)).isInstanceOf(TlogException.class);
    } else {
      try {
        p.verify(leaf, root);
      } catch (TlogException e) {
        throw new AssertionError(file + ": " + e.getMessage(), e);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consistencyCases")
  void consistencyVectorVerifiesExactlyWhenItShould(String file, JsonNode c) {
    ConsistencyProof p =
        new ConsistencyProof(c.get("size1").asLong(), c.get("size2").asLong(), proof(c));
    byte[] root1 = Vectors.hex(c.get("root1"));
    byte[] root2 = Vectors.hex(c.get("root2"));
    if (c.get("wantErr").asBoolean()) {
      assertThatThrownBy(() -> p.verify(root1, root2)).isInstanceOf(TlogException.class);
    } else {
      try {
        p.verify(root1, root2);
      } catch (TlogException e) {
        throw new AssertionError(file + ": " + e.getMessage(), e);
      }
    }
  }

  @Test
  void ourProofsOnTheReferenceTreeEqualTheHappyPathVectorsByteForByte() throws Exception {
    MerkleTree tree = referenceTree(8);
    int inclusion = 0;
    for (JsonNode c : Vectors.load("merkle/inclusion-proofs.json").get("cases")) {
      long idx = c.get("leafIdx").asLong();
      long size = c.get("treeSize").asLong();
      if (c.get("wantErr").asBoolean()
          || size > 8
          || size == 0
          || !java.util.Arrays.equals(tree.root(size), Vectors.hex(c.get("root")))) {
        continue;
      }
      assertThat(tree.inclusionProof(idx, size).hashes())
          .as("inclusion %d in %d", idx, size)
          .usingElementComparator(java.util.Arrays::compare)
          .containsExactlyElementsOf(proof(c));
      inclusion++;
    }
    int consistency = 0;
    for (JsonNode c : Vectors.load("merkle/consistency-proofs.json").get("cases")) {
      long s1 = c.get("size1").asLong();
      long s2 = c.get("size2").asLong();
      if (c.get("wantErr").asBoolean()
          || s2 > 8
          || s1 == 0
          || !java.util.Arrays.equals(tree.root(s2), Vectors.hex(c.get("root2")))) {
        continue;
      }
      assertThat(tree.consistencyProof(s1, s2).hashes())
          .as("consistency %d -> %d", s1, s2)
          .usingElementComparator(java.util.Arrays::compare)
          .containsExactlyElementsOf(proof(c));
      consistency++;
    }
    assertThat(inclusion).isGreaterThanOrEqualTo(5);
    assertThat(consistency).isGreaterThanOrEqualTo(5);
  }
}
