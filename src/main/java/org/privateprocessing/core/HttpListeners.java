package org.privateprocessing.core;

import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.InvalidLineSeparatorException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.privateprocessing.ohttp.MediaTypes;

/**
 * Shared by every HTTP listener (relay, gateway, issuer, log, RA-TLS): the server itself with its
 * limits and read deadlines ({@link #server}), problem responses, router guards, bodies.
 *
 * <p>Whatever a client sends, it gets a problem ({@code application/problem+json}) or, where no
 * HTTP answer is possible, a closed connection; the log gets at most one line per request and never
 * a stack trace, at {@code FINE} for a client's own mistakes, so that malformed traffic cannot fill
 * it.
 */
public final class HttpListeners {
  private static final Logger LOG = Logger.getLogger(HttpListeners.class.getName());

  /**
   * The metered exchange of each request under way, by its response (the one object the router,
   * {@link #send} and the server all see), so that a problem sent is counted under its type.
   */
  private static final Map<HttpServerResponse, Metered> EXCHANGES = new ConcurrentHashMap<>();

  /** A request's metered exchange and the connection it came on. */
  private record Metered(HttpConnection connection, NodeMetrics.Exchange exchange) {}

  /** Where a routed request keeps its connection's {@link ConnectionWatch}. */
  private static final String WATCH = HttpListeners.class.getName() + ".watch";

  /** Per Vert.x instance, so tests with short deadlines do not change another node's. */
  private static final Map<Vertx, ListenerLimits> LIMITS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private HttpListeners() {}

  /**
   * Sets the limits of every listener created on {@code vertx} from now on. {@code Node} calls it
   * with the config's {@code "http"} section before it starts any role; without it listeners get
   * {@link ListenerLimits#DEFAULTS}.
   */
  public static void configure(Vertx vertx, ListenerLimits limits) {
    LIMITS.put(vertx, Objects.requireNonNull(limits, "limits"));
  }

  /** The limits listeners created on {@code vertx} get. */
  public static ListenerLimits limits(Vertx vertx) {
    return LIMITS.getOrDefault(vertx, ListenerLimits.DEFAULTS);
  }

  /** A plain-HTTP listener's server: {@link #server(Vertx, HttpServerOptions, Router)}. */
  public static HttpServer server(Vertx vertx, Router router) {
    return server(vertx, new HttpServerOptions(), router);
  }

  /**
   * A plain-HTTP listener's server whose requests count as {@code stage}'s in the node's metrics:
   * {@link #server(Vertx, HttpServerOptions, Router, NodeMetrics.Stage)}.
   */
  public static HttpServer server(Vertx vertx, Router router, NodeMetrics.Stage stage) {
    return server(vertx, new HttpServerOptions(), router, stage);
  }

  /** As {@link #server(Vertx, HttpServerOptions, Router, NodeMetrics.Stage)}, unmetered. */
  public static HttpServer server(Vertx vertx, HttpServerOptions options, Router router) {
    return server(vertx, options, router, null);
  }

  /**
   * The HTTP server of a listener: {@code options} (address, TLS) with this node's {@link
   * ListenerLimits}, serving {@code router}. What it adds to Vert.x:
   *
   * <ul>
   *   <li>a request Netty could not decode (bad request line, header without a colon, NUL bytes,
   *       oversized line or headers) is answered with a problem (400, 414 or 431), not an empty
   *       reply, and its connection closed;
   *   <li>a request target with a broken percent-escape is answered with a 400 problem before the
   *       router, which would otherwise fail to match it and log a stack trace;
   *   <li>a body that breaks on the wire (a malformed chunk) is a 400, not a handler failure;
   *   <li>header-read and body-read deadlines ({@link ConnectionWatch}), and the idle timeout.
   * </ul>
   *
   * Call {@link #guard} on the router too. The caller binds the server ({@code listen}).
   *
   * @param stage what the node's metrics ({@link NodeMetrics}) count this listener's requests as:
   *     each is in flight from its start to its answer, then counted by outcome and problem type
   *     with its latency; null to count nothing
   */
  public static HttpServer server(
      Vertx vertx, HttpServerOptions options, Router router, NodeMetrics.Stage stage) {
    return server(vertx, options, router, stage, false);
  }

