package org.privateprocessing.relay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.privateprocessing.core.Defaults;

/**
 * Relay settings ({@code "relay"} section of a role config).
 *
 * <pre>{@code
 * "relay": {"port": 8080, "gatewayUrls": ["http://127.0.0.1:8081", "http://127.0.0.1:8091"]}
 * }</pre>
 *
 * @param gatewayUrl base URL of the first gateway; requests go to {@code gatewayUrl + "/ohttp"}
 * @param maxBodyBytes largest encapsulated request accepted (413 beyond it)
 * @param timeoutMs how long the relay waits for the gateway's whole answer (502/504 after it)
 * @param gatewayUrls every gateway, {@code gatewayUrl} first: the relay sends to one at a time
 *     (active/standby, not round robin: see {@link GatewayFailover}) and moves to the next when it
 *     refuses the connection or cannot open a request ({@code gatewayUrl} alone, the older form, is
 *     still accepted)
 */
public record RelayOptions(
    String host,
    int port,
    String gatewayUrl,
    int maxBodyBytes,
    long connectTimeoutMs,
    long timeoutMs,
    List<String> gatewayUrls) {
  public static final int DEFAULT_PORT = Defaults.RELAY_PORT;

  public RelayOptions {
    gatewayUrls =
        gatewayUrls == null || gatewayUrls.isEmpty()
            ? List.of(gatewayUrl)
            : List.copyOf(gatewayUrls);
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

  public static RelayOptions fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    List<String> urls = new ArrayList<>();
    Object many = j.getValue("gatewayUrls");
    if (many != null) {
      if (!(many instanceof JsonArray array) || array.isEmpty()) {
        throw new IllegalArgumentException("relay.gatewayUrls: must be a non-empty list of URLs");
      }
      for (Object url : array) {
        if (!(url instanceof String s) || !(s.startsWith("http://") || s.startsWith("https://"))) {
          throw new IllegalArgumentException(
              "relay.gatewayUrls: every entry must be an http(s) URL");
        }
        urls.add(s);
      }
    }
    String first =
        urls.isEmpty()
            ? j.getString("gatewayUrl", "http://127.0.0.1:" + Defaults.GATEWAY_PORT)
            : urls.get(0);
    return new RelayOptions(
        j.getString("host", "127.0.0.1"),
        j.getInteger("port", DEFAULT_PORT),
        first,
        j.getInteger("maxBodyBytes", 64 * 1024),
        j.getLong("connectTimeoutMs", 2_000L),
        j.getLong("timeoutMs", 15_000L),
        urls);
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
