package org.privateprocessing.issuer;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import org.privateprocessing.core.HttpListeners;
import org.privateprocessing.core.NodeMetrics;
import org.privateprocessing.token.IssuerDirectory;
import org.privateprocessing.token.MediaTypes;

/**
 * The issuer's HTTP listener (RFC 9578): the key directory and token requests. Signing runs on a
 * worker thread; a timer rotates keys ahead of their expiry.
 */
public final class IssuerVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(IssuerVerticle.class.getName());
  private final IssuerOptions options;
  private final IssuerService service;
  private final Clock clock;
  private HttpServer server;

  public IssuerVerticle(IssuerOptions options, IssuerService service, Clock clock) {
    this.options = options;
    this.service = service;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router
        .get(MediaTypes.ISSUER_DIRECTORY_PATH)
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", IssuerDirectory.MEDIA_TYPE)
                    .putHeader("cache-control", "max-age=60")
                    .end(Buffer.buffer(service.directory())));
    router
        .post(IssuerService.REQUEST_PATH)
        .handler(ctx -> HttpListeners.requireMediaType(ctx, MediaTypes.TOKEN_REQUEST));
    NodeMetrics metrics = NodeMetrics.of(vertx);
    router
        .post(IssuerService.REQUEST_PATH)
        .handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(
            ctx -> {
              Optional<String> authorization =
                  Optional.ofNullable(ctx.request().getHeader("authorization"));
              byte[] body = HttpListeners.body(ctx).getBytes();
              SocketAddress from = ctx.request().remoteAddress();
              String source =
                  FailedAuthThrottle.sourceKey(from == null ? null : from.hostAddress());
              vertx
                  .executeBlocking(() -> service.issue(authorization, body, source), false)
                  .onSuccess(
                      response -> {
                        metrics.tokens(NodeMetrics.TokenOutcome.ISSUED, null, 1);
                        ctx.response()
                            .putHeader("content-type", MediaTypes.TOKEN_RESPONSE)
                            .end(Buffer.buffer(response.encode()));
                      })
                  .onFailure(t -> HttpListeners.send(ctx, t));
            });
    HttpListeners.guard(
        router,
        "GET " + MediaTypes.ISSUER_DIRECTORY_PATH + " and POST " + IssuerService.REQUEST_PATH);

    long periodMs = rotationPeriodMs(options.keyLifetime());
    vertx.setPeriodic(
        periodMs,
        id ->
            vertx
                .executeBlocking(
                    () -> {
                      service.keys().rotate(clock);
                      return null;
                    },
                    true)
                .onFailure(
                    e ->
                        LOG.severe(
                            "issuer key rotation failed: "
                                + e.getMessage()
                                + " (the keys in use stay as they were)")));

    server = HttpListeners.server(vertx, router, NodeMetrics.Stage.ISSUER);
    return server.listen(options.port(), options.host());
  }

  /**
   * How often the issuer rotates its keys (and {@link IssuerRole} republishes them to the log): a
   * quarter of a key's lifetime, between 1 s and 60 s, well before a key's lifetime ends, so the
   * next key is always published in advance.
   */
  static long rotationPeriodMs(Duration keyLifetime) {
    return Math.max(1_000, Math.min(60_000, keyLifetime.toMillis() / 4));
  }

  public int actualPort() {
    return server.actualPort();
  }
}
