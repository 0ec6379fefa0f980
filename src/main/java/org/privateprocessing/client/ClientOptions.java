package org.privateprocessing.client;

import java.util.Objects;

/**
 * Settings of a {@link PrivateProcessingClient}.
 *
 * @param relayUrl the relay's base URL; requests go nowhere else (the client's IP stays with the
 *     relay)
 * @param issuerUrl the token issuer's base URL; only token requests (blinded) go there
 * @param account the account credential for the issuer; never sent anywhere else
 * @param tokenBatch how many tokens the wallet keeps ready (fetched in parallel)
 * @param timeoutMs how long one round trip may take before it fails
 * @param enclaveCacheMs how long a fetched enclave list is reused
 * @param paddingBlock Binary HTTP messages are padded to a multiple of this many bytes, so that
 *     sizes seen by relay and gateway reveal less about content (RFC 9292 section 3.8); 0 = none
 * @param trust which enclaves to believe; {@link EnclaveTrust#none()} (the default) believes none,
 *     so a client that was not told what to trust sends nothing
 * @param log the transparency log this client requires everything to be in (enclave releases, the
 *     gateway's and the issuer's keys), or null to rely on {@code trust}'s measurements alone
 */
public record ClientOptions(
    String relayUrl,
    String issuerUrl,
    String account,
    int tokenBatch,
    long timeoutMs,
    long enclaveCacheMs,
    int paddingBlock,
    EnclaveTrust trust,
    LogTrust log) {
  public static final String DEFAULT_RELAY = "http://127.0.0.1:8080";
  public static final String DEFAULT_ISSUER = "http://127.0.0.1:8082";

  /** The all-in-one demo profile's account; demo only. */
  public static final String DEMO_ACCOUNT = "demo";

  public ClientOptions {
    relayUrl = baseUrl(relayUrl, "relay");
    issuerUrl = baseUrl(issuerUrl, "issuer");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(trust, "trust");
    if (timeoutMs <= 0
        || enclaveCacheMs < 0
        || paddingBlock < 0
        || tokenBatch < 1
        || tokenBatch > 256) {
      throw new IllegalArgumentException(
          "timeouts and padding must not be negative; token batch 1 to 256");
    }
  }

  private static String baseUrl(String url, String what) {
    Objects.requireNonNull(url, what + " URL");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException(what + " URL must start with http:// or https://: " + url);
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The demo issuer and account, 30 s timeouts, 8 tokens ahead, 256-byte padding. */
  public static ClientOptions forRelay(String relayUrl) {
    return new ClientOptions(
        relayUrl, DEFAULT_ISSUER, DEMO_ACCOUNT, 8, 30_000, 30_000, 256, EnclaveTrust.none(), null);
  }

  public ClientOptions withTimeoutMs(long ms) {
    return new ClientOptions(
        relayUrl, issuerUrl, account, tokenBatch, ms, enclaveCacheMs, paddingBlock, trust, log);
  }

  public ClientOptions withIssuer(String url, String credential) {
    return new ClientOptions(
        relayUrl, url, credential, tokenBatch, timeoutMs, enclaveCacheMs, paddingBlock, trust, log);
  }

  public ClientOptions withTokenBatch(int batch) {
    return new ClientOptions(
        relayUrl, issuerUrl, account, batch, timeoutMs, enclaveCacheMs, paddingBlock, trust, log);
  }

  /** Requires enclave releases, gateway and issuer keys to be proven in this transparency log. */
  public ClientOptions withLog(LogTrust l) {
    return new ClientOptions(
        relayUrl,
        issuerUrl,
        account,
        tokenBatch,
        timeoutMs,
        enclaveCacheMs,
        paddingBlock,
        trust,
        l);
  }

  /** Which enclaves this client believes (set out of band: never from the server it checks). */
  public ClientOptions withTrust(EnclaveTrust t) {
    return new ClientOptions(
        relayUrl, issuerUrl, account, tokenBatch, timeoutMs, enclaveCacheMs, paddingBlock, t, log);
  }
}
