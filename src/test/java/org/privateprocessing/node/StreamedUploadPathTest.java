package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.ApiPaths;
import org.privateprocessing.api.Problem;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.EnclaveDescriptor;
import org.privateprocessing.client.GatewayListing;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.enclave.EnclaveApiTest;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.ChunkedRequestEncapsulator;
import org.privateprocessing.ohttp.ChunkedResponseOpener;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponseParser;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.ohttp.bhttp.IndeterminateRequestWriter;
import org.privateprocessing.token.PrivateTokenAuthorization;

/**
 * The request side of chunked Oblivious HTTP through the running pipeline on loopback: a raw client
 * writes the sealed request to the relay in pieces, with pauses, as a slow uplink would; the relay
 * pipes it, the gateway opens it as it comes and checks the token on its head.
 */
class StreamedUploadPathTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static Vertx vertx;
  private static Node.Running node;
  private static PrivateProcessingClient client;
  private static HttpClient raw;
  private static KeyConfig gatewayKey;

  /** Every log record with a stack trace, from any logger, while these tests run. */
  private static final List<LogRecord> TRACES = new CopyOnWriteArrayList<>();

  private static final Handler CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getThrown() != null) {
            TRACES.add(r);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void start() throws Exception {
    Logger.getLogger("").addHandler(CAPTURE);
    JsonObject conf =
        new JsonObject()
            .put("profile", "demo")
            .put("dataDir", Files.createTempDirectory("pp-upload").toString())
            .put("attestation", new JsonObject().put("tlsPort", -1))
            .put("relay", new JsonObject().put("port", 0).put("timeout", "1s"))
            .put("log", new JsonObject().put("port", 0))
            .put("gateway", new JsonObject().put("port", 0))
            .put("enclave", new JsonObject().put("id", "0b10ad0000000001"))
            .put("issuer", new JsonObject().put("port", 0))
            .put("admin", new JsonObject().put("port", 0));
    vertx = Node.vertx(conf);
    node = HealthMetricsTest.await(Node.serve(vertx, Role.ALL, conf));
    client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay(node.relayUrl())
                .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                .withTrust(PrivatePathTest.trust(node)));
    raw = vertx.createHttpClient();
    Buffer keys =
        PrivatePathTest.await(
            raw.request(
                    HttpMethod.GET,
                    node.relayPort(),
                    "127.0.0.1",
                    MediaTypes.WELL_KNOWN_GATEWAY_PATH)
                .compose(r -> r.send().compose(HttpClientResponse::body)));
    gatewayKey = KeyConfigs.preferred(KeyConfigs.parse(keys.getBytes())).orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    Logger.getLogger("").removeHandler(CAPTURE);
    client.close();
    PrivatePathTest.await(vertx.close());
  }

  @AfterEach
  void noStackTraces() {
    assertThat(TRACES).as("no stack trace in the log").isEmpty();
  }

  /** A sealed chunked request, as pieces to write, and the two layers' state to open its answer. */
  private record Sealed(
      List<byte[]> pieces, ChunkedRequestEncapsulator outer, ChunkedRequestEncapsulator inner) {
    byte[] all() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      pieces.forEach(out::writeBytes);
      return out.toByteArray();
    }
  }

  private static String validToken() throws Exception {
    GatewayListing listing = PrivatePathTest.await(client.listing());
    return PrivateTokenAuthorization.header(
        PrivatePathTest.await(client.wallet().take(listing.tokenChallenges().get(0))));
  }

  private static EnclaveDescriptor enclave() throws Exception {
    return PrivatePathTest.await(client.listing()).enclaves().get(0);
  }

  /**
   * A summary request: the inner request (sealed to the enclave) is the content of the outer one,
   * whose head (path, token) goes in a chunk of its own, then the content in chunks of {@code
   * slice} bytes, then the final chunk.
   */
  private static Sealed seal(String authorization, int slice, int extraContent) throws Exception {
    EnclaveDescriptor enclave = enclave();
    String json = EnclaveApiTest.CHAT.formatted(false).replace("\"id\":\"c1\"", "\"id\":\"up1\"");
    ChunkedRequestEncapsulator inner =
        ChunkedRequestEncapsulator.start(enclave.preferredKeyConfig(), RANDOM);
    byte[] innerPlain =
        BinaryHttpRequest.of(
                "POST",
                "https",
                "enclave",
                ApiPaths.SUMMARIZE,
                List.of(new Field("content-type", "application/json")),
                json.getBytes(StandardCharsets.UTF_8))
            .encodeIndeterminate();
    ByteArrayOutputStream innerBytes = new ByteArrayOutputStream();
    innerBytes.writeBytes(inner.header());
    innerBytes.writeBytes(inner.sealChunk(innerPlain));
    innerBytes.writeBytes(inner.sealFinal(new byte[0]));
    byte[] content = Arrays.copyOf(innerBytes.toByteArray(), innerBytes.size() + extraContent);
    ChunkedRequestEncapsulator outer = ChunkedRequestEncapsulator.start(gatewayKey, RANDOM);
    IndeterminateRequestWriter w = new IndeterminateRequestWriter();
    List<byte[]> pieces = new ArrayList<>();
    pieces.add(outer.header());
    pieces.add(
        outer.sealChunk(
            w.head(
                "POST",
                "https",
                "gateway",
                ApiPaths.ENCLAVE_PREFIX + enclave.id(),
                List.of(
                    new Field("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST),
                    new Field("authorization", authorization)))));
    for (int at = 0; at < content.length; at += slice) {
      pieces.add(
          outer.sealChunk(
              w.content(Arrays.copyOfRange(content, at, Math.min(content.length, at + slice)))));
    }
    pieces.add(outer.sealFinal(w.end(List.of())));
    return new Sealed(pieces, outer, inner);
  }

  /** A chunked upload to {@code port}, written by the test. */
  private static HttpClientRequest upload(int port) throws Exception {
    HttpClientRequest request =
        PrivatePathTest.await(
            raw.request(
                new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI(port == node.relayPort() ? "/" : MediaTypes.GATEWAY_REQUEST_PATH)
                    .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST)));
    request.setChunked(true);
    // A server may close under a request still being written (a limit, a deadline).
    request.exceptionHandler(t -> {});
    return request;
  }

  private record Answer(int status, String contentType, byte[] body) {}

  private static CompletableFuture<Answer> answer(HttpClientRequest request) {
    CompletableFuture<Answer> out = new CompletableFuture<>();
    request
        .response()
        .compose(
            (HttpClientResponse r) ->
                r.body()
                    .map(
                        b -> new Answer(r.statusCode(), r.getHeader("content-type"), b.getBytes())))
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

  /**
   * Opens a chunked outer answer; returns its status and content (the inner stream, or a problem).
   */
  private static Opened openOuter(Sealed sealed, byte[] body) throws Exception {
    return open(sealed.outer().opener(), body);
  }

  private record Opened(int status, byte[] content) {}

  private static Opened open(ChunkedResponseOpener opener, byte[] body) throws Exception {
    BinaryHttpResponseParser parser = new BinaryHttpResponseParser();
    List<BinaryHttpResponseParser.Part> parts = new ArrayList<>();
    for (byte[] plain : opener.feed(body)) {
      parts.addAll(parser.feed(plain));
    }
    parts.addAll(parser.feed(opener.finish()));
    parts.addAll(parser.finish());
    int status = 0;
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (BinaryHttpResponseParser.Part p : parts) {
      if (p instanceof BinaryHttpResponseParser.Head h) {
        status = h.status();
      } else if (p instanceof BinaryHttpResponseParser.Content c) {
        content.writeBytes(c.bytes());
      }
    }
    return new Opened(status, content.toByteArray());
  }

  private static String metrics() throws Exception {
    return PrivatePathTest.await(
            raw.request(HttpMethod.GET, node.adminPort(), "127.0.0.1", "/metrics")
                .compose(r -> r.send().compose(HttpClientResponse::body)))
        .toString();
  }

  @Test
  @DisplayName(
      "a chunked request uploaded slowly, in pieces with pauses, is answered correctly: the text, then the whole answer")
  void slowUploadIsAnswered() throws Exception {
    Sealed sealed = seal(validToken(), 200, 0);
    byte[] all = sealed.all();
    HttpClientRequest request = upload(node.relayPort());
    CompletableFuture<Answer> answer = answer(request);
    int step = all.length / 5 + 1;
    for (int at = 0; at < all.length; at += step) {
      request.write(Buffer.buffer(Arrays.copyOfRange(all, at, Math.min(all.length, at + step))));
      Thread.sleep(250); // below the relay's 1 s read deadline
    }
    request.end();
    Answer a = answer.get(30, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).isEqualTo(MediaTypes.OHTTP_CHUNKED_RESPONSE);
    Opened outer = openOuter(sealed, a.body());
    assertThat(outer.status()).isEqualTo(200);
    Opened inner = open(sealed.inner().opener(), outer.content());
    assertThat(inner.status()).isEqualTo(200);
    String[] lines = new String(inner.content(), StandardCharsets.UTF_8).split("\n");
    assertThat(lines.length).isGreaterThan(1);
    assertThat(lines[0].trim()).startsWith("{\"text\":");
    assertThat(lines[lines.length - 1].trim()).startsWith("{\"answer\":");
  }

  /** Slots of the enclave's in-flight limit held now (a streamed request holds one from open). */
  private static double enclaveSlots() {
    return PrivatePathTest.limiterSlots(vertx, "enclave");
  }

  private static void awaitEnclaveSlots(double expected) throws Exception {
    awaitEnclaveSlots(expected, 10);
  }

  private static void awaitEnclaveSlots(double expected, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (enclaveSlots() != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(enclaveSlots()).isEqualTo(expected);
  }

  @Test
  @DisplayName(
      "the inner request reaches the enclave before the upload ends, and an upload abandoned mid-body leaves no stream at the enclave")
  void abandonedUploadLeavesNoStream() throws Exception {
    awaitEnclaveSlots(0);
    Sealed sealed = seal(validToken(), 100, 0);
    List<byte[]> p = sealed.pieces();
    assertThat(p.size()).isGreaterThan(4);
    HttpClientRequest request = upload(node.gatewayPort());
    answer(request);
    for (int i = 0; i < 4; i++) {
      request.write(Buffer.buffer(p.get(i)));
    }
    // Admitted on its head, the stream is open at the enclave while the body is still coming.
    awaitEnclaveSlots(1);
    assertThat(metrics()).contains("pp_enclave_streams_receiving 1.0");
    request.reset(); // the client is gone mid-body
    // Well within the enclave's 10 s wait for a next piece: the gateway cancelled the stream.
    awaitEnclaveSlots(0, 4);
    assertThat(metrics()).contains("pp_enclave_streams_receiving 0.0");
    // Still serving.
    slowUploadIsAnswered();
  }

  @Test
  @DisplayName(
      "a bad token is refused, sealed, before the client finished uploading, and counted under its problem type in the gateway's metrics")
  void badTokenRefusedBeforeTheUploadEnds() throws Exception {
    Sealed sealed = seal("PrivateToken token=AAAA", 200, 0);
    HttpClientRequest request = upload(node.relayPort());
    CompletableFuture<Answer> answer = answer(request);
    request.write(Buffer.buffer(sealed.pieces().get(0)));
    request.write(Buffer.buffer(sealed.pieces().get(1))); // the head, with the token
    // Nothing more is written: the answer must come without the rest.
    Answer a = answer.get(10, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(200);
    Opened refusal = openOuter(sealed, a.body());
    assertThat(refusal.status()).isEqualTo(401);
    Problem problem = Problem.parse(refusal.content());
    String slug = problem.type().substring(problem.type().lastIndexOf(':') + 1);
    request.reset();
    assertThat(metrics())
        .as("a problem sealed into a streamed answer is counted as the whole path counts it")
        .contains(
            "pp_requests_total{outcome=\"refused\",problem=\"" + slug + "\",stage=\"gateway\"}");
  }

  @Test
  @DisplayName(
      "an upload cut mid-chunk is refused plainly by the gateway (truncated), passed on by the relay")
  void cutMidChunk() throws Exception {
    Sealed sealed = seal(validToken(), 200, 0);
    byte[] all = sealed.all();
    HttpClientRequest request = upload(node.relayPort());
    CompletableFuture<Answer> answer = answer(request);
    request.end(Buffer.buffer(Arrays.copyOf(all, all.length - 30)));
    Answer a = answer.get(10, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.contentType()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(Problem.parse(a.body()).type()).endsWith("truncated");
  }

  @Test
  @DisplayName(
      "a replayed or reordered request chunk is refused plainly (it does not authenticate), and the node serves on")
  void replayedAndReorderedChunks() throws Exception {
    Sealed sealed = seal(validToken(), 100, 0);
    List<byte[]> p = sealed.pieces();
    assertThat(p.size()).isGreaterThan(4);
    HttpClientRequest replay = upload(node.relayPort());
    CompletableFuture<Answer> replayed = answer(replay);
    replay.write(Buffer.buffer(p.get(0)));
    replay.write(Buffer.buffer(p.get(1)));
    replay.write(Buffer.buffer(p.get(2)));
    replay.end(Buffer.buffer(p.get(2)));
    Answer a = replayed.get(10, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(400);
    assertThat(Problem.parse(a.body()).type()).contains("ohttp-");

    Sealed other = seal(validToken(), 100, 0);
    List<byte[]> q = other.pieces();
    HttpClientRequest reorder = upload(node.relayPort());
    CompletableFuture<Answer> reordered = answer(reorder);
    ByteArrayOutputStream swapped = new ByteArrayOutputStream();
    swapped.writeBytes(q.get(0));
    swapped.writeBytes(q.get(1));
    swapped.writeBytes(q.get(3));
    swapped.writeBytes(q.get(2));
    for (int i = 4; i < q.size(); i++) {
      swapped.writeBytes(q.get(i));
    }
    reorder.end(Buffer.buffer(swapped.toByteArray()));
    Answer b = reordered.get(10, TimeUnit.SECONDS);
    assertThat(b.status()).isEqualTo(400);
    assertThat(Problem.parse(b.body()).type()).contains("ohttp-");

    // Still serving.
    slowUploadIsAnswered();
  }

  @Test
  @DisplayName("an upload over the relay's body limit gets a 413 problem")
  void overTheRelayLimit() throws Exception {
    assertOverTheBodyLimitIs413(node.relayPort()); // past the relay's 64 KiB
  }

  /** Uploads 80 KB of content at {@code port}, past its 64 KiB body limit: a 413 problem. */
  private static void assertOverTheBodyLimitIs413(int port) throws Exception {
    Sealed sealed = seal(validToken(), 16_000, 80_000);
    HttpClientRequest request = upload(port);
    CompletableFuture<Answer> answer = answer(request);
    for (byte[] piece : sealed.pieces()) {
      request.write(Buffer.buffer(piece));
    }
    request.end();
    Answer a = answer.get(10, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(413);
    assertThat(Problem.parse(a.body()).type()).endsWith("body-too-large");
  }

  @Test
  @DisplayName(
      "an upload straight to the gateway over its body limit gets a 413 problem, as a whole one does")
  void overTheGatewayBodyLimit() throws Exception {
    assertOverTheBodyLimitIs413(node.gatewayPort()); // past the gateway's 64 KiB
  }

  @Test
  @DisplayName(
      "a chunk over the gateway's chunk limit is refused plainly as soon as its length is announced")
  void overTheGatewayLimit() throws Exception {
    Sealed sealed = seal(validToken(), 200, 0);
    HttpClientRequest request = upload(node.gatewayPort());
    CompletableFuture<Answer> answer = answer(request);
    request.write(Buffer.buffer(sealed.pieces().get(0)));
    request.write(Buffer.buffer(sealed.pieces().get(1)));
    long announced = ChunkLimits.DEFAULT.maxChunkLength() + 1L;
    request.write(
        Buffer.buffer().appendInt((int) (0x80000000L | announced)).appendBytes(new byte[1000]));
    // Not the announced bytes: the refusal comes on the length alone.
    Answer a = answer.get(10, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(400);
    assertThat(Problem.parse(a.body()).type()).endsWith("too-large");
    request.reset();
  }

  @Test
  @DisplayName(
      "an upload that stalls is cut by the relay's read deadline, and the gateway lets the request go")
  void stalledUploadIsCut() throws Exception {
    Sealed sealed = seal(validToken(), 200, 0);
    HttpClientRequest request = upload(node.relayPort());
    CompletableFuture<Answer> answer = answer(request);
    request.write(Buffer.buffer(sealed.pieces().get(0)));
    request.write(Buffer.buffer(sealed.pieces().get(1)));
    // ...and nothing more.
    assertThat(answer).failsWithin(10, TimeUnit.SECONDS);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!metrics().contains("pp_requests_in_flight{stage=\"gateway\"} 0.0")) {
      assertThat(System.nanoTime()).as("the gateway's request ends").isLessThan(until);
      Thread.sleep(100);
    }
  }
}
