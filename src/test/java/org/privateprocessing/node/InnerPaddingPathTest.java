package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Tone;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.core.Envelope;

/**
 * Issue #16 item 4, the inner layer, through the running pipeline: chats of many lengths answered
 * with summaries and suggestions of many lengths, while an event-bus interceptor notes the size of
 * every sealed inner answer the enclave hands the gateway (the gateway sees exactly these bytes).
 * With {@code enclave.responsePadding: none} the gateway sees about one size per answer; with the
 * default it sees a bounded number, each a padding bucket plus the response nonce and AEAD tag, and
 * the client still reads every answer.
 */
class InnerPaddingPathTest {

  /** What one node's gateway saw of the inner answers, and what the client read. */
  private record Observed(Set<Integer> innerSizes, int answers, Set<Integer> answerLengths) {}

  private static Observed run(String enclavePadding) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      List<Integer> sizes = new CopyOnWriteArrayList<>();
      // Inbound on the event bus: the enclave's sealed answers as they reach the gateway.
      vertx
          .eventBus()
          .addInboundInterceptor(
              ctx -> {
                if (ctx.message().body() instanceof Envelope e
                    && e.kind() == Envelope.Kind.INNER_RESPONSE) {
                  sizes.add(e.size());
                }
                ctx.next();
              });
      JsonObject conf =
          DemoConf.allInOne()
              .put("attestation", new JsonObject().put("tlsPort", -1))
              .put("gateway", new JsonObject().put("port", 0).put("responsePadding", "none"))
              .put("enclave", new JsonObject().put("responsePadding", enclavePadding));
      Node.Running node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf));
      Set<Integer> lengths = new HashSet<>();
      int answers = 0;
      try (PrivateProcessingClient client =
          PrivateProcessingClient.create(
              vertx,
              ClientOptions.forRelay("http://127.0.0.1:" + node.relayPort())
                  .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                  .withTrust(PrivatePathTest.trust(node)))) {
        for (int messages = 1; messages <= 8; messages++) {
          for (int sentences : new int[] {1, 4}) {
            String summary =
                PrivatePathTest.await(
                        client.summarize(PaddingChats.chat(messages, 2 + messages * 4, sentences)))
                    .summary();
            assertThat(summary).isNotBlank();
            lengths.add(summary.length());
            answers++;
          }
        }
        // Without a transparency log the receipt names the verified enclave and proves no release.
        var receipted =
            PrivatePathTest.await(client.summarizeWithReceipt(PaddingChats.chat(2, 5, 1)));
        assertThat(receipted.receipt().enclaveId()).isEqualTo(node.enclaveId());
        assertThat(receipted.receipt().measurement())
            .isEqualTo(node.attestation().measurementHex());
        assertThat(receipted.receipt().release()).isNull();
        answers++;
        for (String draft :
            List.of("i dont know teh answer", "see you tmrw at the the station", "ok")) {
          assertThat(
                  PrivatePathTest.await(
                          client.suggest(
                              new SuggestRequest(
                                  new Chat("c", null, false), draft, Tone.PROOFREAD)))
                      .suggestions())
              .isNotNull();
          answers++;
        }
      }
      assertThat(sizes)
          .as("every answer crossed the event bus")
          .hasSizeGreaterThanOrEqualTo(answers);
      return new Observed(new HashSet<>(sizes), answers, lengths);
    } finally {
      PrivatePathTest.await(vertx.close());
    }
  }

  @Test
  @DisplayName(
      "with enclave.responsePadding none the gateway sees many inner sizes; with the default at most two, each a bucket")
  void gatewaySeesFewInnerSizes() throws Exception {
    Observed unpadded = run("none");
    Observed padded = run("default");
    System.out.printf(
        "over %d answers (%d distinct summary lengths) the gateway saw %d distinct inner sizes"
            + " unpadded %s, %d padded %s%n",
        padded.answers(),
        padded.answerLengths().size(),
        unpadded.innerSizes().size(),
        new java.util.TreeSet<>(unpadded.innerSizes()),
        padded.innerSizes().size(),
        padded.innerSizes());
    assertThat(padded.answerLengths()).as("the answers differ in length").hasSizeGreaterThan(6);
    // Before: the gateway could tell the answers apart by length.
    assertThat(unpadded.innerSizes()).hasSizeGreaterThan(8);
    // After: summaries and suggestions of every length fall into one or two buckets.
    assertThat(padded.innerSizes()).as("distinct inner sizes").hasSizeLessThanOrEqualTo(2);
    PaddingChats.assertEachIsABucketPlusNonceAndTag(padded.innerSizes());
  }
}
