package org.privateprocessing.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.privateprocessing.core.FileSpentTokens;
import org.privateprocessing.core.InMemorySpentTokens;
import org.privateprocessing.core.RedisServer;
import org.privateprocessing.core.RedisSpentTokens;
import org.privateprocessing.core.RedisStore;
import org.privateprocessing.core.SpentTokens;
import org.privateprocessing.core.StateStoreOptions;

/**
 * The gateway's spent-token check in each store, in one run so the ratios compare like with like:
 * in memory, the durable local file ({@link FileSpentTokens}, fsync before the answer, group
 * commit), and a real redis-server on 127.0.0.1 with {@code appendfsync always} and {@code
 * everysec}. {@code one}: a single redemption at a time (the latency a request waits); {@code
 * concurrent64}: 64 redemptions in flight (what a busy gateway sees; the file store batches them
 * into shared fsyncs). Scores are redemptions per second. Needs redis-server (Debian package).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class SpentTokenStoresBenchmark {
  @Param({"memory", "file", "redis-always", "redis-everysec"})
  public String store;

  private final Clock clock = Clock.systemUTC();
  private final byte[] keyId = new byte[32];
  private SpentTokens tokens;
  private Vertx vertx;
  private Path dir;
  private RedisServer redis;
  private AutoCloseable closeable;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    new SecureRandom().nextBytes(keyId);
    dir = Files.createTempDirectory("pp-bench-store");
    vertx = Vertx.vertx();
    switch (store) {
      case "memory" -> tokens = new InMemorySpentTokens(50_000_000, clock);
      case "file" -> {
        FileSpentTokens f = FileSpentTokens.open(dir, 50_000_000, clock);
        closeable = f;
        tokens = f;
      }
      default -> {
        redis =
            RedisServer.start(
                dir.resolve("redis"), store.substring("redis-".length()), "--maxmemory", "0");
        StateStoreOptions.Redis o =
            StateStoreOptions.fromJson(
                    new JsonObject()
                        .put(
                            "stateStore",
                            new JsonObject()
                                .put("type", "redis")
                                .put(
                                    "redis",
                                    new JsonObject()
                                        .put("url", redis.url())
                                        // a loaded machine's fsync can stall past the default
                                        .put("timeoutMs", 30_000))))
                .redis();
        RedisStore r = await(RedisStore.connect(vertx, o));
        tokens = new RedisSpentTokens(r, clock);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (closeable != null) {
      closeable.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (redis != null) {
      redis.close();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * Entries retire after 2 s, so every store holds a bounded set (the in-memory map would otherwise
   * grow by millions a second and measure the garbage collector).
   */
  private Instant forgetAfter() {
    return Instant.ofEpochMilli(System.currentTimeMillis() + 2_000);
  }

  /**
   * A random nonce, as clients make them (the in-memory store hashes a nonce's first bytes, so
   * nonces that share them would measure a degenerate hash table).
   */
  private static byte[] freshNonce() {
    byte[] nonce = new byte[32];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(nonce);
    return nonce;
  }

  /** One fresh token, waiting for the store's answer (durable, for file and Redis). */
  @Benchmark
  public boolean one() throws Exception {
    return tokens
        .redeem(keyId, freshNonce(), forgetAfter())
        .toCompletionStage()
        .toCompletableFuture()
        .get();
  }

  /** 64 fresh tokens in flight at once, waiting for all of them. */
  @Benchmark
  @OperationsPerInvocation(64)
  public int concurrent64() throws Exception {
    CompletableFuture<?>[] all = new CompletableFuture<?>[64];
    for (int i = 0; i < all.length; i++) {
      all[i] =
          tokens
              .redeem(keyId, freshNonce(), forgetAfter())
              .toCompletionStage()
              .toCompletableFuture();
    }
    CompletableFuture.allOf(all).get();
    return all.length;
  }
}
