package org.privateprocessing.pipeline;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.privateprocessing.ohttp.MediaTypes;

/**
 * The Oblivious Relay Resource (RFC 9458 section 5): forwards encapsulated requests body-verbatim
 * to the gateway and the answers back. It copies no client header (no Forwarded, no
 * X-Forwarded-For), logs no body, and can read nothing it carries: it has no keys.
 *
 * <p>With several gateways ({@link RelayOptions#gatewayUrls()}) it starts each request at the
 * next one in turn and, when a gateway refuses the connection or the connect times out, tries the
 * following one. It never retries once a connection was made: the request may have been
 * delivered, and a second delivery would spend work (and a token) twice. All down: 502.
 */
public final class RelayVerticle extends VerticleBase {
  private final RelayOptions options;
  private HttpServer server;
  private WebClient client;
  private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

  public RelayVerticle(RelayOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    client = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) options.connectTimeoutMs())
        .setUserAgentEnabled(false)
        .setFollowRedirects(false));
    Router router = Router.router(vertx);
    router.get("/.well-known/ohttp-gateway").handler(this::forwardKeys);
    // Two routes: Vert.x wants the body handler first on a route, and the type check must come
    // before the body is read, so a wrong request is refused without buffering it.
    router.post("/").handler(ctx -> HttpListeners.requireMediaType(ctx, MediaTypes.OHTTP_REQUEST));
    router.post("/")
        .handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(this::forwardRequest);
    HttpListeners.guard(router, "POST / (message/ohttp-req) and GET /.well-known/ohttp-gateway");
    server = vertx.createHttpServer();
    return server.requestHandler(router).listen(options.port(), options.host());
  }

  private void forwardRequest(RoutingContext ctx) {
    Buffer body = HttpListeners.body(ctx);
    tryGateways(url -> client.postAbs(url + "/ohttp")
        .timeout(options.timeoutMs())
        .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
        .sendBuffer(body))
        .onSuccess(answer -> relayBack(ctx, answer, MediaTypes.OHTTP_RESPONSE))
        .onFailure(t -> HttpListeners.send(ctx.response(), unreachable(t)));
  }

  private void forwardKeys(RoutingContext ctx) {
    tryGateways(url -> client.getAbs(url + "/.well-known/ohttp-gateway")
        .timeout(options.timeoutMs())
        .send())
        .onSuccess(answer -> relayBack(ctx, answer, MediaTypes.OHTTP_KEYS))
        .onFailure(t -> HttpListeners.send(ctx.response(), unreachable(t)));
  }

  /** Sends to one gateway after another, starting at the next in turn, until one takes the connection. */
  private Future<HttpResponse<Buffer>> tryGateways(java.util.function.Function<String, Future<HttpResponse<Buffer>>> send) {
    java.util.List<String> urls = options.gatewayUrls();
    int first = Math.floorMod(next.getAndIncrement(), urls.size());
    return attempt(send, urls, first, 0);
  }

  private static Future<HttpResponse<Buffer>> attempt(java.util.function.Function<String, Future<HttpResponse<Buffer>>> send,
      java.util.List<String> urls, int first, int tried) {
    String url = urls.get((first + tried) % urls.size());
    return send.apply(url).recover(t -> {
      // Only a refused or timed-out connect proves the request never left (Netty's connect
      // timeout is a ConnectException too); anything later might have been delivered.
      if (t instanceof ConnectException && tried + 1 < urls.size()) {
        return attempt(send, urls, first, tried + 1);
      }
      return Future.failedFuture(t);
    });
  }

  /**
   * Passes a successful answer on with only its content type; a gateway's plain problem (an outer
   * layer it could not open) passes on as it is, since it holds no content either.
   */
  private static void relayBack(RoutingContext ctx, HttpResponse<Buffer> answer, String expectedType) {
    Buffer body = answer.body() == null ? Buffer.buffer() : answer.body();
    String type = MediaTypes.essence(answer.getHeader("content-type"));
    boolean ok = answer.statusCode() == 200 && type.equals(expectedType);
    boolean problem = answer.statusCode() >= 400 && type.equals(org.privateprocessing.api.Problem.MEDIA_TYPE);
    if (!ok && !problem) {
      HttpListeners.send(ctx.response(), new PipelineException(502, "bad-gateway-answer", "Bad gateway",
          "the gateway answered HTTP " + answer.statusCode() + " with an unexpected content type"));
      return;
    }
    ctx.response().setStatusCode(answer.statusCode()).putHeader("content-type", type);
    String retryAfter = answer.getHeader("retry-after");
    if (retryAfter != null && retryAfter.matches("\\d{1,6}")) {
      ctx.response().putHeader("retry-after", retryAfter);
    }
    ctx.response().end(body);
  }

  private static PipelineException unreachable(Throwable t) {
    if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
      return new PipelineException(HttpResponseStatus.GATEWAY_TIMEOUT.code(), "gateway-timeout",
          "Gateway timeout", "the gateway did not answer in time; try again", 2);
    }
    String why = t instanceof ConnectException ? "the gateway is not reachable" : "the gateway connection failed";
    return new PipelineException(502, "gateway-unreachable", "Bad gateway", why + "; try again later", 5);
  }

  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (client != null) {
      client.close();
    }
    return Future.succeededFuture();
  }
}
