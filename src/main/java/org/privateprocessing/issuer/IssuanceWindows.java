package org.privateprocessing.issuer;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Per-account issuance limits over fixed windows: {@code perWindow} tokens per {@code window}, the
 * window starting at the account's first issuance after the previous one ended. A slot is taken
 * before signing and given back if issuance then fails, so only tokens actually issued count.
 * Implementations: {@link IssuanceLimiter} (this JVM, forgotten at exit), {@link
 * FileIssuanceWindows} (durable in the data directory), {@link RedisIssuanceWindows} (shared by
 * every issuer replica of a fleet).
 */
public interface IssuanceWindows {
  /**
   * Takes a slot: completes with 0 when taken, or with the seconds until the account's window
   * resets (at least 1); fails when the store cannot count now (then nothing may be issued).
   */
  Future<Long> tryAcquire(String account, Instant now);

  /** Gives back a slot taken in the current window (issuance failed after it). */
  Future<Void> release(String account);
}
