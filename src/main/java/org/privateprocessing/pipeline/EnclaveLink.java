package org.privateprocessing.pipeline;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * How the gateway reaches enclaves. In the running system this is the event bus (local or across
 * a cluster); tests substitute a plain implementation. Only ciphertext and public descriptions
 * pass through it.
 */
public interface EnclaveLink {
  /** The enclave's public description (id, key configs), or a failed future if it is not live. */
  Future<JsonObject> describe(String enclaveId);

  /** Sends an inner encapsulated request; completes with the inner encapsulated response. */
  Future<byte[]> forward(String enclaveId, byte[] innerRequest);
}
