package org.privateprocessing.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;
import org.privateprocessing.node.PrivatePathTest;
import org.privateprocessing.ohttp.MediaTypes;

/**
 * The relay's streamed upload ({@code message/ohttp-chunked-req}) against stand-in gateways on
 * loopback: piped as it arrives, paused by a gateway that does not read, counted against {@code
 * maxBodyBytes}, cut by the read deadline, failed over only before anything was sent.
 */
class RelayStreamTest {
  private Vertx vertx;
  private HttpClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
  }

  private int relay(List<String> gateways, int maxBodyBytes, long timeoutMs) throws Exception {
    RelayVerticle relay =
        new RelayVerticle(
            RelayOptions.fromJson(
                new JsonObject()
                    .put("port", 0)
                    .put("gatewayUrls", new JsonArray(gateways))
                    .put("maxBodyBytes", maxBodyBytes)
                    .put("timeout", timeoutMs + "ms")
                    .put("connectTimeout", "1s")));
    PrivatePathTest.await(vertx.deployVerticle(relay));
    return relay.actualPort();
  }

  private String gateway(Handler<HttpServerRequest> behaviour) throws Exception {
    HttpServer server =
        PrivatePathTest.await(
            vertx.createHttpServer().requestHandler(behaviour).listen(0, "127.0.0.1"));
    return "http://127.0.0.1:" + server.actualPort();
  }

  private static String down() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  /** A chunked upload to the relay, written piece by piece by the test. */
  private HttpClientRequest open(int port) throws Exception {
    HttpClientRequest request =
        PrivatePathTest.await(
            client.request(
                new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI("/")
                    .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST)));
    request.setChunked(true);
    // The relay may close the connection under a request still being written (413, a deadline).
    request.exceptionHandler(t -> {});
    return request;
  }

  private static Buffer bytes(int n, int fill) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) fill);
    return Buffer.buffer(b);
  }

  /** The relay's answer, whole. */
  private static CompletableFuture<Answer> answer(HttpClientRequest request) {
    CompletableFuture<Answer> out = new CompletableFuture<>();
    request
        .response()
        .compose(
            (HttpClientResponse r) ->
                r.body().map(b -> new Answer(r.statusCode(), r.getHeader("content-type"), b)))
        .onComplete(
            a -> {
              if (a.succeeded()) {
                out.complete(a.result());
              } else {
                out.completeExceptionally(a.cause());
              }
            });
    return out;
  }

  private record Answer(int status, String contentType, Buffer body) {}

  /** A gateway that echoes what it read, as a chunked answer, once the request ended. */
  private static Handler<HttpServerRequest> echo(List<Long> arrivals) {
    return request -> {
      Buffer all = Buffer.buffer();
      request.handler(
          b -> {
            arrivals.add(System.nanoTime());
            all.appendBuffer(b);
          });
      request.endHandler(
          v ->
              request
                  .response()
                  .setChunked(true)
                  .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_RESPONSE)
                  .end(all));
    };
  }

  @Test
  @DisplayName(
      "a chunked upload reaches the gateway piece by piece while the client is still sending, and the answer comes back")
  void pipedAsItArrives() throws Exception {
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    int port = relay(List.of(gateway(echo(arrivals))), 64 * 1024, 2_000);
    HttpClientRequest request = open(port);
    CompletableFuture<Answer> answer = answer(request);
    request.write(bytes(1000, 1));
    waitFor(() -> !arrivals.isEmpty());
    // The gateway has the first piece before the second is even written.
    request.write(bytes(1000, 2));
    waitFor(() -> arrivals.size() >= 2);
    request.end(bytes(500, 3));
    Answer a = answer.get(5, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).isEqualTo(MediaTypes.OHTTP_CHUNKED_RESPONSE);
    assertThat(a.body().length()).isEqualTo(2500);
    assertThat(a.body().getByte(0)).isEqualTo((byte) 1);
    assertThat(a.body().getByte(1000)).isEqualTo((byte) 2);
    assertThat(a.body().getByte(2499)).isEqualTo((byte) 3);
  }

  @Test
  @DisplayName(
      "a gateway that does not read pauses the client's upload: the relay does not buffer it, and it flows once the gateway reads")
  void slowGatewayPausesTheClient() throws Exception {
    AtomicReference<HttpServerRequest> gatewayRequest = new AtomicReference<>();
    AtomicLong received = new AtomicLong();
    int port =
        relay(
            List.of(
                gateway(
                    request -> {
                      request.pause();
                      gatewayRequest.set(request);
                      request.handler(b -> received.addAndGet(b.length()));
                      request.endHandler(
                          v ->
                              request
                                  .response()
                                  .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_RESPONSE)
                                  .end("ok"));
                    })),
            64 << 20,
            10_000);
    HttpClientRequest request = open(port);
    CompletableFuture<Answer> answer = answer(request);
    // Write until the client's own queue is full: the relay stopped reading because the gateway
    // did not.
    AtomicLong written = new AtomicLong();
    // Three times: write until the client's own queue is full, then wait. Were the relay reading
    // on regardless (buffering for the gateway), the queue would not fill and the total would run
    // to the 32 MiB cap.
    for (int round = 0; round < 3; round++) {
      CompletableFuture<Void> full = new CompletableFuture<>();
      vertx.runOnContext(
          v -> {
            for (int i = 0; i < 2048 && !request.writeQueueFull(); i++) {
              request.write(bytes(16 * 1024, i));
              written.addAndGet(16 * 1024);
            }
            full.complete(null);
          });
      full.get(5, TimeUnit.SECONDS);
      waitFor(() -> gatewayRequest.get() != null);
      Thread.sleep(200);
    }
    assertThat(written.get()).isLessThan(32L << 20);
    assertThat(received.get()).isZero();
    gatewayRequest.get().resume();
    request.end();
    Answer a = answer.get(10, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(200);
    assertThat(received.get()).isEqualTo(written.get());
    System.out.println(
        "relay stream: client wrote "
            + written.get()
            + " bytes before its queue filled while the gateway read none");
  }

  @Test
  @DisplayName(
      "an upload over maxBodyBytes gets a 413 problem and the gateway's request is reset, counted as the bytes pass")
  void overTheLimitIs413() throws Exception {
    AtomicBoolean reset = new AtomicBoolean();
    AtomicLong received = new AtomicLong();
    int port =
        relay(
            List.of(
                gateway(
                    request -> {
                      request.handler(b -> received.addAndGet(b.length()));
                      request.exceptionHandler(t -> reset.set(true));
                      request.connection().closeHandler(v -> reset.set(true));
                    })),
            4096,
            2_000);
    HttpClientRequest request = open(port);
    CompletableFuture<Answer> answer = answer(request);
    request.write(bytes(3000, 1));
    waitFor(() -> received.get() == 3000);
    request.write(bytes(3000, 2));
    Answer a = answer.get(5, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(413);
    assertThat(a.contentType()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(Problem.parse(a.body().getBytes()).type()).endsWith("body-too-large");
    waitFor(reset::get);
    assertThat(received.get()).isLessThanOrEqualTo(4096);
  }

  @Test
  @DisplayName("a Content-Length over maxBodyBytes is refused before any gateway is contacted")
  void declaredLengthOverTheLimit() throws Exception {
    AtomicInteger reached = new AtomicInteger();
    int port = relay(List.of(gateway(r -> reached.incrementAndGet())), 4096, 2_000);
    Answer a =
        PrivatePathTest.await(
            client
                .request(
                    new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setURI("/")
                        .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST))
                .compose(
                    q ->
                        q.send(bytes(5000, 0))
                            .compose(r -> r.body().map(b -> new Answer(r.statusCode(), null, b)))));
    assertThat(a.status()).isEqualTo(413);
    assertThat(reached).hasValue(0);
  }

  @Test
  @DisplayName(
      "an upload over the limit after the answer began cuts the answer: the client never sees an end")
  void overTheLimitAfterTheAnswerBeganIsCut() throws Exception {
    int port =
        relay(
            List.of(
                gateway(
                    request -> {
                      request.handler(b -> {});
                      request
                          .response()
                          .setChunked(true)
                          .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_RESPONSE)
                          .write("begun");
                    })),
            4096,
            5_000);
    HttpClientRequest request = open(port);
    CompletableFuture<Answer> answer = answer(request);
    request.write(bytes(3000, 1));
    Thread.sleep(200);
    request.write(bytes(3000, 2));
    assertThat(answer).failsWithin(5, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName(
      "a client that stalls mid-upload is cut by the read deadline, and the gateway's request is reset")
  void stalledUploadIsCut() throws Exception {
    AtomicBoolean gatewayReset = new AtomicBoolean();
    AtomicBoolean ended = new AtomicBoolean();
    int port =
        relay(
            List.of(
                gateway(
                    request -> {
                      request.handler(b -> {});
                      request.endHandler(v -> ended.set(true));
                      request.exceptionHandler(t -> gatewayReset.set(true));
                      request.connection().closeHandler(v -> gatewayReset.set(true));
                    })),
            64 * 1024,
            400);
    HttpClientRequest request = open(port);
    CompletableFuture<Answer> answer = answer(request);
    AtomicBoolean clientCut = new AtomicBoolean();
    request.connection().closeHandler(v -> clientCut.set(true));
    request.write(bytes(100, 1));
    // ...and nothing more.
    assertThat(answer).failsWithin(5, TimeUnit.SECONDS);
    waitFor(clientCut::get);
    waitFor(gatewayReset::get);
    assertThat(ended).isFalse();
  }

  @Test
  @DisplayName("a gateway that reads nothing for the read deadline gets the client a 504")
  void gatewayThatDoesNotReadTimesOut() throws Exception {
    int port = relay(List.of(gateway(HttpServerRequest::pause)), 64 << 20, 500);
    HttpClientRequest request = open(port);
    CompletableFuture<Answer> answer = answer(request);
    // A client that keeps sending whenever it can: only the gateway stalls.
    AtomicLong written = new AtomicLong();
    Runnable[] fill = new Runnable[1];
    fill[0] =
        () -> {
          while (!request.writeQueueFull() && written.get() < (48L << 20) && !answer.isDone()) {
            request.write(bytes(16 * 1024, 5));
            written.addAndGet(16 * 1024);
          }
        };
    request.drainHandler(v -> fill[0].run());
    vertx.runOnContext(v -> fill[0].run());
    Answer a = answer.get(10, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(504);
    assertThat(Problem.parse(a.body().getBytes()).type()).endsWith("gateway-timeout");
  }

  @Test
  @DisplayName(
      "a gateway that answers before the upload ended (an early refusal) is passed on at once")
  void earlyAnswerPassesBeforeTheUploadEnds() throws Exception {
    int port =
        relay(
            List.of(
                gateway(
                    request ->
                        request
                            .response()
                            .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_RESPONSE)
                            .end("refused"))),
            64 * 1024,
            2_000);
    HttpClientRequest request = open(port);
    CompletableFuture<Answer> answer = answer(request);
    request.write(bytes(100, 1));
    Answer a = answer.get(5, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().toString()).isEqualTo("refused");
    request.end(bytes(100, 2)).otherwiseEmpty();
  }

  @Test
  @DisplayName("failover: a gateway that refuses the connection is skipped before anything is sent")
  void refusedConnectFailsOver() throws Exception {
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    int port = relay(List.of(down(), gateway(echo(arrivals))), 64 * 1024, 2_000);
    for (int i = 0; i < 2; i++) { // round robin: once the first is tried first, once the second
      HttpClientRequest request = open(port);
      CompletableFuture<Answer> answer = answer(request);
      request.end(bytes(10, 7));
      Answer a = answer.get(5, TimeUnit.SECONDS);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body().length()).isEqualTo(10);
    }
  }

  @Test
  @DisplayName(
      "an unopened plain 400 after the body went is passed to the client, not retried elsewhere (the body is not kept)")
  void unopenedIsNotRetried() throws Exception {
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    Handler<HttpServerRequest> unopened =
        request ->
            request
                .body()
                .onSuccess(
                    b ->
                        request
                            .response()
                            .setStatusCode(400)
                            .putHeader("content-type", Problem.MEDIA_TYPE)
                            .end(
                                "{\"type\":\"https://private-processing.example/problems/ohttp-unknown-key-id\",\"status\":400}"));
    int port =
        relay(
            List.of(
                gateway(
                    r -> {
                      count(r, first);
                      unopened.handle(r);
                    }),
                gateway(
                    r -> {
                      count(r, second);
                      unopened.handle(r);
                    })),
            64 * 1024,
            2_000);
    HttpClientRequest request = open(port);
    CompletableFuture<Answer> answer = answer(request);
    request.end(bytes(10, 7));
    Answer a = answer.get(5, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.contentType()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(first.get() + second.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("with every gateway down the client gets a 502 problem")
  void allDown() throws Exception {
    int port = relay(List.of(down()), 64 * 1024, 2_000);
    HttpClientRequest request = open(port);
    CompletableFuture<Answer> answer = answer(request);
    request.write(bytes(10, 7));
    Answer a = answer.get(5, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(502);
    assertThat(Problem.parse(a.body().getBytes()).type()).endsWith("gateway-unreachable");
  }

  /** Counts POSTs only: the relay also reads every gateway's key list. */
  private static void count(HttpServerRequest request, AtomicInteger posts) {
    if (request.method() == HttpMethod.POST) {
      posts.incrementAndGet();
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(10);
    }
  }
}
