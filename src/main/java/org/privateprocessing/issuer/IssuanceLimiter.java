package org.privateprocessing.issuer;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-account issuance limit over fixed windows. A slot is taken before signing and given back if
 * issuance then fails, so only tokens actually issued count. Memory is one entry per account that
 * asked in the current window. In memory only: a restart forgets the windows, and each issuer
 * replica counts on its own ({@code stateStore.type} memory or cluster).
 */
final class IssuanceLimiter implements IssuanceWindows {
  private final int perWindow;
  private final Duration window;
  private final Map<String, long[]> windows = new HashMap<>();

  IssuanceLimiter(int perWindow, Duration window) {
    this.perWindow = perWindow;
    this.window = window;
  }

  @Override
  public Future<Long> tryAcquire(String account, Instant now) {
    return Future.succeededFuture(take(account, now));
  }

  @Override
  public Future<Void> release(String account) {
    giveBack(account);
    return Future.succeededFuture();
  }

  /** Takes a slot, or returns the seconds until the account's window resets (at least 1). */
  synchronized long take(String account, Instant now) {
    long nowMillis = now.toEpochMilli();
    long[] w = windows.computeIfAbsent(account, a -> new long[] {nowMillis, 0});
    if (nowMillis - w[0] >= window.toMillis()) {
      w[0] = nowMillis;
      w[1] = 0;
    }
    if (w[1] >= perWindow) {
      return Math.max(1, (w[0] + window.toMillis() - nowMillis + 999) / 1000);
    }
    w[1]++;
    return 0;
  }

  synchronized void giveBack(String account) {
    long[] w = windows.get(account);
    if (w != null && w[1] > 0) {
      w[1]--;
    }
  }
}
