package org.privateprocessing.bench;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.privateprocessing.core.InMemorySpentTokens;

/**
 * The gateway's double-spend check: recording a fresh token and refusing a replay. Run with {@code
 * -prof gc} to see the allocation per redemption ({@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class SpentTokensBenchmark {
  private static final int STORE_RESET = 1_000_000;

  private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
  private final Instant forgetAfter = clock.instant().plusSeconds(3_600);
  private final byte[] keyId = new byte[32];
  private final byte[] nonce = new byte[32];
  private final byte[] spentNonce = new byte[32];
  private InMemorySpentTokens store;
  private long counter;

  @Setup(Level.Iteration)
  public void setUp() {
    new SecureRandom().nextBytes(keyId);
    new SecureRandom().nextBytes(nonce);
    new SecureRandom().nextBytes(spentNonce);
    store = new InMemorySpentTokens(10_000_000, clock);
    store.spend(keyId, spentNonce, forgetAfter);
    counter = 0;
  }

  /** A new token: one insertion. The store is renewed every million so the heap stays bounded. */
  @Benchmark
  public boolean spendFresh() {
    if (++counter % STORE_RESET == 0) {
      store = new InMemorySpentTokens(10_000_000, clock);
    }
    ByteBuffer.wrap(nonce).putLong(0, counter);
    return store.spend(keyId, nonce, forgetAfter);
  }

  /** A replayed token: one lookup that finds it. */
  @Benchmark
  public boolean refuseReplay() {
    return store.spend(keyId, spentNonce, forgetAfter);
  }
}
