package org.privateprocessing.core;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Which tokens have been redeemed (RFC 9577 section 2.2: a token is single-use). A token is named
 * by its key id and nonce; an entry only needs to outlive its key, since a token under a retired
 * key is refused anyway. {@link InMemorySpentTokens} serves one JVM (the gateway and the enclave's
 * RA-TLS listener share one instance); {@link ClusteredSpentTokens} is shared by every gateway and
 * enclave of a cluster. Asynchronous because the shared store is a network round trip, and the
 * event loop must not wait for it.
 */
public interface SpentTokens {
  /**
   * Atomically records a token as spent. Completes with false when it already was (a replay); fails
   * when the store cannot record it now (full, or the cluster did not answer).
   *
   * @param forgetAfter when the entry may be dropped: the retirement of the token's key
   */
  Future<Boolean> redeem(byte[] tokenKeyId, byte[] nonce, Instant forgetAfter);

  /**
   * Completes when the store can record tokens now; fails saying why not (full, the cluster does
   * not answer). The admin listener's readiness check runs it: it records nothing.
   */
  default Future<Void> probe() {
    return Future.succeededFuture();
  }
}
