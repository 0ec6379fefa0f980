package org.privateprocessing.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.HttpListeners;
import org.privateprocessing.core.InFlightLimiter;
import org.privateprocessing.core.LocalOnly;
import org.privateprocessing.core.LocalOnlyCodec;
import org.privateprocessing.core.NodeMetrics;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;

/**
 * The gateway's HTTP listener: publishes the outer key configs and hands every encapsulated
 * request, still sealed, to the credential stage over the event bus. It never sees content.
 *
 * <p>Backpressure: at most {@link GatewayOptions#maxInFlight()} requests are under way at once.
 * Beyond that it answers a <em>plain</em> 503 {@code overloaded} with {@code Retry-After: 1}: the
 * check comes before the outer layer is opened (opening it is the work being shed), so there is no
 * key to seal the answer with. It says nothing but "busy", which the relay may see.
 */
public final class GatewayVerticle extends VerticleBase {
  private final GatewayOptions options;
  private final GatewayIdentity identity;
  private final InFlightLimiter limiter;
  private HttpServer server;

  public GatewayVerticle(GatewayOptions options, GatewayIdentity identity) {
    this.options = options;
    this.identity = identity;
    this.limiter = new InFlightLimiter(options.maxInFlight());
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    // The credential stage waits for the enclave; give it that long plus a margin to seal.
    DeliveryOptions delivery =
        new DeliveryOptions().setSendTimeout(options.enclaveTimeoutMs() + 2_000);

    Router router = Router.router(vertx);
    router
        .get(MediaTypes.WELL_KNOWN_GATEWAY_PATH)
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", MediaTypes.OHTTP_KEYS)
                    .end(Buffer.buffer(KeyConfigs.encode(identity.keyConfigs()))));
    // Two routes: Vert.x wants the body handler first on a route, and the type check must come
    // before the body is read, so a wrong request is refused without buffering it.
    router
        .post(MediaTypes.GATEWAY_REQUEST_PATH)
        .handler(
            ctx -> {
              if (isChunked(ctx)) {
                // Read as it arrives: no body handler, the body is never held whole.
                streamed(ctx);
              } else {
                HttpListeners.requireMediaType(ctx, MediaTypes.OHTTP_REQUEST);
              }
            });
    router
        .post(MediaTypes.GATEWAY_REQUEST_PATH)
        .handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(
            ctx -> {
              Envelope request =
                  Envelope.wrap(Envelope.Kind.OUTER_REQUEST, HttpListeners.body(ctx).getBytes());
              // The event-bus request always ends (reply, failure or send timeout), so the slot
              // comes back.
              limiter
                  .run(
                      () ->
                          vertx
                              .eventBus()
                              .<Envelope>request(Addresses.CREDENTIAL, request, delivery),
                      () -> InFlightLimiter.overloaded("the gateway"))
                  .onSuccess(
                      reply -> {
                        HttpListeners.countSealedProblem(ctx.response(), reply.headers());
                        ctx.response()
                            .putHeader("content-type", MediaTypes.OHTTP_RESPONSE)
                            .end(Buffer.buffer(reply.body().ciphertext()));
                      })
                  .onFailure(t -> HttpListeners.send(ctx, t));
            });
    HttpListeners.guard(
        router,
        "GET "
            + MediaTypes.WELL_KNOWN_GATEWAY_PATH
            + " and POST "
            + MediaTypes.GATEWAY_REQUEST_PATH);

