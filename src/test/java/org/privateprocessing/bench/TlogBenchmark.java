package org.privateprocessing.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.privateprocessing.tlog.ConsistencyProof;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.LogFile;
import org.privateprocessing.tlog.MerkleTree;
import org.privateprocessing.tlog.Rfc9162;
import org.privateprocessing.tlog.TlogException;

/**
 * The transparency log's costs: generating and verifying inclusion and consistency proofs at
 * several tree sizes (the proofs are for the last leaf and from size/2+1, the longest right-edge
 * paths), and a durable append (write + fsync) to {@link LogFile}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TlogBenchmark {

  /** A tree of {@code size} leaves with one proof of each kind prepared. */
  @State(Scope.Benchmark)
  public static class Tree {
    @Param({"1", "1000", "1000000"})
    public long size;

    MerkleTree tree;
    long index;
    long size1;
    byte[] leaf;
    byte[] root;
    byte[] root1;
    InclusionProof inclusion;
    ConsistencyProof consistency;

    @Setup(Level.Trial)
    public void setUp() throws TlogException {
      tree = new MerkleTree();
      byte[] h = new byte[Rfc9162.HASH_LENGTH];
      for (long i = 0; i < size; i++) {
        ByteBuffer.wrap(h).putLong(0, i);
        tree.append(h);
      }
      index = size - 1;
      // size1 == size gives an empty proof; size 1 has only that.
      size1 = size == 1 ? 1 : size / 2 + 1;
      leaf = tree.leafHash(index);
      root = tree.root(size);
      root1 = tree.root(size1);
      inclusion = tree.inclusionProof(index, size);
      consistency = tree.consistencyProof(size1, size);
      System.out.printf(
          "%n[tree size %d: inclusion proof %d hashes, consistency proof %d -> %d:"
              + " %d hashes]%n",
          size, inclusion.hashes().size(), size1, size, consistency.hashes().size());
    }
  }

  @Benchmark
  public InclusionProof inclusionGenerate(Tree t) throws TlogException {
    return t.tree.inclusionProof(t.index, t.size);
  }

  @Benchmark
  public InclusionProof inclusionVerify(Tree t) throws TlogException {
    t.inclusion.verify(t.leaf, t.root);
    return t.inclusion;
  }

  @Benchmark
  public ConsistencyProof consistencyGenerate(Tree t) throws TlogException {
    return t.tree.consistencyProof(t.size1, t.size);
  }

  @Benchmark
  public ConsistencyProof consistencyVerify(Tree t) throws TlogException {
    t.consistency.verify(t.root1, t.root);
    return t.consistency;
  }

  /** A log in a fresh temporary directory. */
  @State(Scope.Thread)
  public static class Store {
    Path dir;
    LogFile log;
    final byte[] entry = new byte[256];
    long counter;

    @Setup(Level.Iteration)
    public void setUp() throws IOException, TlogException {
      dir = Files.createTempDirectory("tlog-bench");
      log = LogFile.open(dir);
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws IOException {
      log.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** One 256-byte entry appended and forced to disk (fsync): the log's write rate. */
  @Benchmark
  public long logFileAppendWithFsync(Store s) throws IOException {
    ByteBuffer.wrap(s.entry).putLong(0, ++s.counter);
    return s.log.append(s.entry);
  }
}
