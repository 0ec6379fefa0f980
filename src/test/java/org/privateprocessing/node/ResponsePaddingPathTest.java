package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.ResponsePadding;

/**
 * Issue #16 item 4 through the running pipeline: chats of many lengths, answered with summaries of
 * many lengths, while a recording proxy in front of the relay notes the size of every encapsulated
 * answer the relay passes back (the relay sees exactly these bytes). With the default {@code
 * gateway.responsePadding} the relay sees a bounded number of sizes, each a padding bucket plus the
 * response nonce and AEAD tag.
 */
class ResponsePaddingPathTest {
  private static Vertx vertx;
  private static Node.Running node;
  private static PrivateProcessingClient client;
  private static final List<Integer> relayAnswerSizes = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JsonObject conf =
        new JsonObject()
            .put("profile", "demo")
            .put("attestation", new JsonObject().put("tlsPort", 0))
            .put("relay", new JsonObject().put("port", 0))
            .put(
                "log",
                new JsonObject()
                    .put("port", 0)
                    .put("dataDir", Files.createTempDirectory("pp-log").toString()))
            .put("gateway", new JsonObject().put("port", 0))
            .put("issuer", new JsonObject().put("port", 0));
    node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf));
    int proxy = recordingProxy(node.relayPort());
    client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay("http://127.0.0.1:" + proxy)
                .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                .withTrust(PrivatePathTest.trust(node)));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    PrivatePathTest.await(vertx.close());
  }

  /** Forwards to the relay; records the body size of every encapsulated answer. */
  private static int recordingProxy(int relayPort) throws Exception {
    WebClient forward = WebClient.create(vertx);
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              var out =
                                  forward.request(
                                      request.method(), relayPort, "127.0.0.1", request.uri());
                              request
                                  .headers()
                                  .forEach(
                                      h -> {
                                        if (!h.getKey().equalsIgnoreCase("host")
                                            && !h.getKey().equalsIgnoreCase("content-length")) {
                                          out.putHeader(h.getKey(), h.getValue());
                                        }
                                      });
                              out.sendBuffer(body)
                                  .onComplete(
                                      ar -> {
                                        if (ar.failed()) {
                                          request.response().setStatusCode(502).end();
                                          return;
                                        }
                                        Buffer answer =
                                            ar.result().body() == null
                                                ? Buffer.buffer()
                                                : ar.result().body();
                                        String type = ar.result().getHeader("content-type");
                                        if (MediaTypes.OHTTP_RESPONSE.equals(type)) {
                                          relayAnswerSizes.add(answer.length());
                                        }
                                        request.response().setStatusCode(ar.result().statusCode());
                                        ar.result()
                                            .headers()
                                            .forEach(
                                                h -> {
                                                  if (!h.getKey()
                                                      .equalsIgnoreCase("content-length")) {
                                                    request
                                                        .response()
                                                        .putHeader(h.getKey(), h.getValue());
                                                  }
                                                });
                                        request.response().end(answer);
                                      });
                            }))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get();
    return server.actualPort();
  }

  private static SummarizeRequest chat(int messages, int wordsEach, int sentences)
      throws Exception {
    JsonArray list = new JsonArray();
    String[] words = {"dinner", "Saturday", "cake", "booking", "train", "tickets", "garden"};
    for (int i = 0; i < messages; i++) {
      StringBuilder text = new StringBuilder("Message " + i + ":");
      for (int w = 0; w < wordsEach; w++) {
        text.append(' ').append(words[(i + w) % words.length]);
      }
      list.add(
          new JsonObject()
              .put("id", "m" + i)
              .put("from", i % 2 == 0 ? "Alice" : "Bob")
              .put("sentAt", "2026-11-24T10:0" + (i % 10) + ":00Z")
              .put("text", text.append('.').toString()));
    }
    JsonObject chat =
        new JsonObject()
            .put("chat", new JsonObject().put("id", "c").put("title", "Plans"))
            .put("messages", list)
            .put("maxSentences", sentences);
    return SummarizeRequest.parse(chat.encode().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName(
      "chats of many lengths give answers of many lengths, but the relay sees at most three sizes, each a padding bucket")
  void relaySeesFewSizes() throws Exception {
    Set<Integer> summaryLengths = new HashSet<>();
    for (int messages = 1; messages <= 10; messages++) {
      for (int sentences : new int[] {1, 3, 10}) {
        SummarizeResponse answer =
            PrivatePathTest.await(client.summarize(chat(messages, 2 + messages * 3, sentences)));
        summaryLengths.add(answer.summary().length());
      }
    }
    Set<Integer> sizes = new HashSet<>(relayAnswerSizes);
    assertThat(summaryLengths).as("the answers themselves differ in length").hasSizeGreaterThan(8);
    assertThat(relayAnswerSizes).hasSizeGreaterThanOrEqualTo(30);
    // The enclave listing is one size, the answers another (or two): not one size per answer.
    assertThat(sizes).as("distinct sizes the relay observed").hasSizeLessThanOrEqualTo(3);
    ResponsePadding padding = ResponsePadding.DEFAULT;
    for (int size : sizes) {
      // response nonce (16 for AES-128-GCM, 32 for ChaCha20-Poly1305) + padded message + 16-byte
      // tag
      assertThat(List.of(size - 32, size - 48))
          .as("size %d is a padding bucket plus nonce and tag", size)
          .anySatisfy(inner -> assertThat(padding.paddedLength(inner)).isEqualTo(inner));
    }
  }
}
