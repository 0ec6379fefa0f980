package org.privateprocessing.pipeline;

import java.time.Instant;

/**
 * Which tokens have been redeemed (RFC 9577 section 2.2: a token is single-use). A token is named
 * by its key id and nonce; an entry only needs to outlive its key, since a token under a retired
 * key is refused anyway. In memory here; a cluster-wide store implements the same interface.
 */
public interface SpentTokens {
  /**
   * Atomically records a token as spent. Returns false when it already was (a replay).
   *
   * @param forgetAfter when the entry may be dropped: the retirement of the token's key
   */
  boolean spend(byte[] tokenKeyId, byte[] nonce, Instant forgetAfter);

  /** Entries currently held, for metrics and tests. */
  int size();
}
