package org.privateprocessing.core;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spent tokens in a concurrent hash map: O(1) per redemption, one small key object per token. A
 * token is keyed, as in {@link FileSpentTokens}, on {@code SHA-256("private-processing spent token
 * v1" || key id length || key id || nonce)}: the whole nonce counts, the key id's length keeps two
 * (key id, nonce) pairs from meeting as one byte string, and since the client picks the nonce, the
 * map's hash codes come from the digest, never from bytes a client chose (a client could otherwise
 * pile every token into one bucket). The map holds no nonce. Entries are dropped once their key has
 * retired (checked at most once a second, on the way), and the map is capped: past {@code
 * maxEntries} live entries a redemption is refused as unavailable rather than letting memory grow.
 */
public final class InMemorySpentTokens implements SpentTokens {
  /** Most spent tokens one JVM remembers at once by default (about 100 bytes each). */
  public static final int DEFAULT_MAX_ENTRIES = 10_000_000;

  private final ConcurrentHashMap<SpentTokenKey, Instant> spent = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final Clock clock;
  private volatile long nextSweepMillis;

  public InMemorySpentTokens(int maxEntries, Clock clock) {
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /** Thrown when the store is full of live entries; the gateway answers 503. */
  public static final class FullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    FullException() {
      super("spent-token store is full");
    }
  }

  /** As {@link #spend}, already complete: the map answers at once. */
  @Override
  public Future<Boolean> redeem(byte[] tokenKeyId, byte[] nonce, Instant forgetAfter) {
    try {
      return Future.succeededFuture(spend(tokenKeyId, nonce, forgetAfter));
    } catch (FullException full) {
      return Future.failedFuture(full);
    }
  }

  /** Synchronous form: true when the token was fresh; throws {@link FullException} when full. */
  public boolean spend(byte[] tokenKeyId, byte[] nonce, Instant forgetAfter) {
    sweepIfDue();
    if (spent.size() >= maxEntries) {
      throw new FullException();
    }
    return spent.putIfAbsent(SpentTokenKey.of(tokenKeyId, nonce), forgetAfter) == null;
  }

  /** Fails while the store is full of live entries (each redemption would be refused). */
  @Override
  public Future<Void> probe() {
    sweepIfDue();
    return spent.size() < maxEntries
        ? Future.succeededFuture()
        : Future.failedFuture(
            new IllegalStateException(
                "the spent-token store is full ("
                    + maxEntries
                    + " live entries); it frees up as issuer keys retire"));
  }

  /** Entries currently held, for metrics and tests. */
  public int size() {
    return spent.size();
  }

  private void sweepIfDue() {
    long now = clock.millis();
    if (now < nextSweepMillis) {
      return;
    }
    nextSweepMillis = now + 1_000;
    Instant instant = Instant.ofEpochMilli(now);
    spent.values().removeIf(forgetAfter -> !instant.isBefore(forgetAfter));
  }
}
