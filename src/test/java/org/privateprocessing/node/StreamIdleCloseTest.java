package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.client.AnswerStream;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.PrivateProcessingException;

/**
 * A client that gives up on a silent stream (its idle deadline) closes its connection, and the
 * servers behind it let the request go at once: the relay cuts its gateway request, the gateway
 * frees its slot. Here nothing else would free it soon: the relay's read deadline is 10 s and the
 * model is silent for 4 s after its first piece, so a slot that comes back within 3 s of the
 * client's failure came back because the client left.
 */
class StreamIdleCloseTest {
  private static Vertx vertx;
  private static Node.Running node;
  private static final PacedModel MODEL = new PacedModel();

  @BeforeAll
  static void start() throws Exception {
    JsonObject conf =
        DemoConf.allInOne()
            .put("attestation", new JsonObject().put("tlsPort", -1))
            .put("relay", new JsonObject().put("port", 0).put("timeout", "10s"))
            .put("enclave", new JsonObject().put("id", "5e1ec7ed0000005b"))
            .put("admin", new JsonObject().put("port", 0));
    vertx = Node.vertx(conf); // with the node's meters, read below
    node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf, null, MODEL));
  }

  @AfterAll
  static void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
  }

  private static double slots(String stage) {
    return PrivatePathTest.limiterSlots(vertx, stage);
  }

  /** Waits up to {@code ms} for the stage's slots to reach 0; returns the ms it took, or -1. */
  private static long freedWithin(String stage, long ms) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(ms);
    while (System.nanoTime() < deadline) {
      if (slots(stage) == 0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      }
      Thread.sleep(20);
    }
    return slots(stage) == 0 ? ms : -1;
  }

  @Test
  @DisplayName(
      "a client past its stream-idle deadline closes its connection: the gateway's slot is free before the model or the relay's deadline would free it, the enclave's once the model's next piece finds no one")
  void clientThatGivesUpFreesTheServers() throws Exception {
    try (PrivateProcessingClient client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay(node.relayUrl())
                .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                .withTrust(PrivatePathTest.trust(node))
                .withStreamIdleMs(500))) {
      AnswerStream<?> stream = client.summarizeStreaming(StreamingPathTest.chat("stall"));
      java.util.concurrent.CompletableFuture<Double> held =
          new java.util.concurrent.CompletableFuture<>();
      stream.text().handler(piece -> held.complete(slots("gateway")));
      // While the model is silent, the stream holds a slot at the gateway and one at the enclave.
      assertThat(held.get(30, TimeUnit.SECONDS)).isEqualTo(1.0);
      assertThat(slots("enclave")).isEqualTo(1.0);
      Throwable failure =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> PrivatePathTest.await(stream.answer()));
      assertThat(failure).isInstanceOf(java.util.concurrent.ExecutionException.class);
      assertThat(failure.getCause()).isInstanceOf(PrivateProcessingException.class);
      assertThat(((PrivateProcessingException) failure.getCause()).type()).isEqualTo("stream-idle");
      long gateway = freedWithin("gateway", 3_000);
      System.out.printf(
          "stream-idle: the gateway's slot was free %d ms after the client gave up%n", gateway);
      assertThat(gateway).as("ms until the gateway's slot was free").isBetween(0L, 3_000L);
      // The enclave's slot is the model's until its next piece (4 s after the first): then the
      // gateway takes no more and the enclave lets the stream go.
      assertThat(freedWithin("enclave", 10_000)).isNotNegative();
      // And the node serves on.
      assertThat(
              PrivatePathTest.await(
                      client.summarizeStreaming(StreamingPathTest.chat("c1")).answer())
                  .summary())
          .isNotBlank();
    }
  }
}
