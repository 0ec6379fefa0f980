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
 * @param origin this gateway's name in its token challenges' origin info (RFC 9577 section 2.1)
 * @param issuerName the issuer whose tokens it accepts, as named in its challenges
 * @param issuerUrl the issuer's base URL, listed for clients in {@code GET /v1/enclaves}
 * @param maxInFlight most requests the listener has under way at once; beyond it a plain 503
 *     {@code overloaded} with {@code Retry-After: 1} (default {@value #DEFAULT_MAX_IN_FLIGHT})
 */
public record GatewayOptions(String host, int port, int maxBodyBytes, List<String> enclaves,
    long enclaveTimeoutMs, String origin, String issuerName, String issuerUrl, int maxInFlight) {
  public static final int DEFAULT_PORT = 8081;
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;

  public GatewayOptions {
    enclaves = List.copyOf(enclaves);
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("gateway.maxInFlight: must be at least 1");
    }
  }

  /** Settings without an in-flight bound given: the default one. */
  public GatewayOptions(String host, int port, int maxBodyBytes, List<String> enclaves, long enclaveTimeoutMs,
      String origin, String issuerName, String issuerUrl) {
    this(host, port, maxBodyBytes, enclaves, enclaveTimeoutMs, origin, issuerName, issuerUrl, DEFAULT_MAX_IN_FLIGHT);
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
        j.getLong("enclaveTimeoutMs", 10_000L),
        j.getString("origin", "gateway.private-processing.local"),
        j.getString("issuerName", "issuer.private-processing.local"),
        j.getString("issuerUrl", "http://127.0.0.1:" + IssuerOptions.DEFAULT_PORT),
        j.getInteger("maxInFlight", DEFAULT_MAX_IN_FLIGHT));
  }

  public GatewayOptions withPort(int newPort) {
    return new GatewayOptions(host, newPort, maxBodyBytes, enclaves, enclaveTimeoutMs, origin, issuerName, issuerUrl, maxInFlight);
  }

  public GatewayOptions withEnclaves(List<String> ids) {
    return new GatewayOptions(host, port, maxBodyBytes, ids, enclaveTimeoutMs, origin, issuerName, issuerUrl, maxInFlight);
  }

  /** The issuer this gateway trusts, as started beside it (all-in-one). */
  public GatewayOptions withIssuer(String name, String url) {
    return new GatewayOptions(host, port, maxBodyBytes, enclaves, enclaveTimeoutMs, origin, name, url, maxInFlight);
  }
}
