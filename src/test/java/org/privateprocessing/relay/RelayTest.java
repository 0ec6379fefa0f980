package org.privateprocessing.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;
import org.privateprocessing.node.PrivatePathTest;
import org.privateprocessing.ohttp.MediaTypes;

/**
 * The relay alone, against a gateway that is down, slow, or a stand-in that records what it got.
 */
class RelayTest {
  private Vertx vertx;
  private WebClient http;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
  }

  private int deployRelay(String gatewayUrl, long timeoutMs) throws Exception {
    RelayVerticle relay =
        new RelayVerticle(
            RelayOptions.fromJson(
                new JsonObject()
                    .put("port", 0)
                    .put("gatewayUrl", gatewayUrl)
                    .put("timeoutMs", timeoutMs)
                    .put("connectTimeoutMs", 1000)));
    PrivatePathTest.await(vertx.deployVerticle(relay));
    return relay.actualPort();
  }

  private HttpResponse<Buffer> post(int port, Buffer body) throws Exception {
    return PrivatePathTest.await(
        http.post(port, "127.0.0.1", "/")
            .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
            .putHeader("x-forwarded-for", "203.0.113.7")
            .putHeader("cookie", "id=alice")
            .sendBuffer(body));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  @DisplayName("a relay whose gateway is down answers 502 with a problem, quickly")
  void gatewayDownIs502() throws Exception {
    int port = deployRelay("http://127.0.0.1:" + freePort(), 2_000);
    HttpResponse<Buffer> response = post(port, Buffer.buffer(new byte[] {1, 2, 3}));
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(Problem.parse(response.body().getBytes()).detail()).contains("not reachable");
  }

  @Test
  @DisplayName("a gateway that never answers gets a 504 after the relay's timeout, not a hang")
  void silentGatewayTimesOut() throws Exception {
    HttpServer silent =
        PrivatePathTest.await(
            vertx
                .createHttpServer()
                .requestHandler(
                    request -> {
                      /* never answers */
                    })
                .listen(0, "127.0.0.1"));
    int port = deployRelay("http://127.0.0.1:" + silent.actualPort(), 500);
    HttpResponse<Buffer> response = post(port, Buffer.buffer(new byte[] {1}));
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.getHeader("retry-after")).isNotNull();
  }

  @Test
  @DisplayName("the relay forwards the body verbatim and none of the client's headers")
  void forwardsBodyVerbatimWithoutClientHeaders() throws Exception {
    AtomicReference<io.vertx.core.MultiMap> seenHeaders = new AtomicReference<>();
    AtomicReference<Buffer> seenBody = new AtomicReference<>();
    HttpServer gateway =
        PrivatePathTest.await(
            vertx
                .createHttpServer()
                .requestHandler(
                    request -> {
                      seenHeaders.set(request.headers());
                      request
                          .body()
                          .onSuccess(
                              body -> {
                                seenBody.set(body);
                                request
                                    .response()
                                    .putHeader("content-type", MediaTypes.OHTTP_RESPONSE)
                                    .putHeader("set-cookie", "tracking=1")
                                    .end(Buffer.buffer(new byte[] {9, 8}));
                              });
                    })
                .listen(0, "127.0.0.1"));
    int port = deployRelay("http://127.0.0.1:" + gateway.actualPort(), 2_000);
    HttpResponse<Buffer> response = post(port, Buffer.buffer(new byte[] {4, 5, 6}));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body().getBytes()).containsExactly(9, 8);
    assertThat(response.getHeader("set-cookie")).isNull();
    assertThat(seenBody.get().getBytes()).containsExactly(4, 5, 6);
    assertThat(seenHeaders.get().names())
        .noneMatch(
            n ->
                n.equalsIgnoreCase("x-forwarded-for")
                    || n.equalsIgnoreCase("forwarded")
                    || n.equalsIgnoreCase("cookie")
                    || n.equalsIgnoreCase("user-agent"));
  }

  @Test
  @DisplayName("a gateway answering with an unexpected type gets a 502 rather than passing it on")
  void unexpectedGatewayAnswerIs502() throws Exception {
    HttpServer odd =
        PrivatePathTest.await(
            vertx
                .createHttpServer()
                .requestHandler(
                    request ->
                        request.response().putHeader("content-type", "text/html").end("<html>"))
                .listen(0, "127.0.0.1"));
    int port = deployRelay("http://127.0.0.1:" + odd.actualPort(), 2_000);
    assertThat(post(port, Buffer.buffer(new byte[] {1})).statusCode()).isEqualTo(502);
  }

  @Test
  @DisplayName(
      "a gateway's problem passes with its status, type and numeric Retry-After, and no other header")
  void gatewayProblemPassesWithRetryAfterOnly() throws Exception {
    HttpServer busy =
        PrivatePathTest.await(
            vertx
                .createHttpServer()
                .requestHandler(
                    request ->
                        request
                            .response()
                            .setStatusCode(503)
                            .putHeader("content-type", Problem.MEDIA_TYPE + "; charset=utf-8")
                            .putHeader("retry-after", "7")
                            .putHeader("x-gateway-node", "gw-3")
                            .end("{}"))
                .listen(0, "127.0.0.1"));
    int port = deployRelay("http://127.0.0.1:" + busy.actualPort(), 2_000);
    HttpResponse<Buffer> response = post(port, Buffer.buffer(new byte[] {1}));
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(response.getHeader("retry-after")).isEqualTo("7");
    assertThat(response.getHeader("x-gateway-node")).isNull();
    assertThat(response.bodyAsString()).isEqualTo("{}");
  }

  @Test
  @DisplayName("a request body over maxBodyBytes gets a 413 problem and never reaches the gateway")
  void oversizeRequestIs413() throws Exception {
    AtomicInteger reached = new AtomicInteger();
    HttpServer gateway =
        PrivatePathTest.await(
            vertx
                .createHttpServer()
                .requestHandler(
                    request -> {
                      reached.incrementAndGet();
                      request.response().putHeader("content-type", MediaTypes.OHTTP_RESPONSE).end();
                    })
                .listen(0, "127.0.0.1"));
    RelayVerticle relay =
        new RelayVerticle(
            RelayOptions.fromJson(
                new JsonObject()
                    .put("port", 0)
                    .put("gatewayUrl", "http://127.0.0.1:" + gateway.actualPort())
                    .put("maxBodyBytes", 16)));
    PrivatePathTest.await(vertx.deployVerticle(relay));
    HttpResponse<Buffer> response = post(relay.actualPort(), Buffer.buffer(new byte[17]));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(Problem.parse(response.body().getBytes()).type()).endsWith("body-too-large");
    assertThat(post(relay.actualPort(), Buffer.buffer(new byte[16])).statusCode()).isEqualTo(200);
    assertThat(reached).hasValue(1);
  }

  @Test
  @DisplayName("unknown paths on the relay get a 404 problem, never an HTML page")
  void unknownPathIs404Problem() throws Exception {
    int port = deployRelay("http://127.0.0.1:" + freePort(), 1_000);
    HttpResponse<Buffer> response =
        PrivatePathTest.await(http.get(port, "127.0.0.1", "/admin").send());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
  }
}
