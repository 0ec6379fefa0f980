package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.core.FileSpentTokens;
import org.privateprocessing.core.RedisServer;
import org.privateprocessing.issuer.FileIssuanceWindows;

/**
 * The stateStore section as a node uses it: file by default, Redis by config, bad config refused.
 */
class NodeStateStoreTest {
  @TempDir Path dir;

  private JsonObject conf(JsonObject stateStore) {
    JsonObject c =
        new JsonObject()
            .put("profile", "demo")
            .put("dataDir", dir.resolve("data").toString())
            .put("attestation", new JsonObject().put("tlsPort", 0))
            .put("relay", new JsonObject().put("port", 0))
            .put("gateway", new JsonObject().put("port", 0))
            .put("issuer", new JsonObject().put("port", 0))
            .put("enclave", new JsonObject().put("id", "57a7e00000000001"))
            .put("log", new JsonObject().put("port", 0));
    return stateStore == null ? c : c.put("stateStore", stateStore);
  }

  private static SummarizeRequest request() {
    return new SummarizeRequest(
        new Chat("c1", "Store chat", false),
        List.of(new ChatMessage("m1", "Ann", null, "Meet at the station at nine.")),
        1);
  }

  @Test
  @DisplayName("a bad stateStore section fails the start before anything listens, naming it")
  void badConfigRefused() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      assertThatThrownBy(
              () ->
                  PrivatePathTest.await(
                      Node.start(vertx, Role.ALL, conf(new JsonObject().put("type", "mysql")))))
          .hasMessageContaining("invalid configuration: stateStore.type");
      assertThatThrownBy(
              () ->
                  PrivatePathTest.await(
                      Node.start(
                          vertx,
                          Role.ALL,
                          conf(
                              new JsonObject()
                                  .put("type", "redis")
                                  .put(
                                      "redis",
                                      new JsonObject().put("url", "redis://192.0.2.7:6379"))))))
          .hasMessageContaining("stateStore.redis.url")
          .hasMessageContaining("rediss://");
      // A damaged spent-token file: the node refuses to start, naming the file and the offset.
      Path data = dir.resolve("data");
      Files.createDirectories(data);
      byte[] bad = new byte[8 + 52];
      System.arraycopy(
          "PPSPENT1".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bad, 0, 8);
      bad[20] = 7;
      Files.write(data.resolve(FileSpentTokens.FILE_NAME), bad);
      assertThatThrownBy(() -> PrivatePathTest.await(Node.start(vertx, Role.ALL, conf(null))))
          .hasMessageContaining(data.resolve(FileSpentTokens.FILE_NAME).toString())
          .hasMessageContaining("byte offset 8");
    } finally {
      PrivatePathTest.await(vertx.close());
    }
  }

  @Test
  @DisplayName(
      "stateStore redis: spent tokens and issuance windows live in Redis; Redis killed -> clear 503"
          + " problems from gateway and issuer; back -> served again without a restart")
  void redisStoreEndToEnd() throws Exception {
    RedisServer.assumeInstalled();
    try (RedisServer redis = RedisServer.start(dir.resolve("redis"), "always")) {
      Vertx vertx = Vertx.vertx();
      try {
        Node.Running node =
            PrivatePathTest.await(
                Node.start(
                    vertx,
                    Role.ALL,
                    conf(
                        new JsonObject()
                            .put("type", "redis")
                            .put(
                                "redis",
                                new JsonObject().put("url", redis.url()).put("timeoutMs", 500)))));
        ClientOptions options =
            ClientOptions.forRelay(node.relayUrl())
                .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                .withTrust(PrivatePathTest.trust(node));
        try (PrivateProcessingClient withTokens = PrivateProcessingClient.create(vertx, options);
            PrivateProcessingClient empty =
                PrivateProcessingClient.create(vertx, options.withTokenBatch(1))) {
          assertThat(PrivatePathTest.await(withTokens.summarize(request())).summary()).isNotBlank();
          assertThat(Files.exists(dir.resolve("data").resolve(FileSpentTokens.FILE_NAME)))
              .isFalse();
          assertThat(Files.exists(dir.resolve("data").resolve(FileIssuanceWindows.FILE_NAME)))
              .isFalse();

          redis.kill();
          assertThatThrownBy(() -> PrivatePathTest.await(withTokens.summarize(request())))
              .cause()
              .isInstanceOfSatisfying(
                  PrivateProcessingException.class,
                  e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.type()).endsWith(":spent-token-store-unavailable");
                  });
          assertThatThrownBy(() -> PrivatePathTest.await(empty.summarize(request())))
              .cause()
              .isInstanceOfSatisfying(
                  PrivateProcessingException.class,
                  e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.type()).endsWith(":issuance-store-unavailable");
                  });

          redis.start();
          for (PrivateProcessingClient c : List.of(withTokens, empty)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
              try {
                assertThat(PrivatePathTest.await(c.summarize(request())).summary()).isNotBlank();
                break;
              } catch (PrivateProcessingException | ExecutionException e) {
                assertThat(System.nanoTime()).as("served again within 30 s").isLessThan(deadline);
                Thread.sleep(250);
              }
            }
          }
        }
      } finally {
        PrivatePathTest.await(vertx.close());
      }
    }
  }
}
