package org.privateprocessing.core;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long and how much every HTTP listener of a node lets a client take: the {@code "http"}
 * section of a node config, the same for the relay, gateway, issuer, log and RA-TLS listeners
 * ({@link HttpListeners#server}).
 *
 * <pre>{@code
 * "http": {"headerReadTimeout": "10s", "bodyReadTimeout": "30s", "idleTimeout": "75s",
 *          "maxRequestLineBytes": 4096, "maxHeaderBytes": 8192}
 * }</pre>
 *
 * <p>A client that holds a connection without finishing its request (a slow-loris sender) ties up a
 * socket and a file descriptor; the read deadlines close it, however slowly it trickles bytes
 * ({@link ConnectionWatch}). The idle timeout closes a connection on which nothing moves at all,
 * including one whose client stopped reading its answer, and bounds how long a kept-alive
 * connection waits for its next request.
 *
 * @param headerReadTimeout from a connection being opened to its first request's line and headers
 *     having arrived; TLS handshakes get the same bound
 * @param bodyReadTimeout from a request's headers to the last byte of its body
 * @param idleTimeout a connection on which nothing is read or written for this long is closed, and
 *     a kept-alive connection must deliver its next complete request within it. Longer than the
 *     slowest answer a listener waits for (the relay waits up to {@code relay.timeout}, 15 s by
 *     default, for its gateway) and than the 60 s for which Vert.x clients, the relay's and the log
 *     publishers', keep an unused connection: the client, not the server, should close it first
 * @param maxRequestLineBytes longest request line (method, target, version): longer is a 414
 * @param maxHeaderBytes all header lines together: larger is a 431
 */
public record ListenerLimits(
    @ConfigBinder.Key(was = "headerReadTimeoutMs") Duration headerReadTimeout,
    @ConfigBinder.Key(was = "bodyReadTimeoutMs") Duration bodyReadTimeout,
    @ConfigBinder.Key(was = "idleTimeoutMs") Duration idleTimeout,
    @ConfigBinder.Key(min = 256, max = 65_536) int maxRequestLineBytes,
    @ConfigBinder.Key(min = 1_024, max = 65_536) int maxHeaderBytes) {
  /**
   * The defaults: 10 s for headers (a phone on a poor link sends a few hundred bytes well within
   * it), 30 s for a body (the largest a listener takes is 64 KiB), 60 s idle, and Netty's own line
   * and header sizes, which no client of this project comes near.
   */
  public static final ListenerLimits DEFAULTS =
      new ListenerLimits(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(75),
          HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH,
          HttpServerOptions.DEFAULT_MAX_HEADER_SIZE);

  public ListenerLimits {
    positive("http.headerReadTimeout", headerReadTimeout);
    positive("http.bodyReadTimeout", bodyReadTimeout);
    positive("http.idleTimeout", idleTimeout);
    // Below these a client could not send the project's own requests (a PrivateToken header is
    // about 500 bytes); above them one connection may pin that much memory in the decoder.
    within("http.maxRequestLineBytes", maxRequestLineBytes, 256, 65_536);
    within("http.maxHeaderBytes", maxHeaderBytes, 1_024, 65_536);
  }

  /**
   * The {@code "http"} section of a node config, bound by {@link ConfigBinder}; absent members keep
   * their default.
   *
   * @throws ConfigException naming the bad key
   */
  public static ListenerLimits fromJson(JsonObject json) {
    return ConfigBinder.bind("http", json, ListenerLimits.class, DEFAULTS);
  }

  /**
   * Puts these limits on a listener's options (which keep their address and TLS settings), and
   * turns off HTTP/2 over cleartext: every client of this project speaks HTTP/1.1, and a protocol
   * nobody uses is only more to defend.
   */
  HttpServerOptions applyTo(HttpServerOptions options) {
    return options
        .setIdleTimeout(Math.toIntExact(idleTimeout.toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setSslHandshakeTimeout(headerReadTimeout.toMillis())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxInitialLineLength(maxRequestLineBytes)
        .setMaxHeaderSize(maxHeaderBytes)
        .setHttp2ClearTextEnabled(false);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + ": a positive duration, at most 24 days");
    }
  }

  private static void within(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + ": between " + min + " and " + max);
    }
  }
}
