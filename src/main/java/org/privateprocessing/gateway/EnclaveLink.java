package org.privateprocessing.gateway;

import io.vertx.core.Future;

/**
 * How the gateway reaches enclaves. In the running system this is the event bus (local or across a
 * cluster); tests substitute a plain implementation. Only ciphertext passes through it; which
 * enclaves exist is the {@link EnclaveRegistry}'s business.
 */
public interface EnclaveLink {
  /** Sends an inner encapsulated request; completes with the inner encapsulated response. */
  Future<byte[]> forward(String enclaveId, byte[] innerRequest);
}
