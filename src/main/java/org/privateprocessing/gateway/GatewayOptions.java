package org.privateprocessing.gateway;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.privateprocessing.core.Defaults;

/**
 * Gateway settings ({@code "gateway"} section of a role config). Which enclaves a gateway routes to
 * is not configured: enclaves announce themselves ({@link EnclaveRegistry}). The old {@code
 * "enclaves"} list is accepted and ignored with a warning, so old configs still start.
 *
 * @param enclaveTimeoutMs how long one enclave may take before the client gets a 503
 * @param origin this gateway's name in its token challenges' origin info (RFC 9577 section 2.1)
 * @param issuerName the issuer whose tokens it accepts, as named in its challenges
 * @param issuerUrl the issuer's base URL, listed for clients in {@code GET /v1/enclaves}; a gateway
 *     in its own JVM also reads the issuer's keys from its directory there
 * @param issuerRefreshMs how often a split gateway re-reads the issuer directory
 * @param issuerKeyMaxAgeSeconds how long after its not-before a key read from the directory is
 *     accepted: the issuer's key lifetime plus grace
 * @param maxInFlight most requests the listener has under way at once; beyond it a plain 503 {@code
 *     overloaded} with {@code Retry-After: 1} (default {@value #DEFAULT_MAX_IN_FLIGHT})
 * @param keyDir where the outer OHTTP keys are kept, one owner-only file per key, shared by every
 *     replica of the origin ({@code "keyDir"}; the node's default is {@code
 *     <dataDir>/gateway-keys}); null when the node gives the gateway its keys
 * @param keyLifetimeSeconds how long one key generation is the current one (default 7 days)
 * @param keyOverlapSeconds how long after that it is still accepted (default 1 day)
 * @param makeKeys whether this replica makes missing keys (default true); false on hosts that get a
 *     copy of the key directory from the one host that makes them (docs/OPERATIONS.md, Keys)
 */
public record GatewayOptions(
    String host,
    int port,
    int maxBodyBytes,
    long enclaveTimeoutMs,
    String origin,
    String issuerName,
    String issuerUrl,
    long issuerRefreshMs,
    long issuerKeyMaxAgeSeconds,
    int maxInFlight,
    Path keyDir,
    long keyLifetimeSeconds,
    long keyOverlapSeconds,
    boolean makeKeys) {
  public static final int DEFAULT_PORT = Defaults.GATEWAY_PORT;
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  private static final Logger LOG = Logger.getLogger(GatewayOptions.class.getName());

  public GatewayOptions {
    if (issuerRefreshMs <= 0 || issuerKeyMaxAgeSeconds <= 0 || enclaveTimeoutMs <= 0) {
      throw new IllegalArgumentException("gateway timeouts and key ages must be positive");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("gateway.maxInFlight: must be at least 1");
    }
    if (keyLifetimeSeconds < 2 || keyOverlapSeconds < 0) {
      throw new IllegalArgumentException(
          "gateway.keyLifetimeSeconds: at least 2; gateway.keyOverlapSeconds: not negative");
    }
  }

  public static GatewayOptions fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    if (j.containsKey("enclaves")) {
      LOG.warning(
          "gateway.enclaves is ignored: enclaves announce themselves to gateways now; remove it from the config");
    }
    return new GatewayOptions(
        j.getString("host", "127.0.0.1"),
        j.getInteger("port", DEFAULT_PORT),
        j.getInteger("maxBodyBytes", 64 * 1024),
        j.getLong("enclaveTimeoutMs", 10_000L),
        j.getString("origin", "gateway.private-processing.local"),
        j.getString("issuerName", "issuer.private-processing.local"),
        j.getString("issuerUrl", "http://127.0.0.1:" + Defaults.ISSUER_PORT),
        j.getLong("issuerRefreshMs", 60_000L),
        j.getLong("issuerKeyMaxAgeSeconds", 86_400L + 21_600L),
        j.getInteger("maxInFlight", DEFAULT_MAX_IN_FLIGHT),
        j.getString("keyDir") == null ? null : Path.of(j.getString("keyDir")),
        j.getLong("keyLifetimeSeconds", 7 * 86_400L),
        j.getLong("keyOverlapSeconds", 86_400L),
        j.getBoolean("makeKeys", true));
  }

  public GatewayOptions withPort(int newPort) {
    return new GatewayOptions(
        host,
        newPort,
        maxBodyBytes,
        enclaveTimeoutMs,
        origin,
        issuerName,
        issuerUrl,
        issuerRefreshMs,
        issuerKeyMaxAgeSeconds,
        maxInFlight,
        keyDir,
        keyLifetimeSeconds,
        keyOverlapSeconds,
        makeKeys);
  }

  /** The issuer this gateway trusts, as started beside it (all-in-one). */
  public GatewayOptions withIssuer(String name, String url) {
    return new GatewayOptions(
        host,
        port,
        maxBodyBytes,
        enclaveTimeoutMs,
        origin,
        name,
        url,
        issuerRefreshMs,
        issuerKeyMaxAgeSeconds,
        maxInFlight,
        keyDir,
        keyLifetimeSeconds,
        keyOverlapSeconds,
        makeKeys);
  }

  /** The same settings with keys kept in {@code dir} unless {@code keyDir} names a place. */
  public GatewayOptions withDefaultKeyDir(Path dir) {
    return new GatewayOptions(
        host,
        port,
        maxBodyBytes,
        enclaveTimeoutMs,
        origin,
        issuerName,
        issuerUrl,
        issuerRefreshMs,
        issuerKeyMaxAgeSeconds,
        maxInFlight,
        keyDir != null ? keyDir : dir,
        keyLifetimeSeconds,
        keyOverlapSeconds,
        makeKeys);
  }
}
