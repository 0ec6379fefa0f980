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
 * @param timeoutMs how long one round trip may take before it fails; for a streamed answer, how
 *     long until its head arrives
 * @param enclaveCacheMs how long a fetched enclave list is reused
 * @param paddingBlock Binary HTTP messages are padded to a multiple of this many bytes, so that
 *     sizes seen by relay and gateway reveal less about content (RFC 9292 section 3.8); 0 = none
 * @param trust which enclaves to believe; {@link EnclaveTrust#none()} (the default) believes none,
 *     so a client that was not told what to trust sends nothing
 * @param log the transparency log this client requires everything to be in (enclave releases, the
 *     gateway's and the issuer's keys), or null to rely on {@code trust}'s measurements alone
 * @param streamIdleMs how long a streamed answer may stay silent between pieces of text (and
 *     between its head and its first piece) before the client gives it up: the connection is closed
 *     and the answer fails with {@code stream-idle}. Time while the reader paused the text does not
 *     count. Default {@value #DEFAULT_STREAM_IDLE_MS} ms: a summary streams sentence by sentence,
 *     and a model on a CPU writing a long sentence at a few tokens a second stays silent for
 *     several seconds; a paced model writing every second is far inside it. It is above the
 *     servers' own defaults (the relay's 15 s read deadline, the model's 8 s per read), so that a
 *     stall in our servers is reported by the server that saw it, and this deadline is what holds
 *     when a relay or network keeps a silent connection open.
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
    LogTrust log,
    long streamIdleMs) {
  /** The default of {@link #streamIdleMs}: 20 s (see there why). */
  public static final long DEFAULT_STREAM_IDLE_MS = 20_000;

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
        || streamIdleMs <= 0
        || enclaveCacheMs < 0
        || paddingBlock < 0
        || tokenBatch < 1
        || tokenBatch > 256) {
      throw new IllegalArgumentException(
          "timeouts must be above 0, the cache and padding not negative; token batch 1 to 256");
    }
  }

  private static String baseUrl(String url, String what) {
    Objects.requireNonNull(url, what + " URL");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException(what + " URL must start with http:// or https://: " + url);
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /**
   * The demo issuer and account, 30 s timeouts, 8 tokens ahead, 256-byte padding, the default idle
   * deadline of streams.
   */
  public static ClientOptions forRelay(String relayUrl) {
    return new ClientOptions(
        relayUrl,
        DEFAULT_ISSUER,
        DEMO_ACCOUNT,
        8,
        30_000,
        30_000,
        256,
        EnclaveTrust.none(),
        null,
        DEFAULT_STREAM_IDLE_MS);
  }

  public ClientOptions withTimeoutMs(long ms) {
    return with(c -> c.timeoutMs = ms);
  }

  /** How long a streamed answer may stay silent between pieces ({@link #streamIdleMs}). */
  public ClientOptions withStreamIdleMs(long ms) {
    return with(c -> c.streamIdleMs = ms);
  }

  public ClientOptions withIssuer(String url, String credential) {
    return with(
        c -> {
          c.issuerUrl = url;
          c.account = credential;
        });
  }

  public ClientOptions withTokenBatch(int batch) {
    return with(c -> c.tokenBatch = batch);
  }

  /** Requires enclave releases, gateway and issuer keys to be proven in this transparency log. */
  public ClientOptions withLog(LogTrust l) {
    return with(c -> c.log = l);
  }

  /** Which enclaves this client believes (set out of band: never from the server it checks). */
  public ClientOptions withTrust(EnclaveTrust t) {
    return with(c -> c.trust = t);
  }

  private ClientOptions with(java.util.function.Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** These settings, one or two changed by a {@code with...} method; checked again on build. */
  private static final class Copy {
    String relayUrl;
    String issuerUrl;
    String account;
    int tokenBatch;
    long timeoutMs;
    long enclaveCacheMs;
    int paddingBlock;
    EnclaveTrust trust;
    LogTrust log;
    long streamIdleMs;

    Copy(ClientOptions o) {
      relayUrl = o.relayUrl;
      issuerUrl = o.issuerUrl;
      account = o.account;
      tokenBatch = o.tokenBatch;
      timeoutMs = o.timeoutMs;
      enclaveCacheMs = o.enclaveCacheMs;
      paddingBlock = o.paddingBlock;
      trust = o.trust;
      log = o.log;
      streamIdleMs = o.streamIdleMs;
    }

    ClientOptions build() {
      return new ClientOptions(
          relayUrl,
          issuerUrl,
          account,
          tokenBatch,
          timeoutMs,
          enclaveCacheMs,
          paddingBlock,
          trust,
          log,
          streamIdleMs);
    }
  }
}
