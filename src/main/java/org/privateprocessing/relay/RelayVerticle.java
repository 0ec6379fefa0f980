package org.privateprocessing.relay;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.privateprocessing.core.HttpListeners;
import org.privateprocessing.core.NodeMetrics;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.ohttp.MediaTypes;

/**
 * The Oblivious Relay Resource (RFC 9458 section 5): forwards encapsulated requests body-verbatim
 * to the gateway and the answers back. It copies no client header (no Forwarded, no
 * X-Forwarded-For), logs no body, and can read nothing it carries: it has no keys.
 *
 * <p>With several gateways ({@link RelayOptions#gatewayUrls()}) it spreads requests over them in
 * turn and fails over to the next when one refuses the connection or could not open the request;
 * before it serves, and every {@value #KEY_CHECK_MS} ms, it reads each gateway's key list and flags
 * one that differs from its peers (see {@link GatewayFailover} for why round robin is right, what a
 * flag means and when a retry is safe). All down: 502.
 *
 * <p>What of a gateway's answer reaches the client, and which problem a client gets when none
 * answered, is {@link RelayPolicy}'s decision; this verticle only wires HTTP to it.
 */
public final class RelayVerticle extends VerticleBase {
  /** How often the relay compares its gateways' key lists. */
  public static final long KEY_CHECK_MS = 5_000;

  /** Buffers of a streamed answer written to the client but not yet on its socket, at most. */
  private static final int MAX_UNWRITTEN = 4;

  private static final Logger LOG = Logger.getLogger(RelayVerticle.class.getName());
  private final RelayOptions options;
  private HttpServer server;
  private WebClient client;
  private HttpClient streams;
  private HttpClient forwarder;
  private final GatewayFailover gateways;

  /** Per gateway, its request target, parsed once (the URL does not change). */
  private final Map<String, RequestOptions> targets = new ConcurrentHashMap<>();

  public RelayVerticle(RelayOptions options) {
    this.options = options;
    this.gateways = new GatewayFailover(options.gatewayUrls());
  }

