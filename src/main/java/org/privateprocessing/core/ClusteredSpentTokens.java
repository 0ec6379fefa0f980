package org.privateprocessing.core;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * Spent tokens in a cluster-wide map (a Hazelcast IMap underneath), so a token redeemed at one
 * gateway is refused at every other. {@code putIfAbsent} is atomic across the cluster, and each
 * entry carries a ttl up to its key's retirement, so the map forgets tokens when they could no
 * longer be accepted anyway. The map holds key ids and nonces only: random values that say nothing
 * of who redeemed them or what was asked.
 */
public final class ClusteredSpentTokens implements SpentTokens {
  /** The map's name; {@code cluster.xml} sets its backup count. */
  public static final String MAP_NAME = "pp.spent-tokens";

  private final Vertx vertx;
  private final Clock clock;
  private volatile Future<AsyncMap<String, Boolean>> map;

  public ClusteredSpentTokens(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  @Override
  public Future<Boolean> redeem(byte[] tokenKeyId, byte[] nonce, Instant forgetAfter) {
    long ttlMs = Math.max(1, forgetAfter.toEpochMilli() - clock.millis());
    String key = key(tokenKeyId, nonce);
    return map()
        .compose(m -> m.putIfAbsent(key, Boolean.TRUE, ttlMs))
        .map(previous -> previous == null);
  }

  /** Reads one key that is never written: a round trip to the member owning its partition. */
  @Override
  public Future<Void> probe() {
    return map()
        .compose(m -> m.get("probe"))
        .<Void>mapEmpty()
        .recover(
            t ->
                Future.failedFuture(
                    new IllegalStateException(
                        "the cluster-wide spent-token map does not answer ("
                            + t.getClass().getSimpleName()
                            + "): is this member still part of the cluster?")));
  }

  private Future<AsyncMap<String, Boolean>> map() {
    Future<AsyncMap<String, Boolean>> current = map;
    if (current == null || current.failed()) {
      // Racing callers may each ask; the cluster manager hands back the same map.
      current = vertx.sharedData().<String, Boolean>getClusterWideMap(MAP_NAME);
      map = current;
    }
    return current;
  }

  /** Nonce then key id, base64url: a compact string key that Hazelcast hashes well. */
  static String key(byte[] tokenKeyId, byte[] nonce) {
    byte[] both = new byte[nonce.length + tokenKeyId.length];
    System.arraycopy(nonce, 0, both, 0, nonce.length);
    System.arraycopy(tokenKeyId, 0, both, nonce.length, tokenKeyId.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(both);
  }
}
