package org.privateprocessing.relay;

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
import org.privateprocessing.core.HttpListeners;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.ohttp.MediaTypes;

/**
 * The Oblivious Relay Resource (RFC 9458 section 5): forwards encapsulated requests body-verbatim
 * to the gateway and the answers back. It copies no client header (no Forwarded, no
 * X-Forwarded-For), logs no body, and can read nothing it carries: it has no keys.
 *
 * <p>With several gateways ({@link RelayOptions#gatewayUrls()}) it sends to one and fails over to
 * the next when that one refuses the connection or could not open the request; see {@link
 * GatewayFailover} for why not round robin and when a retry is safe. All down: 502.
 */
public final class RelayVerticle extends VerticleBase {
  private final RelayOptions options;
  private HttpServer server;
  private WebClient client;
  private final GatewayFailover gateways;

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
    Router router = Router.router(vertx);
    router.get(MediaTypes.WELL_KNOWN_GATEWAY_PATH).handler(this::forwardKeys);
    // Two routes: Vert.x wants the body handler first on a route, and the type check must come
    // before the body is read, so a wrong request is refused without buffering it.
    router
        .post(MediaTypes.RELAY_REQUEST_PATH)
        .handler(ctx -> HttpListeners.requireMediaType(ctx, MediaTypes.OHTTP_REQUEST));
    router
        .post(MediaTypes.RELAY_REQUEST_PATH)
        .handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(this::forwardRequest);
    HttpListeners.guard(router, "POST / (message/ohttp-req) and GET /.well-known/ohttp-gateway");
    server = vertx.createHttpServer();
    return server.requestHandler(router).listen(options.port(), options.host());
  }

  private void forwardRequest(RoutingContext ctx) {
    Buffer body = HttpListeners.body(ctx);
    gateways
        .send(
            url ->
                client
                    .postAbs(url + MediaTypes.GATEWAY_REQUEST_PATH)
                    .timeout(options.timeoutMs())
                    .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
                    .sendBuffer(body),
            RelayVerticle::unopened)
        .onSuccess(answer -> relayBack(ctx, answer, MediaTypes.OHTTP_RESPONSE))
        .onFailure(t -> HttpListeners.send(ctx.response(), unreachable(t)));
  }

  private void forwardKeys(RoutingContext ctx) {
    gateways
        .send(
            url ->
                client
                    .getAbs(url + MediaTypes.WELL_KNOWN_GATEWAY_PATH)
                    .timeout(options.timeoutMs())
                    .send(),
            answer -> false)
        .onSuccess(answer -> relayBack(ctx, answer, MediaTypes.OHTTP_KEYS))
        .onFailure(t -> HttpListeners.send(ctx.response(), unreachable(t)));
  }

  /**
   * A plain 400 problem: the gateway could not open the outer layer (its encapsulated errors are
   * 200s).
   */
  private static boolean unopened(HttpResponse<Buffer> answer) {
    return answer.statusCode() == 400
        && MediaTypes.essence(answer.getHeader("content-type"))
            .equals(org.privateprocessing.api.Problem.MEDIA_TYPE);
  }

  /**
   * Passes a successful answer on with only its content type; a gateway's plain problem (an outer
   * layer it could not open) passes on as it is, since it holds no content either.
   */
  private static void relayBack(
      RoutingContext ctx, HttpResponse<Buffer> answer, String expectedType) {
    Buffer body = answer.body() == null ? Buffer.buffer() : answer.body();
    String type = MediaTypes.essence(answer.getHeader("content-type"));
    boolean ok = answer.statusCode() == 200 && type.equals(expectedType);
    boolean problem =
        answer.statusCode() >= 400 && type.equals(org.privateprocessing.api.Problem.MEDIA_TYPE);
    if (!ok && !problem) {
      HttpListeners.send(
          ctx.response(),
          new PipelineException(
              502,
              "bad-gateway-answer",
              "Bad gateway",
              "the gateway answered HTTP "
                  + answer.statusCode()
                  + " with an unexpected content type"));
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
      return new PipelineException(
          HttpResponseStatus.GATEWAY_TIMEOUT.code(),
          "gateway-timeout",
          "Gateway timeout",
          "the gateway did not answer in time; try again",
          2);
    }
    String why =
        t instanceof ConnectException
            ? "the gateway is not reachable"
            : "the gateway connection failed";
    return new PipelineException(
        502, "gateway-unreachable", "Bad gateway", why + "; try again later", 5);
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
