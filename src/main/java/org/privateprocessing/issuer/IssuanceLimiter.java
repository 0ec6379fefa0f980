package org.privateprocessing.issuer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-account issuance limit over fixed windows. A slot is taken before signing and given back if
 * issuance then fails, so only tokens actually issued count. Memory is one entry per account that
 * asked in the current window.
 */
final class IssuanceLimiter {
  private final int perWindow;
  private final Duration window;
  private final Map<String, long[]> windows = new HashMap<>();

  IssuanceLimiter(int perWindow, Duration window) {
    this.perWindow = perWindow;
    this.window = window;
  }

  /** Takes a slot, or returns the seconds until the account's window resets (at least 1). */
  synchronized long tryAcquire(String account, Instant now) {
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

  synchronized void release(String account) {
    long[] w = windows.get(account);
    if (w != null && w[1] > 0) {
      w[1]--;
    }
  }
}
