package org.privateprocessing.pipeline;

import io.vertx.core.json.JsonObject;

/**
 * Enclave settings ({@code "enclave"} section of a role config).
 *
 * @param id the enclave's id (hex); a random one when absent
 * @param model which model answers; {@code "embedded"} is the only one so far
 */
public record EnclaveOptions(String id, String model) {
  public static EnclaveOptions fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    String model = j.getString("model", "embedded");
    if (!"embedded".equals(model)) {
      throw new IllegalArgumentException("enclave.model: unknown model '" + model + "' (known: embedded)");
    }
    return new EnclaveOptions(j.getString("id"), model);
  }
}
