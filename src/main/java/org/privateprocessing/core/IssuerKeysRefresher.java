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
 * Keeps a split gateway's {@link RemoteIssuerKeys} fresh: fetches the issuer directory at start
 * (retrying until {@code startupWaitMs}, so the gateway is ready only once it can check tokens) and
 * then every {@code refreshMs}. A failed refresh keeps the keys already known.
 */
public final class IssuerKeysRefresher extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(IssuerKeysRefresher.class.getName());
  private static final long RETRY_MS = 500;

  private final String directoryUrl;
  private final RemoteIssuerKeys keys;
  private final long refreshMs;
  private final long startupWaitMs;
  private final Clock clock;
  private WebClient http;

  public IssuerKeysRefresher(
      String issuerUrl, RemoteIssuerKeys keys, long refreshMs, long startupWaitMs, Clock clock) {
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
    return first
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
              if (clock.millis() >= deadline) {
                done.fail(
                    new IllegalStateException(
                        "no usable issuer directory at "
                            + directoryUrl
                            + " after "
                            + startupWaitMs
                            + " ms: "
                            + e.getMessage()));
              } else {
                vertx.setTimer(RETRY_MS, t -> firstFetch(done, deadline));
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
