package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.node.PrivatePathTest.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.LogTrust;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.enclave.EnclaveApiTest;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;

/**
 * A running node rotates its gateway keys (a 3 s lifetime, no overlap, so the test sees it): each
 * new generation is logged and listed ahead, the retired one is refused, and a client holding a
 * retired key fetches the list again once and is served.
 */
class GatewayKeyRotationPathTest {
  private final Vertx vertx = Vertx.vertx();

  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private List<KeyConfig> keys(Node.Running node) throws Exception {
    byte[] list =
        await(
                WebClient.create(vertx)
                    .getAbs(node.relayUrl() + MediaTypes.WELL_KNOWN_GATEWAY_PATH)
                    .send())
            .body()
            .getBytes();
    return KeyConfigs.parse(list);
  }

  @Test
  @DisplayName(
      "after its key retires, a client that sealed to it refetches the key list once and is served; the new keys are in the log")
  void clientRefetchesAfterRotation() throws Exception {
    JsonObject conf =
        new JsonObject()
            .put("profile", "demo")
            .put("dataDir", dir.resolve("data").toString())
            .put("attestation", new JsonObject().put("tlsPort", -1))
            .put("relay", new JsonObject().put("port", 0))
            .put("log", new JsonObject().put("port", 0))
            .put(
                "gateway",
                new JsonObject()
                    .put("port", 0)
                    .put("keyLifetimeSeconds", 3)
                    .put("keyOverlapSeconds", 0))
            .put("issuer", new JsonObject().put("port", 0));
    Node.Running node = await(Node.start(vertx, Role.ALL, conf));
    ClientOptions options =
        ClientOptions.forRelay(node.relayUrl())
            .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
            .withTrust(PrivatePathTest.trust(node))
            .withLog(
                LogTrust.of(
                    List.of(node.logKey()), org.privateprocessing.tlog.WitnessPolicy.none()));
    SummarizeRequest chat =
        SummarizeRequest.parse(
            EnclaveApiTest.CHAT.formatted(false).getBytes(StandardCharsets.UTF_8));
    try (PrivateProcessingClient client = PrivateProcessingClient.create(vertx, options)) {
      KeyConfig used = KeyConfigs.preferred(keys(node)).orElseThrow();
      assertThat(await(client.summarize(chat)).summary()).isNotEmpty();
      // Wait until the key the client holds is no longer listed nor accepted (two rotations).
      long deadline = System.currentTimeMillis() + 60_000;
      while (keys(node).stream().anyMatch(k -> Arrays.equals(k.encode(), used.encode()))
          || keys(node).get(0).keyId() == used.keyId()) {
        assertThat(System.currentTimeMillis()).as("the gateway rotates").isLessThan(deadline);
        Thread.sleep(500);
      }
      Thread.sleep(1_500);
      assertThat(await(client.summarize(chat)).summary())
          .as("served after refetching the key list once")
          .isNotEmpty();
    }
  }
}