  /**
   * As {@link #server(Vertx, HttpServerOptions, Router, NodeMetrics.Stage)}; with {@code
   * wipeBuffers}, each connection's buffers come from {@link WipingByteBufAllocator}, for a
   * listener that decrypts content into them (TLS terminated in the enclave).
   */
  public static HttpServer server(
      Vertx vertx,
      HttpServerOptions options,
      Router router,
      NodeMetrics.Stage stage,
      boolean wipeBuffers) {
    ListenerLimits limits = limits(vertx);
    NodeMetrics metrics = NodeMetrics.of(vertx);
    Map<HttpConnection, ConnectionWatch> watches = new ConcurrentHashMap<>();
    // First of all routes: a routed request finds its connection's watch here (for the failure
    // handler of guard), and the end of its answer starts the kept-alive connection's wait for
    // its next request.
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            ctx -> {
              ConnectionWatch watch = watches.get(ctx.request().connection());
              HttpServerResponse response = ctx.response();
              if (watch != null) {
                ctx.put(WATCH, watch);
                long exchange = watch.exchange();
                ctx.addEndHandler(
                    done -> {
                      watch.exchangeEnded(exchange);
                      meteredEnd(response);
                    });
              } else {
                ctx.addEndHandler(done -> meteredEnd(response));
              }
              ctx.next();
            });
    HttpServer server = vertx.createHttpServer(limits.applyTo(new HttpServerOptions(options)));
    return server
        .connectionHandler(
            connection -> {
              if (wipeBuffers) {
                useWipingBuffers(connection);
              }
              ConnectionWatch watch = new ConnectionWatch(vertx, connection, limits);
              watches.put(connection, watch);
              connection.exceptionHandler(watch::reported);
              connection.closeHandler(
                  closed -> {
                    watches.remove(connection);
                    watch.closed();
                    // An answer cut off by the close: its end handlers may never run.
                    EXCHANGES
                        .entrySet()
                        .removeIf(
                            e -> {
                              boolean cutOff = e.getValue().connection() == connection;
                              if (cutOff) {
                                e.getValue().exchange().end(NodeMetrics.Outcome.ABANDONED);
                              }
                              return cutOff;
                            });
                  });
              watch.opened();
            })
        .exceptionHandler(
            t ->
                // A TLS handshake that failed, a connection reset before any request: nothing to
                // answer, and nothing an operator must act on.
                LOG.log(Level.FINE, "listener connection failure: {0}", t.getClass().getName()))
        .invalidRequestHandler(
            request -> {
              if (stage != null && !request.response().closed()) {
                HttpServerResponse response = request.response();
                EXCHANGES.put(response, new Metered(request.connection(), metrics.begin(stage)));
                response.endHandler(ended -> meteredEnd(response));
              }
              refuseUndecodable(request);
            })
        .requestHandler(
            request -> {
              ConnectionWatch watch = watches.get(request.connection());
              HttpServerResponse response = request.response();
              if (stage != null) {
                EXCHANGES.put(response, new Metered(request.connection(), metrics.begin(stage)));
              }
              // Also here, not only in the first route: Vert.x Web may refuse a request (no
              // Host) before any route runs. Once a route adds an end handler, Vert.x Web
              // replaces this one with its own, which calls the route's.
              if (watch != null) {
                watch.requestStarted(request);
                long exchange = watch.exchange();
                response.endHandler(
                    ended -> {
                      watch.exchangeEnded(exchange);
                      meteredEnd(response);
                    });
              } else {
                response.endHandler(ended -> meteredEnd(response));
              }
              String malformed = RequestTargets.malformed(request.uri());
              if (malformed != null) {
                LOG.log(Level.FINE, "request target refused: {0}", malformed);
                sendAndClose(
                    request.response(),
                    PipelineException.of(ProblemType.HTTP_REQUEST_REFUSED, malformed));
                return;
              }
              router.handle(request);
            });
  }

  /**
   * Ends the metered exchange of {@code response}, if any, once: by its status when it was
   * answered, as abandoned when the connection closed first.
   */
  private static void meteredEnd(HttpServerResponse response) {
    Metered m = EXCHANGES.remove(response);
    if (m != null) {
      if (response.ended()) {
        m.exchange().end(response.getStatusCode());
      } else {
        m.exchange().end(NodeMetrics.Outcome.ABANDONED);
      }
    }
  }

  /**
   * Answers a request Netty could not decode; Vert.x closes the connection after it, since the
   * stream may no longer be in step with request boundaries.
   */
  private static void refuseUndecodable(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof PrematureChannelClosureException || request.response().closed()) {
      // The connection closed mid-request (a read deadline, or the client left): no one to
      // answer, and the deadline already logged its line.
      return;
    }
    LOG.log(
        Level.FINE,
        "undecodable request refused: {0}",
        cause == null ? "unknown" : cause.getClass().getName());
    sendAndClose(request.response(), undecodable(cause));
  }

  /**
   * The problem for a request Netty could not decode. The detail names the check, never the bytes:
   * Netty's own messages quote the input.
   */
  static PipelineException undecodable(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return PipelineException.of(
          ProblemType.URI_TOO_LONG, "the request line is longer than this listener accepts");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return PipelineException.of(
          ProblemType.HEADERS_TOO_LARGE,
          "the request headers are larger than this listener accepts");
    }
    if (cause instanceof InvalidLineSeparatorException) {
      return PipelineException.of(
          ProblemType.HTTP_REQUEST_REFUSED, "every line of a request must end with CRLF");
    }
    return PipelineException.of(
        ProblemType.HTTP_REQUEST_REFUSED,
        "the request is not well-formed HTTP/1.1 (request line or header fields)");
  }

  /** As {@link #send(HttpServerResponse, PipelineException)}, then closes the connection. */
  private static void sendAndClose(HttpServerResponse response, PipelineException e) {
    if (!response.ended() && !response.closed()) {
      response.putHeader("connection", "close");
    }
    send(response, e);
  }

  /**
   * Event-bus headers of a stage's reply that carry the type and status of the problem it sealed
   * into its answer ({@link #sealedProblem}): read by the listener that sends the answer on.
   */
  static final String SEALED_PROBLEM = "pp-sealed-problem";

  static final String SEALED_STATUS = "pp-sealed-status";

  /**
   * Delivery options of a reply whose sealed answer is the problem {@code e}: the listener that
   * sends the answer on counts it under its type ({@link #countSealedProblem}), though the HTTP
   * status is 200. Only for problems this node made itself: never for an answer it cannot read.
   */
  public static DeliveryOptions sealedProblem(PipelineException e) {
    return new DeliveryOptions()
        .addHeader(SEALED_PROBLEM, e.type().map(ProblemType::slug).orElse(""))
        .addHeader(SEALED_STATUS, Integer.toString(e.status()));
  }

  /**
   * Counts the problem a stage sealed into the answer {@code response} is about to carry, as its
   * reply's {@code headers} say ({@link #sealedProblem}); nothing when they say none.
   */
  public static void countSealedProblem(HttpServerResponse response, MultiMap headers) {
    Metered metered = EXCHANGES.get(response);
    String slug = headers.get(SEALED_PROBLEM);
    String status = headers.get(SEALED_STATUS);
    if (metered == null || slug == null || status == null) {
      return;
    }
    int code;
    try {
      code = Integer.parseInt(status);
    } catch (NumberFormatException e) {
      return;
    }
    metered.exchange().problem(ProblemType.bySlug(slug).filter(t -> t.status() == code), code);
  }

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
    Metered metered = EXCHANGES.get(response);
    if (metered != null) {
      metered.exchange().problem(e.type(), e.status());
    }
    response
        .setStatusCode(e.status())
        .putHeader("content-type", org.privateprocessing.api.Problem.MEDIA_TYPE);
    e.headers().forEach(response::putHeader);
    response.end(Buffer.buffer(e.problem().encode()));
  }

  /**
   * Makes every unmatched route and every failure (body too large, a handler's exception, a body
   * that broke on the wire, a request Vert.x Web could not match) a problem response, so no
   * listener ever answers with Vert.x's default HTML, an empty reply or a stack trace.
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
    router.route().failureHandler(ctx -> refuse(ctx, servedRoutes));
    // Called when Vert.x Web fails before any route (a request target it cannot decode while
    // matching: status and failure unset) and for a failure no failure handler answered. Without
    // it Vert.x Web logs the exception with its stack trace and answers in plain text.
    router.uncaughtErrorHandler(
        ctx -> {
          if (ctx.failure() == null && ctx.statusCode() == -1) {
            sendAndClose(
                ctx.response(),
                PipelineException.of(
                    ProblemType.HTTP_REQUEST_REFUSED, "the request target cannot be decoded"));
          } else {
            refuse(ctx, servedRoutes);
          }
        });
  }

  private static void refuse(RoutingContext ctx, String servedRoutes) {
    int status = ctx.statusCode();
    Throwable failure = ctx.failure();
    ConnectionWatch watch = ctx.get(WATCH);
    if (ctx.response().closed() || failure instanceof HttpClosedException) {
      // The client went away (or its connection was closed for a malformed request, which was
      // logged then): there is no one to answer, and nothing went wrong here. Not even a FINE
      // line, so a refused request never costs two.
      return;
    }
    if (watch != null && watch.wasReported(failure)) {
      // The connection reported it (a malformed chunk, a broken body): the client's fault, and
      // the stream no longer ends where a next request would begin.
      LOG.log(Level.FINE, "request body refused: {0}", failure.getClass().getName());
      sendAndClose(
          ctx.response(),
          PipelineException.of(
              ProblemType.HTTP_REQUEST_REFUSED,
              "the request body is not well-formed (chunked or length framing)"));
    } else if (failure != null && status < 400) {
      send(ctx, failure);
    } else {
      send(ctx.response(), refusedByVertx(status, servedRoutes));
    }
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

  /** The socket send buffer of a connection that carries a streamed answer. */
  public static final int STREAM_SEND_BUFFER = 128 * 1024;

  /**
   * Fixes the socket send buffer of a connection that carries a streamed answer to {@link
   * #STREAM_SEND_BUFFER}: the kernel would otherwise grow it to megabytes, which a reader that
   * stops reading would leave filled instead of stopping the writer behind it. Other connections
   * keep the kernel's tuning. A connection that is not a socket is left alone.
   */
  public static void boundSendBuffer(HttpConnection connection) {
    if (connection instanceof io.vertx.core.net.impl.ConnectionBase base) {
      base.channel()
          .config()
          .setOption(io.netty.channel.ChannelOption.SO_SNDBUF, STREAM_SEND_BUFFER);
    }
  }

  /**
   * Switches a connection's channel to {@link WipingByteBufAllocator}. Vert.x has no option for a
   * server's allocator, so this reaches the Netty channel through Vert.x's connection class; the
   * switch happens when the connection is handed out, after the TLS handshake and before any
   * request is read. A connection of another kind is refused (closed), never served with pooled
   * buffers.
   */
  private static void useWipingBuffers(HttpConnection connection) {
    if (connection instanceof io.vertx.core.net.impl.ConnectionBase base) {
      base.channel().config().setAllocator(WipingByteBufAllocator.INSTANCE);
    } else {
      LOG.warning(
          "closing a connection: its buffers cannot be made to wipe themselves ("
              + connection.getClass().getName()
              + ")");
      connection.close();
    }
  }
}
