package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.client.AnswerStream;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.enclave.EnclaveApiTest;

/**
 * Streamed answers through the running pipeline on loopback: client SDK, relay, gateway and
 * enclave, both layers chunked Oblivious HTTP, with a model that writes in paced pieces.
 */
class StreamingPathTest {
  private static Vertx vertx;
  private static Node.Running node;
  private static PrivateProcessingClient client;
  private static final PacedModel MODEL = new PacedModel();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JsonObject conf =
        new JsonObject()
            .put("profile", "demo")
            .put("attestation", new JsonObject().put("tlsPort", -1))
            .put("relay", new JsonObject().put("port", 0).put("timeout", "2s"))
            .put("dataDir", java.nio.file.Files.createTempDirectory("pp-data").toString())
            .put(
                "log",
                new JsonObject()
                    .put("port", 0)
                    .put("dataDir", java.nio.file.Files.createTempDirectory("pp-log").toString()))
            .put("gateway", new JsonObject().put("port", 0))
            .put("enclave", new JsonObject().put("id", "5e1ec7ed0000005a"))
            .put("issuer", new JsonObject().put("port", 0));
    node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf, null, MODEL));
    client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay(node.relayUrl())
                .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                .withTrust(PrivatePathTest.trust(node)));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    PrivatePathTest.await(vertx.close());
  }

  static SummarizeRequest chat(String id) throws Exception {
    String json =
        EnclaveApiTest.CHAT.formatted(false).replace("\"id\":\"c1\"", "\"id\":\"" + id + "\"");
    return SummarizeRequest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Throwable failure(AnswerStream<?> stream) {
    Throwable t = catchThrowable(() -> PrivatePathTest.await(stream.answer()));
    assertThat(t).isInstanceOf(ExecutionException.class);
    return t.getCause();
  }

  @Test
  @DisplayName(
      "a summary streams piece by piece through relay, gateway and enclave, then ends with the whole answer")
  void streamsASummary() throws Exception {
    List<String> pieces = new CopyOnWriteArrayList<>();
    AnswerStream<SummarizeResponse> stream = client.summarizeStreaming(chat("c1"));
    stream.text().handler(pieces::add);
    SummarizeResponse answer = PrivatePathTest.await(stream.answer());
    assertThat(pieces.size()).isGreaterThan(2);
    assertThat(String.join("", pieces)).isEqualTo(answer.summary());
    assertThat(answer.highlights()).isNotEmpty();
    assertThat(answer.enclave().id()).isEqualTo("5e1ec7ed0000005a");
    // The non-streaming path is unchanged beside it.
    SummarizeResponse whole = PrivatePathTest.await(client.summarize(chat("c1")));
    assertThat(whole.summary()).isEqualTo(answer.summary());
  }

  @Test
  @DisplayName("a model failing mid-stream: the text so far, then the problem, never an answer")
  void modelFailingMidStream() throws Exception {
    List<String> pieces = new CopyOnWriteArrayList<>();
    AnswerStream<SummarizeResponse> stream = client.summarizeStreaming(chat("fail-midway"));
    stream.text().handler(pieces::add);
    Throwable t = failure(stream);
    assertThat(pieces).hasSize(2);
    assertThat(t).isInstanceOf(PrivateProcessingException.class);
    PrivateProcessingException p = (PrivateProcessingException) t;
    assertThat(p.source()).isEqualTo(PrivateProcessingException.Source.ENCLAVE);
    assertThat(p.status()).isEqualTo(500);
    assertThat(p.type()).endsWith(":internal");
  }

  @Test
  @DisplayName("a model failing before its first piece gets the usual problem response")
  void modelFailingFirst() throws Exception {
    AnswerStream<SummarizeResponse> stream = client.summarizeStreaming(chat("fail-first"));
    List<String> pieces = new CopyOnWriteArrayList<>();
    stream.text().handler(pieces::add);
    PrivateProcessingException p = (PrivateProcessingException) failure(stream);
    assertThat(pieces).isEmpty();
    assertThat(p.source()).isEqualTo(PrivateProcessingException.Source.ENCLAVE);
    assertThat(p.status()).isEqualTo(500);
  }

  @Test
  @DisplayName("a chat with advanced chat privacy is refused before anything is sent")
  void advancedChatPrivacy() throws Exception {
    SummarizeRequest optedOut =
        SummarizeRequest.parse(
            EnclaveApiTest.CHAT.formatted(true).getBytes(StandardCharsets.UTF_8));
    PrivateProcessingException p =
        (PrivateProcessingException) failure(client.summarizeStreaming(optedOut));
    assertThat(p.type()).endsWith("advanced-chat-privacy");
  }

  @Test
  @DisplayName(
      "a stream that stalls past the relay's read deadline is cut, and the client says the answer is incomplete")
  void relayCutsAStalledStream() throws Exception {
    List<String> pieces = new CopyOnWriteArrayList<>();
    AnswerStream<SummarizeResponse> stream = client.summarizeStreaming(chat("stall"));
    stream.text().handler(pieces::add);
    PrivateProcessingException p = (PrivateProcessingException) failure(stream);
    assertThat(pieces).hasSize(1);
    assertThat(p.type()).isEqualTo("incomplete-answer");
    assertThat(p.getMessage()).contains("incomplete answer");
  }

  @Test
  @DisplayName(
      "a client that stops reading stops the model: it blocks in its sink, and goes on when the client reads again")
  void backpressureStopsTheModel() throws Exception {
    int total = 600;
    int before = MODEL.written.get();
    List<String> pieces = new CopyOnWriteArrayList<>();
    AnswerStream<SummarizeResponse> stream = client.summarizeStreaming(chat("big-" + total));
    stream
        .text()
        .handler(
            piece -> {
              pieces.add(piece);
              stream.text().pause();
            });
    // Wait until the model stops making progress.
    int last = -1;
    for (int i = 0; i < 100; i++) {
      Thread.sleep(200);
      int now = MODEL.written.get() - before;
      if (now == last && !pieces.isEmpty()) {
        break;
      }
      last = now;
    }
    int blockedAt = MODEL.written.get() - before;
    assertThat(pieces).hasSize(1);
    assertThat(blockedAt).isLessThan(total);
    stream.text().handler(pieces::add);
    stream.text().resume();
    SummarizeResponse answer = PrivatePathTest.await(stream.answer());
    assertThat(pieces).hasSize(total);
    assertThat(answer.summary()).isEqualTo("big");
    System.out.println("backpressure: the model blocked after " + blockedAt + " of " + total);
  }

  @Test
  @DisplayName("an answer over the stream limit (8 MiB) is cut, never completed")
  void oversizedStreamIsCut() throws Exception {
    AnswerStream<SummarizeResponse> stream = client.summarizeStreaming(chat("big-1200"));
    PrivateProcessingException p = (PrivateProcessingException) failure(stream);
    assertThat(p.type()).isIn("incomplete-answer", "answer-too-large");
  }

  /** A client of the same pipeline whose streams may be silent at most {@code idleMs}. */
  private static PrivateProcessingClient clientWithIdle(long idleMs) {
    return PrivateProcessingClient.create(
        vertx,
        ClientOptions.forRelay(node.relayUrl())
            .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
            .withTrust(PrivatePathTest.trust(node))
            .withStreamIdleMs(idleMs));
  }

  @Test
  @DisplayName(
      "a stream silent past the client's idle deadline fails with stream-idle before the relay's deadline; the text so far is never an answer")
  void clientIdleDeadline() throws Exception {
    // The model stalls 4 s after its first piece; the relay would cut it at 2 s, the client at 0.5.
    try (PrivateProcessingClient idle = clientWithIdle(500)) {
      List<String> pieces = new CopyOnWriteArrayList<>();
      List<Throwable> ended = new CopyOnWriteArrayList<>();
      AnswerStream<SummarizeResponse> stream = idle.summarizeStreaming(chat("stall"));
      stream.text().handler(pieces::add).exceptionHandler(ended::add);
      PrivateProcessingException p = (PrivateProcessingException) failure(stream);
      assertThat(p.type()).isEqualTo("stream-idle");
      assertThat(p.source()).isEqualTo(PrivateProcessingException.Source.CLIENT);
      assertThat(p.getMessage()).contains("500 ms").contains("not a whole answer");
      assertThat(pieces).hasSize(1);
      assertThat(ended).containsExactly(p);
      assertThat(stream.answered().failed()).isTrue();
      // The same deadline lets a stream whose pieces come 20 ms apart complete.
      AnswerStream<SummarizeResponse> paced = idle.summarizeStreaming(chat("c1"));
      assertThat(PrivatePathTest.await(paced.answer()).summary()).isNotBlank();
    }
  }

  @Test
  @DisplayName(
      "a reader that pauses the text longer than the idle deadline does not trip it: the silence is its own")
  void pausedReaderIsNotIdle() throws Exception {
    try (PrivateProcessingClient idle = clientWithIdle(500)) {
      List<String> pieces = new CopyOnWriteArrayList<>();
      AnswerStream<SummarizeResponse> stream = idle.summarizeStreaming(chat("big-40"));
      stream
          .text()
          .handler(
              piece -> {
                pieces.add(piece);
                stream.text().pause();
              });
      Thread.sleep(1_500);
      assertThat(stream.answered().isComplete()).isFalse();
      assertThat(pieces).hasSize(1);
      stream.text().handler(pieces::add);
      stream.text().resume();
      assertThat(PrivatePathTest.await(stream.answer()).summary()).isEqualTo("big");
      assertThat(pieces).hasSize(40);
    }
  }
}
