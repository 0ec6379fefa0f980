package org.privateprocessing.core;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.privateprocessing.token.IssuerDirectory;
import org.privateprocessing.token.MediaTypes;

/**
 * Keeps the {@link RemoteIssuerKeys} of a role without the issuer beside it fresh: fetches the
 * issuer directory at start and then every {@code refreshMs}. A failed refresh keeps the keys
 * already known.
 *
 * <p>A split gateway waits for the first directory (retrying until {@code startupWaitMs}), so it is
 * ready only once it can check tokens. An enclave does not ({@code startupWaitMs} 0): its
 * attestation and OHTTP path need no issuer, so it starts at once and keeps trying in the
 * background; until the first directory arrives its RA-TLS listener refuses every token as signed
 * by an unknown key.
 */
public final class IssuerKeysRefresher extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(IssuerKeysRefresher.class.getName());
  private static final long RETRY_MS = 500;

  /** Between first attempts in the background: nobody waits, so no need to hurry. */
  private static final long BACKGROUND_RETRY_MS = 2_000;

  private final String directoryUrl;
  private final RemoteIssuerKeys keys;
  private final long refreshMs;
  private final long startupWaitMs;
  private final Clock clock;
  private WebClient http;
  private boolean warned;

  /**
   * @param startupWaitMs how long start waits for the first directory before it fails; 0 starts at
   *     once and keeps trying in the background
   */
  public IssuerKeysRefresher(
      String issuerUrl, RemoteIssuerKeys keys, long refreshMs, long startupWaitMs, Clock clock) {
    if (startupWaitMs < 0 || refreshMs <= 0) {
      throw new IllegalArgumentException("refreshMs must be positive, startupWaitMs not negative");
    }
    this.directoryUrl = issuerUrl + MediaTypes.ISSUER_DIRECTORY_PATH;
    this.keys = keys;
    this.refreshMs = refreshMs;
    this.startupWaitMs = startupWaitMs;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    http =
        WebClient.create(
            vertx, new WebClientOptions().setConnectTimeout(2_000).setUserAgentEnabled(false));
    Promise<Void> first = Promise.promise();
    firstFetch(first, clock.millis() + startupWaitMs);
    Future<Void> ready =
        first
            .future()
            .onSuccess(
                v ->
                    vertx.setPeriodic(
                        refreshMs,
                        t ->
                            fetch()
                                .onFailure(
                                    e ->
                                        LOG.log(
                                            Level.WARNING,
                                            "issuer directory refresh failed ({0}); keeping the known keys",
                                            e.getMessage()))));
    // In the background the first fetch retries until it succeeds, so "ready" never fails there.
    return startupWaitMs > 0 ? ready : Future.succeededFuture();
  }

  private void firstFetch(Promise<Void> done, long deadline) {
    fetch()
        .onSuccess(
            n -> {
              LOG.info(
                  "issuer directory " + directoryUrl + ": " + n + " publicly verifiable key(s)");
              done.complete();
            })
        .onFailure(
            e -> {
              if (startupWaitMs == 0 && !warned) {
                warned = true;
                LOG.log(
                    Level.WARNING,
                    "issuer directory {0} not readable yet ({1}); retrying in the background",
                    new Object[] {directoryUrl, e.getMessage()});
              }
              if (startupWaitMs > 0 && clock.millis() >= deadline) {
                done.fail(
                    new IllegalStateException(
                        "no usable issuer directory at "
                            + directoryUrl
                            + " after "
                            + startupWaitMs
                            + " ms: "
                            + e.getMessage()));
              } else {
                vertx.setTimer(
                    startupWaitMs > 0 ? RETRY_MS : BACKGROUND_RETRY_MS,
                    t -> firstFetch(done, deadline));
              }
            });
  }

  private Future<Integer> fetch() {
    return http.getAbs(directoryUrl)
        .timeout(5_000)
        .send()
        .compose(
            response -> {
              if (response.statusCode() != 200) {
                return Future.failedFuture(
                    new IllegalStateException("status " + response.statusCode()));
              }
              try {
                int n =
                    keys.update(
                        IssuerDirectory.parse(response.bodyAsBuffer().getBytes()), clock.instant());
                return n > 0
                    ? Future.succeededFuture(n)
                    : Future.failedFuture(
                        new IllegalStateException("the directory lists no type 2 (Blind RSA) key"));
              } catch (Exception e) {
                return Future.failedFuture(new IllegalStateException(e.getMessage()));
              }
            });
  }
}
