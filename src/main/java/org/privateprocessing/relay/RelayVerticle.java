package org.privateprocessing.relay;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
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
import org.privateprocessing.core.ProblemType;
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
                // Piped as it arrives: no body handler, the body is never held whole.
                forwardStream(ctx);
              } else {
                HttpListeners.requireMediaType(ctx, MediaTypes.OHTTP_REQUEST);
              }
            });
    router
        .post(MediaTypes.RELAY_REQUEST_PATH)
        .handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(this::forwardRequest);
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
   * A chunked request (draft-ietf-ohai-chunked-ohttp-08), piped both ways as it arrives, never held
   * whole: the client's upload goes to the gateway buffer by buffer ({@link StreamedUpload}), and a
   * gateway that does not read pauses the client's upload; the answer comes back the same way
   * ({@link #pipeBack}). {@link RelayOptions#maxBodyBytes()} still holds, counted as the bytes
   * pass: over it the client gets 413 {@code body-too-large} if no answer has begun (else its
   * answer is cut) and the gateway's request is reset.
   *
   * <p>Failover differs from whole requests ({@link GatewayFailover}): the relay keeps no copy of
   * the body, so it may move to the next gateway only while nothing of the body was sent. It
   * connects first (a refused or timed-out connect moves on) and only then starts piping. A plain
   * 400 ("could not open it") comes after the body went, so it is passed to the client, whose SDK
   * fetches the keys again and retries once, as it does for a whole request's 400.
   *
   * <p>{@link RelayOptions#timeoutMs()} is a read deadline throughout: a client that sends nothing
   * for that long mid-upload is cut (and the gateway's request reset); a gateway that reads nothing
   * for that long (the upload paused for it), or whose answer does not begin within it after the
   * upload ended, is cut with 504 {@code gateway-timeout} before its answer begins; once the answer
   * runs, a gateway silent for that long is cut by resetting the client's connection, so the client
   * never takes a cut answer for a whole one.
   */
  private void forwardStream(RoutingContext ctx) {
    HttpServerRequest in = ctx.request();
    in.pause();
    if (RelayPolicy.declaredOver(in.getHeader("content-length"), options.maxBodyBytes())) {
      HttpListeners.send(ctx.response(), tooLarge());
      return;
    }
    gateways
        .send(
            url ->
                streams.request(
                    new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setAbsoluteURI(url + MediaTypes.GATEWAY_REQUEST_PATH)
                        .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST)),
            // Connected, nothing sent yet: there is no answer that could say "unopened".
            connected -> false)
        .onSuccess(request -> new StreamedUpload(ctx, request).start())
        .onFailure(t -> HttpListeners.send(ctx.response(), RelayPolicy.unreachable(t)));
  }

  private PipelineException tooLarge() {
    return PipelineException.of(
        ProblemType.BODY_TOO_LARGE,
        "the request body is larger than this relay accepts ("
            + options.maxBodyBytes()
            + " bytes)");
  }

  /**
   * One chunked request on its way to a gateway: the client's buffers are written to the gateway as
   * they come, the client paused while the gateway's connection is full; bytes are counted against
   * {@link RelayOptions#maxBodyBytes()}. Runs on the request's event loop.
   */
  private final class StreamedUpload {
    private final RoutingContext ctx;
    private final HttpServerRequest in;
    private final HttpClientRequest out;
    private long passed;
    private long timer = -1;
    private boolean pausedForGateway;
    private boolean uploaded;
    private boolean answered;

    /** The gateway's request is over (reset, or its answer ended): what follows is dropped. */
    private boolean over;

    StreamedUpload(RoutingContext ctx, HttpClientRequest out) {
      this.ctx = ctx;
      this.in = ctx.request();
      this.out = out;
    }

    void start() {
      out.setChunked(true);
      out.exceptionHandler(t -> stop());
      out.drainHandler(
          v -> {
            if (!over && pausedForGateway) {
              pausedForGateway = false;
              arm();
              in.resume();
            }
          });
      out.response()
          .onComplete(
              head -> {
                if (answered || over) {
                  // Already settled here (413, a deadline, the client gone): the reset that
                  // settled it failed this future too.
                  if (head.succeeded()) {
                    head.result().request().reset();
                  }
                  return;
                }
                answered = true;
                cancel();
                if (head.failed()) {
                  stop();
                  if (!ctx.response().headWritten() && !ctx.response().closed()) {
                    HttpListeners.send(ctx.response(), RelayPolicy.unreachable(head.cause()));
                  }
                  return;
                }
                HttpClientResponse answer = head.result();
                answer.pause();
                if (over || ctx.response().headWritten() || ctx.response().closed()) {
                  stop();
                  return;
                }
                pipeBack(ctx, answer, whole -> stop(whole));
              });
      ctx.response().closeHandler(v -> stop());
      in.exceptionHandler(t -> stop());
      in.handler(this::piece);
      in.endHandler(
          v -> {
            uploaded = true;
            if (over) {
              return;
            }
            out.end();
            if (!answered) {
              // The gateway's turn: its answer must begin in time.
              arm();
            }
          });
      arm();
      in.resume();
    }

    private void piece(Buffer buffer) {
      passed += buffer.length();
      if (over) {
        // Dropped, still counted: a client that goes on past the limit is disconnected.
        if (passed > options.maxBodyBytes()) {
          in.connection().close();
        }
        return;
      }
      if (passed > options.maxBodyBytes()) {
        stop();
        if (!answered && !ctx.response().headWritten() && !ctx.response().closed()) {
          answered = true;
          HttpListeners.send(ctx.response(), tooLarge());
        } else {
          cutClient();
        }
        return;
      }
      out.write(buffer);
      if (out.writeQueueFull()) {
        pausedForGateway = true;
        in.pause();
      }
      arm();
    }

    /** Nothing moved for the relay's timeout: the client stalled mid-upload, or the gateway did. */
    private void expired() {
      timer = -1;
      if (over) {
        return;
      }
      boolean clientStalled = !uploaded && !pausedForGateway;
      stop();
      if (!clientStalled && !answered && !ctx.response().headWritten()) {
        answered = true;
        HttpListeners.send(
            ctx.response(),
            RelayPolicy.unreachable(new TimeoutException("the gateway did not answer in time")));
      } else {
        // A client that stopped sending mid-upload: cut, as a stalled answer is.
        cutClient();
      }
    }

    private void cutClient() {
      if (!ctx.response().ended() && !ctx.response().closed()) {
        ctx.response().reset();
      }
      in.connection().close();
    }

    /**
     * Ends the upload: the gateway's request is reset unless both its request and its answer are
     * complete, and whatever the client still sends is dropped.
     */
    private void stop() {
      stop(false);
    }

    /**
     * As {@link #stop()}; {@code answerComplete} when the gateway's whole answer arrived (then a
     * finished upload leaves its connection to be kept alive).
     */
    private void stop(boolean answerComplete) {
      cancel();
      if (over) {
        return;
      }
      over = true;
      if (!(uploaded && answerComplete)) {
        out.reset();
      }
      if (!uploaded) {
        in.resume();
      }
    }

    private void arm() {
      cancel();
      timer = vertx.setTimer(options.timeoutMs(), t -> expired());
    }

    private void cancel() {
      if (timer != -1) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }

  /**
   * Passes a chunked answer on as it comes: each buffer is written at once; when the client's
   * connection is full the gateway's is paused until it drains. While the relay waits for the
   * gateway (not paused for the client), a gateway silent for {@link RelayOptions#timeoutMs()} is
   * cut and so is the client's connection.
   */
  private void pipeBack(
      RoutingContext ctx, HttpClientResponse answer, java.util.function.Consumer<Boolean> ended) {
    RelayPolicy.Passed passed;
    try {
      passed =
          RelayPolicy.pass(
              answer.statusCode(),
              answer.getHeader("content-type"),
              answer.getHeader("retry-after"),
              MediaTypes.OHTTP_CHUNKED_RESPONSE);
    } catch (PipelineException refused) {
      ended.accept(false);
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
          ended.accept(false);
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
            // The whole answer is out: an upload still running is not wanted any more.
            ended.accept(true);
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
        .compose(
            request ->
                // The body is read in send's own continuation: a step chained after it may run
                // once the body has already gone by (Vert.x delivers it on the connection's loop).
                request
                    .send(body)
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
                                            answer))));
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
