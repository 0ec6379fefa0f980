package org.privateprocessing.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.privateprocessing.core.Profile;
import org.privateprocessing.log.LogOptions;
import org.privateprocessing.log.LogService;
import org.privateprocessing.tlog.ConsistencyProof;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.MerkleTree;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.Rfc9162;

/**
 * A timed loop, not JMH: each append through {@link LogService} is an authenticated, parsed entry
 * written with fsync, then a new signed checkpoint written with fsync, rename and directory fsync,
 * so the disk's sync latency dominates and JMH's statistics would add little. Also prints proof
 * sizes at 1, 10^3 and 10^6 leaves ({@link TlogBenchmark} measures proof times).
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:<deps>
 * org.privateprocessing.bench.LogAppendBenchmark [appends]}
 */
public final class LogAppendBenchmark {
  private LogAppendBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    Path dir = Files.createTempDirectory("log-append-bench");
    SecureRandom random = new SecureRandom();
    LogOptions options =
        new LogOptions("127.0.0.1", 0, "bench.log", dir, null, List.of(), List.of(), 16 * 1024);
    try (LogService log = LogService.open(options, Profile.DEMO, random)) {
      PublisherKeys.Signer publisher = log.demoPublisher().orElseThrow();
      byte[][] bodies = new byte[n][];
      String[] auths = new String[n];
      for (int i = 0; i < n; i++) {
        bodies[i] =
            new LogEntry.EnclaveRelease(
                    String.format("%096x", i),
                    "1." + i,
                    "c" + i,
                    Instant.ofEpochSecond(1_700_000_000L + i))
                .encode();
        auths[i] =
            "Signature keyName=\""
                + publisher.name()
                + "\",signature=\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(publisher.sign(bodies[i]))
                + "\"";
      }
      int warm = Math.min(50, n / 5);
      for (int i = 0; i < warm; i++) {
        log.append(auths[i], bodies[i]);
      }
      long t0 = System.nanoTime();
      for (int i = warm; i < n; i++) {
        log.append(auths[i], bodies[i]);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "appends with fsync through LogService: %d in %.2f s = %.0f/s (%.2f ms each)%n",
          n - warm, seconds, (n - warm) / seconds, seconds * 1000 / (n - warm));
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    MerkleTree tree = new MerkleTree();
    byte[] leaf = new byte[8];
    for (long size : new long[] {1, 1_000, 1_000_000}) {
      while (tree.size() < size) {
        java.nio.ByteBuffer.wrap(leaf).putLong(tree.size());
        tree.append(Rfc9162.leafHash(leaf));
      }
      InclusionProof inc = tree.inclusionProof(size - 1, size);
      InclusionProof first = tree.inclusionProof(0, size);
      String consistency = "-";
      if (size > 1) {
        ConsistencyProof c = tree.consistencyProof(size / 2 + 1, size);
        consistency = c.hashes().size() + " hashes (" + 32 * c.hashes().size() + " bytes)";
      }
      System.out.printf(
          "size %,d: inclusion proof of leaf 0 %d hashes (%d bytes), of the last leaf %d hashes, "
              + "consistency from %d: %s%n",
          size,
          first.hashes().size(),
          32 * first.hashes().size(),
          inc.hashes().size(),
          size / 2 + 1,
          consistency);
    }
  }
}
