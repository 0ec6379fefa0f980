package org.privateprocessing.issuer;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.privateprocessing.core.RedisStore;

/**
 * Issuance windows in the Redis a fleet shares ({@link RedisStore}): every issuer replica counts
 * against the same window, and a restart of any of them (or of all) hands no account a fresh one.
 * One Lua script per issuance, atomic in Redis: {@code INCR} the account's counter, start its
 * window ({@code PEXPIRE}) on the first slot, and give the slot back and answer the wait when the
 * account is over its limit. The counter's name is a hash of the account id.
 */
public final class RedisIssuanceWindows implements IssuanceWindows {
  /** KEYS[1] counter; ARGV[1] per window, ARGV[2] window ms. Returns 0, or the ms to wait. */
  static final String ACQUIRE =
      "local n = redis.call('INCR', KEYS[1]) "
          + "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end "
          + "local ttl = redis.call('PTTL', KEYS[1]) "
          + "if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) ttl = tonumber(ARGV[2]) end "
          + "if n > tonumber(ARGV[1]) then redis.call('DECR', KEYS[1]) return math.max(ttl, 1) end "
          + "return 0";

  /** KEYS[1] counter: one slot back, if the window still runs and has one. */
  static final String RELEASE =
      "local n = tonumber(redis.call('GET', KEYS[1]) or '0') "
          + "if n > 0 then redis.call('DECR', KEYS[1]) end "
          + "return 0";

  private final RedisStore redis;
  private final int perWindow;
  private final Duration window;

  public RedisIssuanceWindows(RedisStore redis, int perWindow, Duration window) {
    this.redis = redis;
    this.perWindow = perWindow;
    this.window = window;
  }

  @Override
  public Future<Long> tryAcquire(String account, Instant now) {
    return redis
        .send(
            Request.cmd(Command.EVAL)
                .arg(ACQUIRE)
                .arg(1)
                .arg(key(account))
                .arg(perWindow)
                .arg(window.toMillis()))
        .map(
            r -> {
              long waitMs = r.toLong();
              return waitMs <= 0 ? 0L : Math.max(1, (waitMs + 999) / 1000);
            });
  }

  @Override
  public Future<Void> release(String account) {
    return redis.send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(key(account))).mapEmpty();
  }

  private String key(String account) {
    return redis.key("window:" + HexFormat.of().formatHex(FileIssuanceWindows.hash(account)));
  }
}
