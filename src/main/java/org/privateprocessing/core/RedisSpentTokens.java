package org.privateprocessing.core;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * Spent tokens in the Redis a fleet shares ({@link RedisStore}): a token redeemed at one gateway
 * (or enclave RA-TLS listener) is refused at every other, across the restart of any node or of all
 * of them. One atomic {@code SET <prefix>spent:<hash> 1 NX PX <ms until the key retires>} per
 * redemption: {@code OK} means fresh, no answer means spent before; Redis drops the key when the
 * token's key retires, so the store stays bounded. The key is the same domain-separated hash of the
 * token's key id and nonce as in {@link FileSpentTokens}: never the token itself.
 *
 * <p>Redis answers a write only after it is in its append-only file (and, with {@code appendfsync
 * always}, on disk), so the enclave's answer, which waits for the redemption, is never released for
 * a token a crash of Redis could forget. A Redis that fails or does not answer fails the
 * redemption, and the caller refuses the request with 503.
 */
public final class RedisSpentTokens implements SpentTokens {
  private final RedisStore redis;
  private final Clock clock;

  public RedisSpentTokens(RedisStore redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  @Override
  public Future<Boolean> redeem(byte[] tokenKeyId, byte[] nonce, Instant forgetAfter) {
    long ttlMs = forgetAfter.toEpochMilli() - clock.millis();
    if (ttlMs <= 0) {
      // The key retires now: the token will be refused as unknown from here on anyway.
      ttlMs = 1;
    }
    String key = redis.key("spent:" + key(tokenKeyId, nonce));
    return redis
        .send(Request.cmd(Command.SET).arg(key).arg("1").arg("NX").arg("PX").arg(ttlMs))
        .map(r -> r != null && "OK".equals(r.toString()));
  }

  /** The token's record key: base64url of {@link FileSpentTokens#hash}. */
  static String key(byte[] tokenKeyId, byte[] nonce) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(FileSpentTokens.hash(tokenKeyId, nonce));
  }
}
