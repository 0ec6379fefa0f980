package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.ohttp.MediaTypes;

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
    node = PrivatePathTest.await(Node.start(vertx, Role.ALL, DemoConf.allInOne()));
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
    return RecordingProxy.start(
        vertx,
        relayPort,
        new RecordingProxy.Observer() {
          @Override
          public void response(
              io.vertx.core.http.HttpServerRequest request, HttpResponse<Buffer> answer) {
            if (MediaTypes.OHTTP_RESPONSE.equals(answer.getHeader("content-type"))) {
              relayAnswerSizes.add(answer.body() == null ? 0 : answer.body().length());
            }
          }
        });
  }

  @Test
  @DisplayName(
      "chats of many lengths give answers of many lengths, but the relay sees at most three sizes, each a padding bucket")
  void relaySeesFewSizes() throws Exception {
    Set<Integer> summaryLengths = new HashSet<>();
    for (int messages = 1; messages <= 10; messages++) {
      for (int sentences : new int[] {1, 3, 10}) {
        SummarizeResponse answer =
            PrivatePathTest.await(
                client.summarize(PaddingChats.chat(messages, 2 + messages * 3, sentences)));
        summaryLengths.add(answer.summary().length());
      }
    }
    Set<Integer> sizes = new HashSet<>(relayAnswerSizes);
    assertThat(summaryLengths).as("the answers themselves differ in length").hasSizeGreaterThan(8);
    assertThat(relayAnswerSizes).hasSizeGreaterThanOrEqualTo(30);
    // The enclave listing is one size, the answers another (or two): not one size per answer.
    assertThat(sizes).as("distinct sizes the relay observed").hasSizeLessThanOrEqualTo(3);
    PaddingChats.assertEachIsABucketPlusNonceAndTag(sizes);
  }
}
