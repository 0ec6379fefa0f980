package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;

/** A guarded listener answers every bad request with a catalogued problem, never HTML. */
class HttpListenersTest {
  private Vertx vertx;
  private WebClient http;
  private int port;

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
    Router router = Router.router(vertx);
    router.post("/echo").handler(ctx -> HttpListeners.requireMediaType(ctx, "text/plain"));
    router
        .post("/echo")
        .handler(BodyHandler.create(false).setBodyLimit(16))
        .handler(ctx -> ctx.response().end(HttpListeners.body(ctx)));
    router
        .get("/boom")
        .handler(
            ctx -> {
              throw new IllegalStateException("secret user text");
            });
    router.get("/refuse").handler(ctx -> ctx.fail(400));
    HttpListeners.guard(router, "POST /echo");
    HttpServer server =
        await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    port = server.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, String type, String body)
      throws Exception {
    var request = http.request(method, port, "127.0.0.1", path);
    if (type != null) {
      request.putHeader("content-type", type);
    }
    return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }

  private static Problem assertProblem(HttpResponse<Buffer> response, ProblemType type)
      throws Exception {
    assertThat(response.statusCode()).isEqualTo(type.status());
    assertThat(response.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
    Problem problem = Problem.parse(response.body().getBytes());
    assertThat(problem.type()).isEqualTo(type.uri());
    assertThat(problem.status()).isEqualTo(type.status());
    assertThat(problem.title()).isEqualTo(type.title());
    return problem;
  }

  @Test
  @DisplayName(
      "a good request passes; an unknown path, a wrong method and a wrong type are problems")
  void routingRefusals() throws Exception {
    assertThat(send(HttpMethod.POST, "/echo", "text/plain", "hi").bodyAsString()).isEqualTo("hi");
    assertProblem(send(HttpMethod.GET, "/nowhere", null, null), ProblemType.NO_SUCH_ENDPOINT);
    assertProblem(
        send(HttpMethod.POST, "/echo", "application/json", "{}"),
        ProblemType.UNSUPPORTED_MEDIA_TYPE);
  }

  @Test
  @DisplayName("a body over the limit is a 413 problem")
  void bodyTooLarge() throws Exception {
    assertProblem(
        send(HttpMethod.POST, "/echo", "text/plain", "x".repeat(64)), ProblemType.BODY_TOO_LARGE);
  }

  @Test
  @DisplayName("a handler's exception is a 500 problem that quotes nothing of it")
  void handlerException() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/boom", null, null);
    assertProblem(response, ProblemType.INTERNAL);
    assertThat(response.body().toString(StandardCharsets.UTF_8)).doesNotContain("secret");
  }

  @Test
  @DisplayName("a bare refusal by status is the catalogue's problem for it")
  void bareStatus() throws Exception {
    assertProblem(send(HttpMethod.GET, "/refuse", null, null), ProblemType.HTTP_REQUEST_REFUSED);
  }

  @Test
  @DisplayName(
      "a path Vert.x Web cannot decode while matching routes is a 400 problem, with no stack trace"
          + " in the log (the guard's uncaught-error handler)")
  void undecodablePath() throws Exception {
    java.util.List<java.util.logging.LogRecord> logged =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            logged.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger.getLogger("").addHandler(capture);
    try {
      Problem problem =
          assertProblem(send(HttpMethod.GET, "/%zz", null, null), ProblemType.HTTP_REQUEST_REFUSED);
      assertThat(problem.detail()).contains("target");
    } finally {
      java.util.logging.Logger.getLogger("").removeHandler(capture);
    }
    assertThat(logged).allSatisfy(r -> assertThat(r.getThrown()).isNull());
  }
}