  @Override
  public Future<?> start() {
    client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) options.connectTimeoutMs())
                .setUserAgentEnabled(false)
                .setFollowRedirects(false));
    // Requests go out on the core client, over its pool of kept-alive connections: the
    // WebClient's own per-request layers (its interceptor chain, parsing the URL again, merging
    // headers, the body codec's pipe) took about 2% of the all-in-one node's CPU under load and
    // 1.4 KB per request (JFR; RequestPathBenchmark.relay*). Like the WebClient above, it sends no
    // User-Agent and follows no redirect. The key lists stay on the WebClient (rare requests).
    forwarder =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout((int) options.connectTimeoutMs()));
    Router router = Router.router(vertx);
    router.get(MediaTypes.WELL_KNOWN_GATEWAY_PATH).handler(this::forwardKeys);
    // Two routes: Vert.x wants the body handler first on a route, and the type check must come
    // before the body is read, so a wrong request is refused without buffering it.
    streams =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout((int) options.connectTimeoutMs()));
    router
        .post(MediaTypes.RELAY_REQUEST_PATH)
        .handler(
            ctx -> {
              if (isChunked(ctx)) {
                ctx.next();
              } else {
                HttpListeners.requireMediaType(ctx, MediaTypes.OHTTP_REQUEST);
              }
            });
    router
        .post(MediaTypes.RELAY_REQUEST_PATH)
        .handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(
            ctx -> {
              if (isChunked(ctx)) {
                forwardStream(ctx);
              } else {
                forwardRequest(ctx);
              }
            });
    HttpListeners.guard(router, "POST / (message/ohttp-req) and GET /.well-known/ohttp-gateway");
    server = HttpListeners.server(vertx, router, NodeMetrics.Stage.RELAY);
    if (gateways.urls().size() < 2) {
      return server.listen(options.port(), options.host());
    }
    vertx.setPeriodic(KEY_CHECK_MS, KEY_CHECK_MS, t -> checkKeyLists());
    return checkKeyLists().compose(v -> server.listen(options.port(), options.host()));
  }

  /**
   * Reads every gateway's key list and flags those that differ from their peers' ({@link
   * GatewayFailover#keyLists}); a gateway that does not answer keeps its standing.
   */
  private Future<Void> checkKeyLists() {
    Map<String, byte[]> lists = new ConcurrentHashMap<>();
    List<Future<?>> reads = new ArrayList<>();
    for (String url : gateways.urls()) {
      reads.add(
          client
              .getAbs(url + MediaTypes.WELL_KNOWN_GATEWAY_PATH)
              .timeout(options.timeoutMs())
              .send()
              .onSuccess(
                  r -> {
                    if (r.statusCode() == 200
                        && MediaTypes.OHTTP_KEYS.equals(r.getHeader("content-type"))
                        && r.body() != null) {
                      lists.put(url, r.body().getBytes());
                    }
                  }));
    }
    return Future.join(reads)
        .transform(
            done -> {
              for (String url : gateways.keyLists(lists)) {
                LOG.warning(
                    "gateway "
                        + url
                        + " serves other OHTTP keys than its peers: it gets requests only when no "
                        + "other gateway is reachable; give it the origin's key directory "
                        + "(docs/OPERATIONS.md, Keys)");
              }
              return Future.succeededFuture();
            });
  }

  private void forwardRequest(RoutingContext ctx) {
    Buffer body = HttpListeners.body(ctx);
    gateways
        .send(url -> post(url, body), RelayVerticle::unopened)
        .onSuccess(answer -> relayBack(ctx, answer, MediaTypes.OHTTP_RESPONSE))
        .onFailure(t -> HttpListeners.send(ctx.response(), RelayPolicy.unreachable(t)));
  }

  private static boolean isChunked(RoutingContext ctx) {
    return MediaTypes.essence(ctx.request().getHeader("content-type"))
        .equals(MediaTypes.OHTTP_CHUNKED_REQUEST);
  }

  /**
   * A chunked request (draft-ietf-ohai-chunked-ohttp-08): the request, bounded by {@link
   * RelayOptions#maxBodyBytes()} and kept for a failover, goes to the gateway; the answer comes
   * back as it arrives, piped with backpressure (a client that stops reading stops the gateway's
   * connection, which stops the gateway), never held whole. {@link RelayOptions#timeoutMs()} is
   * here a read deadline: a gateway that sends nothing for that long is cut, before its answer
   * begins with 504 {@code gateway-timeout}, after it by resetting the client's connection, so the
   * client never takes a cut answer for a whole one.
   */
  private void forwardStream(RoutingContext ctx) {
    Buffer body = HttpListeners.body(ctx);
    gateways
        .send(
            url ->
                streams
                    .request(
                        new RequestOptions()
                            .setMethod(HttpMethod.POST)
                            .setAbsoluteURI(url + MediaTypes.GATEWAY_REQUEST_PATH)
                            .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST))
                    .compose(request -> headWithin(request, body)),
            answer -> {
              boolean unopened =
                  RelayPolicy.unopened(answer.statusCode(), answer.getHeader("content-type"));
              if (unopened) {
                answer.resume();
                answer.end();
              }
              return unopened;
            })
        .onSuccess(answer -> pipeBack(ctx, answer))
        .onFailure(t -> HttpListeners.send(ctx.response(), RelayPolicy.unreachable(t)));
  }

  /**
   * Sends the request; the gateway's answer must begin within {@link RelayOptions#timeoutMs()} (a
   * deadline on the head only: {@link #pipeBack} watches the rest). The answer comes paused.
   */
  private Future<HttpClientResponse> headWithin(HttpClientRequest request, Buffer body) {
    Promise<HttpClientResponse> head = Promise.promise();
    long timer =
        vertx.setTimer(
            options.timeoutMs(),
            t -> {
              if (head.tryFail(new TimeoutException("the gateway did not answer in time"))) {
                request.reset();
              }
            });
    request
        .send(body)
        .onComplete(
            answer -> {
              vertx.cancelTimer(timer);
              if (answer.succeeded()) {
                answer.result().pause();
                if (!head.tryComplete(answer.result())) {
                  request.reset();
                }
              } else {
                head.tryFail(answer.cause());
              }
            });
    return head.future();
  }

  /**
   * Passes a chunked answer on as it comes: each buffer is written at once; when the client's
   * connection is full the gateway's is paused until it drains. While the relay waits for the
   * gateway (not paused for the client), a gateway silent for {@link RelayOptions#timeoutMs()} is
   * cut and so is the client's connection.
   */
  private void pipeBack(RoutingContext ctx, HttpClientResponse answer) {
    RelayPolicy.Passed passed;
    try {
      passed =
          RelayPolicy.pass(
              answer.statusCode(),
              answer.getHeader("content-type"),
              answer.getHeader("retry-after"),
              MediaTypes.OHTTP_CHUNKED_RESPONSE);
    } catch (PipelineException refused) {
      answer.request().reset();
      HttpListeners.send(ctx.response(), refused);
      return;
    }
    HttpListeners.boundSendBuffer(ctx.request().connection());
    HttpServerResponse response =
        ctx.response()
            .setStatusCode(passed.status())
            .setChunked(true)
            .putHeader("content-type", passed.contentType());
    passed.retryAfter().ifPresent(seconds -> response.putHeader("retry-after", seconds));
    long[] deadline = {-1};
    boolean[] over = {false};
    Runnable cut =
        () -> {
          if (over[0]) {
            return;
          }
          over[0] = true;
          vertx.cancelTimer(deadline[0]);
          answer.request().reset();
          if (!response.ended() && !response.closed()) {
            response.reset();
          }
        };
    Runnable arm =
        () -> {
          vertx.cancelTimer(deadline[0]);
          deadline[0] = vertx.setTimer(options.timeoutMs(), t -> cut.run());
        };
    response.closeHandler(v -> cut.run());
    answer.exceptionHandler(t -> cut.run());
    // Writes not yet on the client's socket; past a few, the gateway's answer is paused until they
    // are: the client's pace sets the gateway's.
    int[] unwritten = {0};
    answer.handler(
        buffer -> {
          if (over[0]) {
            return;
          }
          unwritten[0]++;
          if (unwritten[0] >= MAX_UNWRITTEN) {
            vertx.cancelTimer(deadline[0]);
            answer.pause();
          } else {
            arm.run();
          }
          response
              .write(buffer)
              .onComplete(
                  written -> {
                    if (written.failed()) {
                      cut.run();
                      return;
                    }
                    unwritten[0]--;
                    if (unwritten[0] == MAX_UNWRITTEN - 1 && !over[0]) {
                      arm.run();
                      answer.resume();
                    }
                  });
        });
    answer.endHandler(
        v -> {
          if (!over[0]) {
            over[0] = true;
            vertx.cancelTimer(deadline[0]);
            response.end();
          }
        });
    arm.run();
    answer.resume();
  }

  /** POSTs {@code body} to one gateway and reads its whole answer. */
  private Future<Answer> post(String url, Buffer body) {
    RequestOptions target =
        targets.computeIfAbsent(
            url,
            u ->
                new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setAbsoluteURI(u + MediaTypes.GATEWAY_REQUEST_PATH)
                    .setTimeout(options.timeoutMs())
                    .putHeader("content-type", MediaTypes.OHTTP_REQUEST));
    return forwarder
        .request(new RequestOptions(target))
        .compose(request -> request.send(body))
        .compose(
            (HttpClientResponse response) ->
                response
                    .body()
                    .map(
                        answer ->
                            new Answer(
                                response.statusCode(),
                                response.getHeader("content-type"),
                                response.getHeader("retry-after"),
                                answer)));
  }

  /** What the relay keeps of a gateway's answer: status, the two headers it may pass, body. */
  private record Answer(int status, String contentType, String retryAfter, Buffer body) {
    static Answer of(HttpResponse<Buffer> response) {
      return new Answer(
          response.statusCode(),
          response.getHeader("content-type"),
          response.getHeader("retry-after"),
          response.body());
    }
  }

  private void forwardKeys(RoutingContext ctx) {
    gateways
        .send(
            url ->
                client
                    .getAbs(url + MediaTypes.WELL_KNOWN_GATEWAY_PATH)
                    .timeout(options.timeoutMs())
                    .send()
                    .map(Answer::of),
            answer -> false)
        .onSuccess(answer -> relayBack(ctx, answer, MediaTypes.OHTTP_KEYS))
        .onFailure(t -> HttpListeners.send(ctx.response(), RelayPolicy.unreachable(t)));
  }

  private static boolean unopened(Answer answer) {
    return RelayPolicy.unopened(answer.status(), answer.contentType());
  }

  /** Sends the client what {@link RelayPolicy#pass} lets through, or the 502 it decides. */
  private static void relayBack(RoutingContext ctx, Answer answer, String expectedType) {
    RelayPolicy.Passed passed;
    try {
      passed =
          RelayPolicy.pass(
              answer.status(), answer.contentType(), answer.retryAfter(), expectedType);
    } catch (PipelineException refused) {
      HttpListeners.send(ctx.response(), refused);
      return;
    }
    HttpServerResponse response =
        ctx.response()
            .setStatusCode(passed.status())
            .putHeader("content-type", passed.contentType());
    passed.retryAfter().ifPresent(seconds -> response.putHeader("retry-after", seconds));
    response.end(answer.body() == null ? Buffer.buffer() : answer.body());
  }

  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (client != null) {
      client.close();
    }
    Future<Void> closing = forwarder == null ? Future.succeededFuture() : forwarder.close();
    if (streams != null) {
      streams.close();
    }
    return closing;
  }
}
