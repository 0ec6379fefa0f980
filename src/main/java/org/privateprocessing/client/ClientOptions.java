package org.privateprocessing.client;

import java.util.Objects;

/**
 * Settings of a {@link PrivateProcessingClient}.
 *
 * @param relayUrl the relay's base URL; the client talks to nothing else (its IP stays with the relay)
 * @param timeoutMs how long one round trip may take before it fails
 * @param enclaveCacheMs how long a fetched enclave list is reused
 * @param paddingBlock Binary HTTP messages are padded to a multiple of this many bytes, so that
 *     sizes seen by relay and gateway reveal less about content (RFC 9292 section 3.8); 0 = none
 */
public record ClientOptions(String relayUrl, long timeoutMs, long enclaveCacheMs, int paddingBlock) {
  public static final String DEFAULT_RELAY = "http://127.0.0.1:8080";

  public ClientOptions {
    Objects.requireNonNull(relayUrl, "relayUrl");
    if (!relayUrl.startsWith("http://") && !relayUrl.startsWith("https://")) {
      throw new IllegalArgumentException("relay URL must start with http:// or https://: " + relayUrl);
    }
    relayUrl = relayUrl.endsWith("/") ? relayUrl.substring(0, relayUrl.length() - 1) : relayUrl;
    if (timeoutMs <= 0 || enclaveCacheMs < 0 || paddingBlock < 0) {
      throw new IllegalArgumentException("timeouts and padding must not be negative");
    }
  }

  public static ClientOptions forRelay(String relayUrl) {
    return new ClientOptions(relayUrl, 30_000, 30_000, 256);
  }

  public ClientOptions withTimeoutMs(long ms) {
    return new ClientOptions(relayUrl, ms, enclaveCacheMs, paddingBlock);
  }
}
