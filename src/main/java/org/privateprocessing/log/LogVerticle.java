package org.privateprocessing.log;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.privateprocessing.core.HttpListeners;
import org.privateprocessing.core.NodeMetrics;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.logclient.LogClient;

/**
 * The transparency log's HTTP listener (docs/TRANSPARENCY.md): checkpoint, entries, proofs,
 * lookups, authenticated appends and witness cosignatures. Reads answer from memory on the event
 * loop; appends and cosignatures write with fsync on a worker. Closes the log file when undeployed.
 */
public final class LogVerticle extends VerticleBase {
  static final String ROUTES =
      "GET /checkpoint, /entries, /proof/inclusion, /proof/consistency, /lookup, "
          + "/keys, /page/ (the transparency page); "
          + "POST /entries, /checkpoint/cosignature";
  private final LogOptions options;
  private final LogService service;
  private final TransparencyPage page = TransparencyPage.load();
  private HttpServer server;

  public LogVerticle(LogOptions options, LogService service) {
    this.options = options;
    this.service = service;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router
        .get(LogClient.CHECKPOINT_PATH)
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; charset=utf-8")
                    .putHeader("cache-control", "no-store")
                    .end(service.checkpoint()));
    router
        .get(LogClient.ENTRIES_PATH)
        .handler(ctx -> json(ctx, () -> service.entries(param(ctx, "start"), param(ctx, "end"))));
    router
        .get(LogClient.INCLUSION_PROOF_PATH)
        .handler(
            ctx ->
                json(
                    ctx,
                    () ->
                        service.inclusionProof(
                            param(ctx, "index"), param(ctx, "hash"), param(ctx, "size"))));
    router
        .get(LogClient.CONSISTENCY_PROOF_PATH)
        .handler(
            ctx -> json(ctx, () -> service.consistencyProof(param(ctx, "from"), param(ctx, "to"))));
    router
        .get(LogClient.LOOKUP_PATH)
        .handler(
            ctx ->
                json(
                    ctx,
                    () ->
                        service.lookup(
                            param(ctx, "measurement"),
                            param(ctx, "keyConfig"),
                            param(ctx, "tokenKey"))));

    router
        .get(TransparencyPage.KEYS_PATH)
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "application/json")
                    .putHeader("cache-control", "no-store")
                    .end(
                        TransparencyPage.keys(
                                service.origin(), service.verifierKey(), options.witnessKeys())
                            .encode()));
    for (String path : page.paths()) {
      TransparencyPage.Asset asset = page.asset(path).orElseThrow();
      router.get(path).handler(ctx -> servePage(ctx, asset));
    }

    router
        .post(LogClient.ENTRIES_PATH)
        .handler(ctx -> HttpListeners.requireMediaType(ctx, "application/json"));
    router
        .post(LogClient.ENTRIES_PATH)
        .handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(
            ctx -> {
              String authorization = ctx.request().getHeader("authorization");
              byte[] body = HttpListeners.body(ctx).getBytes();
              vertx
                  .executeBlocking(() -> service.append(authorization, body), true)
                  .onSuccess(
                      a ->
                          ctx.response()
                              .setStatusCode(a.created() ? 201 : 200)
                              .putHeader("content-type", "application/json")
                              .end(
                                  new JsonObject()
                                      .put("index", a.index())
                                      .put("checkpoint", a.checkpoint())
                                      .encode()))
                  .onFailure(t -> HttpListeners.send(ctx, t));
            });
    router
        .post(LogClient.COSIGNATURE_PATH)
        .handler(ctx -> HttpListeners.requireMediaType(ctx, "text/plain"));
    router
        .post(LogClient.COSIGNATURE_PATH)
        .handler(BodyHandler.create(false).setBodyLimit(4096))
        .handler(
            ctx -> {
              byte[] body = HttpListeners.body(ctx).getBytes();
              vertx
                  .executeBlocking(
                      () -> {
                        service.cosign(body);
                        return null;
                      },
                      true)
                  .onSuccess(v -> ctx.response().setStatusCode(204).end())
                  .onFailure(t -> HttpListeners.send(ctx, t));
            });
    HttpListeners.guard(router, ROUTES);
    server = HttpListeners.server(vertx, router, NodeMetrics.Stage.LOG);
    return server.listen(options.port(), options.host());
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(
        () -> {
          service.close();
          return null;
        },
        false);
  }

  public int actualPort() {
    return server.actualPort();
  }

  /**
   * One file of the page. The query is decoded first, so a malformed one is refused like on every
   * other route (the page reads its own parameters in the browser).
   */
  private static void servePage(RoutingContext ctx, TransparencyPage.Asset asset) {
    ctx.queryParams();
    TransparencyPage.headers(asset).forEach(ctx.response()::putHeader);
    if (TransparencyPage.notModified(asset, ctx.request().getHeader("if-none-match"))) {
      ctx.response().setStatusCode(304).end();
    } else {
      ctx.response().end(io.vertx.core.buffer.Buffer.buffer(asset.body()));
    }
  }

  private interface Answer {
    JsonObject get() throws PipelineException;
  }

  private static void json(RoutingContext ctx, Answer answer) {
    try {
      JsonObject body = answer.get();
      ctx.response().putHeader("content-type", "application/json").end(body.encode());
    } catch (PipelineException e) {
      HttpListeners.send(ctx.response(), e);
    }
  }

  /** A query parameter, null when absent; a repeated parameter counts as malformed (empty). */
  private static String param(RoutingContext ctx, String name) {
    java.util.List<String> all = ctx.queryParam(name);
    if (all.isEmpty()) {
      return null;
    }
    return all.size() == 1 ? all.get(0) : "";
  }
}
