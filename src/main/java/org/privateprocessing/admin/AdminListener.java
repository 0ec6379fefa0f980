package org.privateprocessing.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;
import org.privateprocessing.core.HttpListeners;
import org.privateprocessing.core.ReadinessCheck;

/**
 * A node's admin listener: {@code GET /health/live}, {@code GET /health/ready} and {@code GET
 * /metrics} (docs/OPERATIONS.md). Readiness runs the checks of the node's roles through Vert.x's
 * health checks (each bounded by {@link #CHECK_TIMEOUT_MS}) and answers what {@link Readiness}
 * decides; metrics are the node's registry in the Prometheus text format. Anything else is a
 * problem ({@code application/problem+json}), as on every listener. Its own requests are not
 * counted in the metrics it serves.
 */
public final class AdminListener extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(AdminListener.class.getName());

  /** How long one readiness check may take before it counts as down. */
  public static final long CHECK_TIMEOUT_MS = 2_000;

  static final String LIVE_PATH = "/health/live";
  static final String READY_PATH = "/health/ready";
  static final String METRICS_PATH = "/metrics";

  private final AdminOptions options;
  private final PrometheusMeterRegistry registry;
  private volatile boolean started;
  private HealthChecks checks;
  private HttpServer server;

  public AdminListener(AdminOptions options, PrometheusMeterRegistry registry) {
    this.options = Objects.requireNonNull(options, "options");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public Future<?> start() {
    checks = HealthChecks.create(vertx);
    Router router = Router.router(vertx);
    router.get(LIVE_PATH).handler(ctx -> answer(ctx, Readiness.live()));
    router
        .get(READY_PATH)
        .handler(
            ctx ->
                checks
                    .checkStatus()
                    .map(result -> Readiness.decide(started, Readiness.outcomes(result)))
                    .onSuccess(report -> answer(ctx, report))
                    .onFailure(t -> HttpListeners.send(ctx, t)));
    router.get(METRICS_PATH).handler(PrometheusScrapingHandler.create(registry));
    HttpListeners.guard(
        router, "GET " + LIVE_PATH + ", GET " + READY_PATH + " and GET " + METRICS_PATH);
    server = HttpListeners.server(vertx, router);
    return server
        .listen(options.port(), options.host())
        .onSuccess(
            s ->
                LOG.info(
                    "admin listening on "
                        + options.host()
                        + ":"
                        + s.actualPort()
                        + " (GET "
                        + LIVE_PATH
                        + ", "
                        + READY_PATH
                        + ", "
                        + METRICS_PATH
                        + ")"))
        .recover(
            t ->
                Future.failedFuture(
                    new IllegalStateException(
                        "the admin listener cannot listen on "
                            + options.host()
                            + ":"
                            + options.port()
                            + " ("
                            + t.getMessage()
                            + "): set admin.port to a free port (0 takes any) or admin.enabled"
                            + " to false")));
  }

  /**
   * The roles have started: from now on readiness is their checks, each under {@code role/name}.
   * Call on this verticle's context or any other; the checks are registered on the event loop.
   *
   * @param byRole each role's checks, by the role's lower-case name
   */
  public Future<Void> rolesStarted(Map<String, List<ReadinessCheck>> byRole) {
    Promise<Void> registered = Promise.promise();
    context.runOnContext(
        v -> {
          byRole.forEach(
              (role, list) -> {
                for (ReadinessCheck check : list) {
                  checks.register(
                      role + "/" + check.name(),
                      CHECK_TIMEOUT_MS,
                      promise ->
                          probe(check)
                              .onComplete(
                                  done ->
                                      promise.complete(
                                          done.succeeded()
                                              ? Status.OK()
                                              : Status.KO(
                                                  new JsonObject()
                                                      .put("reason", reason(done.cause()))))));
                }
              });
          started = true;
          registered.complete();
        });
    return registered.future();
  }

  /** Runs a probe; one that throws instead of failing its future is down, not a crash. */
  private static Future<Void> probe(ReadinessCheck check) {
    try {
      return check.probe().get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static String reason(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  private static void answer(RoutingContext ctx, Readiness.Report report) {
    ctx.response()
        .setStatusCode(report.status())
        .putHeader("content-type", Readiness.MEDIA_TYPE)
        .putHeader("cache-control", "no-store")
        .end(Buffer.buffer(report.body().encode()));
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
