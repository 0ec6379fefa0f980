package org.privateprocessing.relay;

import io.vertx.core.json.JsonObject;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.privateprocessing.core.ConfigBinder;
import org.privateprocessing.core.ConfigBinder.Key;
import org.privateprocessing.core.Defaults;

/**
 * Relay settings ({@code "relay"} section of a role config).
 *
 * <pre>{@code
 * "relay": {"port": 8080, "gatewayUrls": ["http://127.0.0.1:8081", "http://127.0.0.1:8091"],
 *           "connectTimeout": "2s", "timeout": "15s"}
 * }</pre>
 *
 * @param gatewayUrl base URL of the first gateway; requests go to {@code gatewayUrl + "/ohttp"}
 * @param maxBodyBytes largest encapsulated request accepted (413 beyond it)
 * @param connectTimeoutMs how long the relay waits for a gateway's connection (key {@code
 *     connectTimeout}, a duration)
 * @param timeoutMs (key {@code timeout}, a duration) how long the relay waits for the gateway's
 *     whole answer (502/504 after it)
 * @param gatewayUrls every gateway, {@code gatewayUrl} first: the relay sends to one at a time
 *     (active/standby, not round robin: see {@link GatewayFailover}) and moves to the next when it
 *     refuses the connection or cannot open a request ({@code gatewayUrl} alone, the older form, is
 *     still accepted)
 */
public record RelayOptions(
    String host,
    @Key(min = 0, max = 65535) int port,
    String gatewayUrl,
    @Key(min = 1) int maxBodyBytes,
    @Key(name = "connectTimeout", unit = ChronoUnit.MILLIS, min = 1, was = "connectTimeoutMs")
        long connectTimeoutMs,
    @Key(name = "timeout", unit = ChronoUnit.MILLIS, min = 1, was = "timeoutMs") long timeoutMs,
    @Key(derived = true) List<String> gatewayUrls) {
  public static final int DEFAULT_PORT = Defaults.RELAY_PORT;

  /** Every key's default: one gateway, the all-in-one node's. */
  public static final RelayOptions DEFAULTS =
      new RelayOptions(
          "127.0.0.1",
          DEFAULT_PORT,
          "http://127.0.0.1:" + Defaults.GATEWAY_PORT,
          64 * 1024,
          2_000,
          15_000);

  public RelayOptions {
    if (gatewayUrls == null) {
      gatewayUrls = List.of(gatewayUrl);
    }
    if (gatewayUrls.isEmpty()) {
      throw new IllegalArgumentException("relay.gatewayUrls: must be a non-empty list of URLs");
    }
    for (String url : gatewayUrls) {
      if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
        throw new IllegalArgumentException("relay.gatewayUrls: every entry must be an http(s) URL");
      }
    }
    gatewayUrls = List.copyOf(gatewayUrls);
    gatewayUrl = gatewayUrls.get(0);
  }

  /** One gateway. */
  public RelayOptions(
      String host,
      int port,
      String gatewayUrl,
      int maxBodyBytes,
      long connectTimeoutMs,
      long timeoutMs) {
    this(host, port, gatewayUrl, maxBodyBytes, connectTimeoutMs, timeoutMs, List.of(gatewayUrl));
  }

  /**
   * The {@code "relay"} section (null: every default), bound by {@link ConfigBinder}.
   *
   * @throws org.privateprocessing.core.ConfigException naming the bad key
   */
  public static RelayOptions fromJson(JsonObject json) {
    return ConfigBinder.bind("relay", json, RelayOptions.class, DEFAULTS);
  }

  public RelayOptions withPort(int newPort) {
    return new RelayOptions(
        host, newPort, gatewayUrl, maxBodyBytes, connectTimeoutMs, timeoutMs, gatewayUrls);
  }

  /** Exactly this one gateway (all-in-one: the gateway started beside the relay). */
  public RelayOptions withGatewayUrl(String url) {
    return new RelayOptions(
        host, port, url, maxBodyBytes, connectTimeoutMs, timeoutMs, List.of(url));
  }
}
