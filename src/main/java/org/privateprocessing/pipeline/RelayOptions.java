package org.privateprocessing.pipeline;

import io.vertx.core.json.JsonObject;

/**
 * Relay settings ({@code "relay"} section of a role config).
 *
 * @param gatewayUrl base URL of the gateway; requests go to {@code gatewayUrl + "/ohttp"}
 * @param maxBodyBytes largest encapsulated request accepted (413 beyond it)
 * @param timeoutMs how long the relay waits for the gateway's whole answer (502/504 after it)
 */
public record RelayOptions(String host, int port, String gatewayUrl, int maxBodyBytes,
    long connectTimeoutMs, long timeoutMs) {
  public static final int DEFAULT_PORT = 8080;

  public static RelayOptions fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    return new RelayOptions(
        j.getString("host", "127.0.0.1"),
        j.getInteger("port", DEFAULT_PORT),
        j.getString("gatewayUrl", "http://127.0.0.1:" + GatewayOptions.DEFAULT_PORT),
        j.getInteger("maxBodyBytes", 64 * 1024),
        j.getLong("connectTimeoutMs", 2_000L),
        j.getLong("timeoutMs", 15_000L));
  }

  public RelayOptions withPort(int newPort) {
    return new RelayOptions(host, newPort, gatewayUrl, maxBodyBytes, connectTimeoutMs, timeoutMs);
  }

  public RelayOptions withGatewayUrl(String url) {
    return new RelayOptions(host, port, url, maxBodyBytes, connectTimeoutMs, timeoutMs);
  }
}
