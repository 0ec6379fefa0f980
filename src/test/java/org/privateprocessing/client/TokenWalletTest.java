package org.privateprocessing.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;

/** The SDK's wallet against a running all-in-one pipeline. */
class TokenWalletTest {
  private static final byte[] CHAT =
      ("{\"chat\":{\"id\":\"c1\"},\"messages\":[{\"id\":\"m1\",\"from\":\"Ann\","
              + "\"text\":\"Dinner at eight on Friday?\"}]}")
          .getBytes(StandardCharsets.UTF_8);
  private static Vertx vertx;
  private static Node.Running node;

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
                    .put("dataDir", java.nio.file.Files.createTempDirectory("pp-log").toString()))
            .put("gateway", new JsonObject().put("port", 0))
            .put("issuer", new JsonObject().put("port", 0));
    node = await(Node.start(vertx, Role.ALL, conf));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  private static PrivateProcessingClient client(int batch) {
    return PrivateProcessingClient.create(
        vertx,
        ClientOptions.forRelay(node.relayUrl())
            .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
            .withTokenBatch(batch)
            .withTrust(
                EnclaveTrust.simulated(
                    node.attestation().simulatedRoot().orElseThrow(),
                    java.util.List.of(node.attestation().measurementHex()))));
  }

  @Test
  @DisplayName(
      "a token the gateway refuses as spent is replaced once by a fresh one, and the call succeeds")
  void retriesOnceWithAFreshToken() throws Exception {
    try (PrivateProcessingClient client = client(1)) {
      TokenChallenge challenge = await(client.listing()).tokenChallenges().get(0);
      Token token = await(client.wallet().take(challenge));
      await(client.summarize(SummarizeRequest.parse(CHAT), token)); // spent now
      client.wallet().offer(challenge, token); // the wallet hands it out again
      assertThat(await(client.summarize(SummarizeRequest.parse(CHAT))).summary()).isNotBlank();
    }
  }

  @Test
  @DisplayName("the wallet fetches ahead, in parallel, up to its batch size")
  void fetchesAhead() throws Exception {
    try (PrivateProcessingClient client = client(6)) {
      TokenChallenge challenge = await(client.listing()).tokenChallenges().get(0);
      await(client.wallet().take(challenge));
      long deadline = System.currentTimeMillis() + 10_000;
      while (client.wallet().readyCount(challenge) < 6 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(client.wallet().readyCount(challenge)).isEqualTo(6);
    }
  }

  @Test
  @DisplayName("a wrong account credential fails with the issuer's 401, naming the issuer")
  void wrongAccountFailsClearly() throws Exception {
    try (PrivateProcessingClient client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay(node.relayUrl())
                .withIssuer(node.issuerUrl(), "not-an-account")
                .withTrust(
                    EnclaveTrust.simulated(
                        node.attestation().simulatedRoot().orElseThrow(),
                        java.util.List.of(node.attestation().measurementHex()))))) {
      Throwable failure =
          client
              .summarize(SummarizeRequest.parse(CHAT))
              .toCompletionStage()
              .toCompletableFuture()
              .handle((ok, t) -> t)
              .get(90, TimeUnit.SECONDS);
      assertThat(failure)
          .isInstanceOfSatisfying(
              PrivateProcessingException.class,
              e -> {
                assertThat(e.source()).isEqualTo(PrivateProcessingException.Source.ISSUER);
                assertThat(e.status()).isEqualTo(401);
              });
    }
  }
}