    server = HttpListeners.server(vertx, router, NodeMetrics.Stage.GATEWAY);
    return server.listen(options.port(), options.host());
  }

  private static boolean isChunked(RoutingContext ctx) {
    return MediaTypes.essence(ctx.request().getHeader("content-type"))
        .equals(MediaTypes.OHTTP_CHUNKED_REQUEST);
  }

  /**
   * A chunked request ({@link GatewayStream}): its body goes to the credential stage, still sealed,
   * piece by piece as it arrives ({@link HttpBody}), with this response to write the answer to,
   * chunk by chunk as it comes; the slot is held until the answer ends or is cut. A body the stage
   * cannot open gets the plain problem, as on the whole-message path; a request answered before its
   * body is in (refused on its head) has the rest of its body dropped unread.
   */
  private void streamed(RoutingContext ctx) {
    ctx.request().pause();
    HttpOutlet outlet = new HttpOutlet(ctx.response(), ctx.request().connection(), vertx);
    CredentialVerticle.StreamedRequest request =
        new CredentialVerticle.StreamedRequest(
            new HttpBody(ctx.request(), outlet, vertx, options.maxBodyBytes()),
            outlet,
            outlet::countSealed);
    limiter
        .run(
            () ->
                vertx
                    .eventBus()
                    .request(
                        Addresses.CREDENTIAL_STREAM,
                        new LocalOnly<>(request),
                        LocalOnlyCodec.delivery()
                            .setSendTimeout(options.enclaveTimeoutMs() + 2_000))
                    .compose(accepted -> outlet.done()),
            () -> InFlightLimiter.overloaded("the gateway"))
        .onFailure(
            t -> {
              if (!outlet.started()) {
                HttpListeners.send(ctx, t);
              } else {
                outlet.cut();
              }
            });
  }

  /**
   * The body of a chunked request, as it arrives: each buffer goes to the credential stage at once,
   * and reading stops while the stage holds a full window of inner bytes for the enclave ({@link
   * #pause}, {@link #resume}). Once the stage wants no more (it answered on the request's head),
   * the rest is dropped unread, still counted: past the stage's stream limit the connection is
   * closed. The listener's body-read deadline ({@link HttpListeners}) cuts a body that stalls.
   */
  static final class HttpBody implements CredentialVerticle.Body {
    private final io.vertx.core.http.HttpServerRequest request;
    private final HttpOutlet outlet;
    private final Context context;
    private final long maxBodyBytes;
    private long received;
    private long dropped;

    HttpBody(
        io.vertx.core.http.HttpServerRequest request,
        HttpOutlet outlet,
        io.vertx.core.Vertx vertx,
        long maxBodyBytes) {
      this.request = request;
      this.outlet = outlet;
      this.context = vertx.getOrCreateContext();
      this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void pause() {
      context.runOnContext(v -> request.pause());
    }

    @Override
    public void resume() {
      context.runOnContext(v -> request.resume());
    }

    @Override
    public void deliverTo(CredentialVerticle.BodySink sink) {
      context.runOnContext(
          v -> {
            boolean[] over = {false};
            outlet.onGone(
                () -> {
                  if (!over[0]) {
                    over[0] = true;
                    sink.abort();
                  }
                });
            request.handler(
                buffer -> {
                  if (over[0] || !sink.wantsMore()) {
                    dropped += buffer.length();
                    if (dropped > ChunkLimits.DEFAULT.maxTotalLength()) {
                      request.connection().close();
                    }
                    return;
                  }
                  received += buffer.length();
                  if (received > maxBodyBytes) {
                    over[0] = true;
                    outlet.refuse(
                        PipelineException.of(
                            ProblemType.BODY_TOO_LARGE,
                            "the request body is larger than this listener accepts ("
                                + maxBodyBytes
                                + " bytes)"));
                    sink.abort();
                    return;
                  }
                  sink.data(buffer.getBytes());
                });
            request.exceptionHandler(
                t -> {
                  if (!over[0]) {
                    over[0] = true;
                    sink.abort();
                  }
                });
            request.endHandler(
                end -> {
                  if (!over[0]) {
                    over[0] = true;
                    sink.end();
                  }
                });
            request.resume();
          });
    }
  }

  /**
   * The HTTP response of a chunked answer: 200 {@value MediaTypes#OHTTP_CHUNKED_RESPONSE} with
   * chunked transfer encoding at the first write, each write sent at once; a write's future
   * completes when its bytes are on the socket (whose send buffer is bounded), so a client that
   * stops reading stops the chain behind it. A cut resets the connection: the client never sees an
   * end.
   */
  static final class HttpOutlet implements GatewayStream.Outlet {
    private final HttpServerResponse response;
    private final io.vertx.core.http.HttpConnection connection;
    private final Context context;
    private final Promise<Void> done = Promise.promise();
    private volatile boolean started;
    private boolean gone;
    private volatile Runnable onGone;

    HttpOutlet(
        HttpServerResponse response,
        io.vertx.core.http.HttpConnection connection,
        io.vertx.core.Vertx vertx) {
      this.response = response;
      this.connection = connection;
      this.context = vertx.getOrCreateContext();
      response.closeHandler(
          v -> {
            gone = true;
            done.tryComplete();
            Runnable r = onGone;
            if (r != null) {
              r.run();
            }
          });
    }

    /** Runs {@code r} when the client's connection closes before the answer ended. */
    void onGone(Runnable r) {
      onGone = r;
    }

    /** Counts a problem the stage sealed into this answer (the listener's metrics). */
    void countSealed(PipelineException problem) {
      context.runOnContext(
          v ->
              HttpListeners.countSealedProblem(
                  response, HttpListeners.sealedProblem(problem).getHeaders()));
    }

    @Override
    public void refuse(PipelineException plain) {
      context.runOnContext(
          v -> {
            if (!started && !response.ended() && !response.closed()) {
              HttpListeners.send(response, plain);
            } else if (!response.ended() && !response.closed()) {
              response.reset(); // an answer already under way: cut, never completed
            }
            gone = true;
            done.tryComplete();
          });
    }

    boolean started() {
      return started;
    }

    Future<Void> done() {
      return done.future();
    }

    @Override
    public Future<Void> write(byte[] bytes) {
      Promise<Void> room = Promise.promise();
      context.runOnContext(
          v -> {
            if (gone || response.ended() || response.closed()) {
              room.tryFail("the client is gone");
              return;
            }
            if (!started) {
              started = true;
              HttpListeners.boundSendBuffer(connection);
              response
                  .setChunked(true)
                  .setStatusCode(200)
                  .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_RESPONSE);
            }
            response
                .write(Buffer.buffer(bytes))
                .onComplete(
                    written -> {
                      if (written.succeeded()) {
                        room.tryComplete();
                      } else {
                        room.tryFail("the client is gone");
                      }
                    });
          });
      return room.future();
    }

    @Override
    public void end() {
      context.runOnContext(
          v -> {
            if (!gone && !response.ended() && !response.closed()) {
              response.end();
            }
            done.tryComplete();
          });
    }

    @Override
    public void cut() {
      context.runOnContext(
          v -> {
            if (!response.ended() && !response.closed()) {
              response.reset();
            }
            gone = true;
            done.tryComplete();
          });
    }
  }

  /** Requests under way now (for tests and metrics). */
  public int inFlight() {
    return limiter.inFlight();
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
