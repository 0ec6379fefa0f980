package org.privateprocessing.gateway;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.logging.Logger;
import org.privateprocessing.core.ConfigBinder;
import org.privateprocessing.core.ConfigBinder.Key;
import org.privateprocessing.core.Defaults;
import org.privateprocessing.ohttp.ResponsePadding;

/**
 * Gateway settings ({@code "gateway"} section of a role config). Which enclaves a gateway routes to
 * is not configured: enclaves announce themselves ({@link EnclaveRegistry}). The old {@code
 * "enclaves"} list is accepted and ignored with a warning, so old configs still start.
 *
 * @param enclaveTimeoutMs (key {@code enclaveTimeout}, a duration) how long one enclave may take
 *     before the client gets a 503
 * @param origin this gateway's name in its token challenges' origin info (RFC 9577 section 2.1)
 * @param issuerName the issuer whose tokens it accepts, as named in its challenges
 * @param issuerUrl the issuer's base URL, listed for clients in {@code GET /v1/enclaves}; a gateway
 *     in its own JVM also reads the issuer's keys from its directory there
 * @param issuerRefreshMs (key {@code issuerRefresh}, a duration) how often a split gateway re-reads
 *     the issuer directory
 * @param issuerKeyMaxAgeSeconds (key {@code issuerKeyMaxAge}, a duration) how long after its
 *     not-before a key read from the directory is accepted: the issuer's key lifetime plus grace
 * @param maxInFlight most requests the listener has under way at once; beyond it a plain 503 {@code
 *     overloaded} with {@code Retry-After: 1} (default {@value #DEFAULT_MAX_IN_FLIGHT})
 * @param responsePadding how outer responses are padded before sealing, so the relay sees a few
 *     sizes: {@code default} = powers of two from 1k to 64k, {@code none}, or sizes such as {@code
 *     "1k,4k,16k,64k"} ({@link #padding()})
 * @param keyDir where the outer OHTTP keys are kept, one owner-only file per key, shared by every
 *     replica of the origin (the node's default is {@code <dataDir>/gateway-keys}); null when the
 *     node gives the gateway its keys ({@link #keyPath()})
 * @param keyLifetimeSeconds (key {@code keyLifetime}, a duration) how long one key generation is
 *     the current one (default 7 days)
 * @param keyOverlapSeconds (key {@code keyOverlap}, a duration) how long after that it is still
 *     accepted (default 1 day)
 * @param makeKeys whether this replica makes missing keys (default true); false on hosts that get a
 *     copy of the key directory from the one host that makes them (docs/OPERATIONS.md, Keys)
 */
public record GatewayOptions(
    String host,
    @Key(min = 0, max = 65535) int port,
    @Key(min = 1) int maxBodyBytes,
    @Key(name = "enclaveTimeout", unit = ChronoUnit.MILLIS, min = 1, was = "enclaveTimeoutMs")
        long enclaveTimeoutMs,
    String origin,
    String issuerName,
    String issuerUrl,
    @Key(name = "issuerRefresh", unit = ChronoUnit.MILLIS, min = 1, was = "issuerRefreshMs")
        long issuerRefreshMs,
    @Key(
            name = "issuerKeyMaxAge",
            unit = ChronoUnit.SECONDS,
            min = 1,
            was = "issuerKeyMaxAgeSeconds")
        long issuerKeyMaxAgeSeconds,
    @Key(min = 1) int maxInFlight,
    String responsePadding,
    String keyDir,
    @Key(name = "keyLifetime", unit = ChronoUnit.SECONDS, min = 2, was = "keyLifetimeSeconds")
        long keyLifetimeSeconds,
    @Key(name = "keyOverlap", unit = ChronoUnit.SECONDS, min = 0, was = "keyOverlapSeconds")
        long keyOverlapSeconds,
    boolean makeKeys) {
  public static final int DEFAULT_PORT = Defaults.GATEWAY_PORT;
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;

  /** Every key's default. */
  public static final GatewayOptions DEFAULTS =
      new GatewayOptions(
          "127.0.0.1",
          DEFAULT_PORT,
          64 * 1024,
          10_000L,
          "gateway.private-processing.local",
          "issuer.private-processing.local",
          "http://127.0.0.1:" + Defaults.ISSUER_PORT,
          60_000L,
          86_400L + 21_600L,
          DEFAULT_MAX_IN_FLIGHT,
          "default",
          null,
          7 * 86_400L,
          86_400L,
          true);

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
          "gateway.keyLifetime: at least 2s; gateway.keyOverlap: not negative");
    }
    Objects.requireNonNull(responsePadding, "responsePadding");
    try {
      ResponsePadding.parse(responsePadding);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "gateway.responsePadding: " + e.getMessage().replace("response padding: ", ""), e);
    }
  }

  /**
   * The {@code "gateway"} section (null: every default), bound by {@link ConfigBinder}.
   *
   * @throws org.privateprocessing.core.ConfigException naming the bad key
   */
  public static GatewayOptions fromJson(JsonObject json) {
    JsonObject j = json;
    if (j != null && j.containsKey("enclaves")) {
      LOG.warning(
          "gateway.enclaves is ignored: enclaves announce themselves to gateways now; remove it from the config");
      j = j.copy();
      j.remove("enclaves");
    }
    return ConfigBinder.bind("gateway", j, GatewayOptions.class, DEFAULTS);
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
        responsePadding,
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
        responsePadding,
        keyDir,
        keyLifetimeSeconds,
        keyOverlapSeconds,
        makeKeys);
  }

  /** {@link #responsePadding} parsed (checked when the options were made). */
  public ResponsePadding padding() {
    return ResponsePadding.parse(responsePadding);
  }

  /** {@link #keyDir} as a path, or null. */
  public Path keyPath() {
    return keyDir == null ? null : Path.of(keyDir);
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
        responsePadding,
        keyDir != null ? keyDir : dir.toString(),
        keyLifetimeSeconds,
        keyOverlapSeconds,
        makeKeys);
  }
}
