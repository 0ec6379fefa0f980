package org.privateprocessing.core;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.privateprocessing.ohttp.MediaTypes;

/**
 * Shared by the plain HTTP listeners (relay, gateway): problem responses, router guards, bodies.
 */
public final class HttpListeners {
  private HttpListeners() {}

  /** The request body read by the body handler; empty, never null, when the client sent none. */
  public static Buffer body(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    return body == null ? Buffer.buffer() : body;
  }

  public static void send(RoutingContext ctx, Throwable t) {
    send(ctx.response(), Problems.toPipelineException(t));
  }

  public static void send(HttpServerResponse response, PipelineException e) {
    if (response.ended() || response.closed()) {
      return;
    }
    response
        .setStatusCode(e.status())
        .putHeader("content-type", org.privateprocessing.api.Problem.MEDIA_TYPE);
    e.headers().forEach(response::putHeader);
    response.end(Buffer.buffer(e.problem().encode()));
  }

  /**
   * Makes every unmatched route and every failure (body too large, a handler's exception) a problem
   * response, so no listener ever answers with Vert.x's default HTML or a stack trace.
   */
  public static void guard(Router router, String servedRoutes) {
    router
        .route()
        .last()
        .handler(
            ctx ->
                send(
                    ctx.response(),
                    PipelineException.of(
                        ProblemType.NO_SUCH_ENDPOINT, "this listener serves " + servedRoutes)));
    router
        .route()
        .failureHandler(
            ctx -> {
              int status = ctx.statusCode();
              if (ctx.failure() != null && status < 400) {
                send(ctx, ctx.failure());
              } else {
                send(ctx.response(), refusedByVertx(status, servedRoutes));
              }
            });
  }

  /** The problem for a status Vert.x failed a request with before (or instead of) a handler. */
  static PipelineException refusedByVertx(int status, String servedRoutes) {
    return switch (status) {
      case 413 ->
          PipelineException.of(
              ProblemType.BODY_TOO_LARGE, "the request body is larger than this listener accepts");
      case 405 ->
          PipelineException.of(
              ProblemType.METHOD_NOT_ALLOWED, "this listener serves " + servedRoutes);
      case 404 ->
          PipelineException.of(
              ProblemType.NO_SUCH_ENDPOINT, "this listener serves " + servedRoutes);
      case 415 ->
          PipelineException.of(
              ProblemType.UNSUPPORTED_MEDIA_TYPE, "this listener serves " + servedRoutes);
      default ->
          // Any other refusal of the request itself (Vert.x says 400) is the client's; a 5xx,
          // or a status below 400 without a failure, is ours.
          status >= 400 && status < 500
              ? PipelineException.of(
                  ProblemType.HTTP_REQUEST_REFUSED,
                  "the request could not be processed (HTTP " + status + ")")
              : PipelineException.of(
                  ProblemType.INTERNAL, "the request could not be processed (HTTP " + status + ")");
    };
  }

  /** Answers 415 unless the request's media type is the expected one. */
  public static void requireMediaType(RoutingContext ctx, String expected) {
    if (MediaTypes.essence(ctx.request().getHeader("content-type")).equals(expected)) {
      ctx.next();
    } else {
      send(
          ctx.response(),
          PipelineException.of(
              ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the body as Content-Type: " + expected));
    }
  }
}
