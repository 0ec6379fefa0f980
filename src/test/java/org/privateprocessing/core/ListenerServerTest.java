package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;

/**
 * A listener built by {@link HttpListeners#server} with short limits: what it adds to a guarded
 * router, seen from a raw socket.
 */
class ListenerServerTest {
  private static final int IDLE_MS = 800;
  private Vertx vertx;
  private int port;

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    HttpListeners.configure(
        vertx,
        new ListenerLimits(
            Duration.ofMillis(500),
            Duration.ofMillis(500),
            Duration.ofMillis(IDLE_MS),
            256,
            1_024));
    Router router = Router.router(vertx);
    router.get("/hang").handler(ctx -> {}); // never answers
    router
        .get("/boom")
        .handler(
            ctx -> {
              throw new IllegalArgumentException("a handler's own bug");
            });
    router
        .post("/echo")
        .handler(BodyHandler.create(false).setBodyLimit(64))
        .handler(ctx -> ctx.response().end(HttpListeners.body(ctx)));
    HttpListeners.guard(router, "GET /hang, GET /boom, POST /echo");
    port = await(HttpListeners.server(vertx, router).listen(0, "127.0.0.1")).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  /** Sends {@code request}; returns everything read until the server closes or 3 s pass. */
  private String exchange(String request, long[] closedAfterMs) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(3_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      long start = System.nanoTime();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      try {
        int b;
        while ((b = in.read()) != -1) {
          got.write(b);
        }
        closedAfterMs[0] = (System.nanoTime() - start) / 1_000_000;
      } catch (SocketTimeoutException open) {
        closedAfterMs[0] = -1;
      } catch (SocketException reset) {
        closedAfterMs[0] = (System.nanoTime() - start) / 1_000_000;
      }
      return got.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static Problem problemOf(String response) throws Exception {
    String body = response.substring(response.indexOf("\r\n\r\n") + 4);
    return Problem.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("a request whose answer never comes: the idle timeout closes the connection")
  void idleTimeoutWhileAnswering() throws Exception {
    long[] closed = new long[1];
    String got = exchange("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n", closed);
    assertThat(got).isEmpty();
    assertThat(closed[0]).isBetween((long) IDLE_MS / 2, IDLE_MS + 1_500L);
  }

  @Test
  @DisplayName("a handler's own exception stays a 500 internal problem; a broken chunk is a 400")
  void handlerBugIsNotTheClients() throws Exception {
    long[] closed = new long[1];
    String boom = exchange("GET /boom HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", closed);
    assertThat(boom).startsWith("HTTP/1.1 500 ");
    assertThat(problemOf(boom).type()).isEqualTo(ProblemType.INTERNAL.uri());
    String chunk =
        exchange(
            "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n",
            closed);
    assertThat(chunk).startsWith("HTTP/1.1 400 ");
    assertThat(problemOf(chunk).type()).isEqualTo(ProblemType.HTTP_REQUEST_REFUSED.uri());
    assertThat(closed[0]).as("closed after the refusal").isBetween(0L, 400L);
  }

  @Test
  @DisplayName("the configured sizes: a 300-byte request line is a 414, 2 KB of headers a 431")
  void configuredSizes() throws Exception {
    long[] closed = new long[1];
    String line = exchange("GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: x\r\n\r\n", closed);
    assertThat(line).matches("(?s)HTTP/1\\.[01] 414 .*").contains(Problem.MEDIA_TYPE);
    assertThat(problemOf(line).type()).isEqualTo(ProblemType.URI_TOO_LONG.uri());
    String headers =
        exchange("GET / HTTP/1.1\r\nHost: x\r\nX-A: " + "a".repeat(2_000) + "\r\n\r\n", closed);
    assertThat(headers).matches("(?s)HTTP/1\\.[01] 431 .*").contains(Problem.MEDIA_TYPE);
    assertThat(problemOf(headers).type()).isEqualTo(ProblemType.HEADERS_TOO_LARGE.uri());
  }
}
