package org.privateprocessing.pipeline;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Gateway settings ({@code "gateway"} section of a role config).
 *
 * @param enclaves ids of the enclaves this gateway routes to (an enclave registry replaces this
 *     list when clustering arrives)
 * @param enclaveTimeoutMs how long one enclave may take before the client gets a 503
 */
public record GatewayOptions(String host, int port, int maxBodyBytes, List<String> enclaves,
    long enclaveTimeoutMs) {
  public static final int DEFAULT_PORT = 8081;

  public GatewayOptions {
    enclaves = List.copyOf(enclaves);
  }

  public static GatewayOptions fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    List<String> ids = new ArrayList<>();
    JsonArray array = j.getJsonArray("enclaves", new JsonArray());
    for (int i = 0; i < array.size(); i++) {
      ids.add(array.getString(i));
    }
    return new GatewayOptions(
        j.getString("host", "127.0.0.1"),
        j.getInteger("port", DEFAULT_PORT),
        j.getInteger("maxBodyBytes", 64 * 1024),
        ids,
        j.getLong("enclaveTimeoutMs", 10_000L));
  }

  public GatewayOptions withPort(int newPort) {
    return new GatewayOptions(host, newPort, maxBodyBytes, enclaves, enclaveTimeoutMs);
  }

  public GatewayOptions withEnclaves(List<String> ids) {
    return new GatewayOptions(host, port, maxBodyBytes, ids, enclaveTimeoutMs);
  }
}
