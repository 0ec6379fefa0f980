package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.EnclaveDescriptor;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.enclave.EnclaveApiTest;
import org.privateprocessing.ohttp.KeyConfig;

/**
 * Inner key rotation through a running node, with a short period (issue #14, finding 6): the new
 * keys appear in the listing with evidence a client verifies, the old keys serve during the grace
 * and are refused after it, and an SDK that still holds the old listing refetches it and succeeds.
 */
class KeyRotationPathTest {
  /** Seconds; the grace leaves the announcements (every 200 ms) ample time to catch up. */
  private static final int PERIOD = 4;

  private static final int GRACE = 3;

  private Vertx vertx;

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      PrivatePathTest.await(vertx.close());
    }
  }

  private static SummarizeRequest chat() throws Exception {
    return SummarizeRequest.parse(
        EnclaveApiTest.CHAT.formatted(false).getBytes(StandardCharsets.UTF_8));
  }

  private static PrivateProcessingClient client(Vertx vertx, Node.Running node) {
    return PrivateProcessingClient.create(
        vertx,
        ClientOptions.forRelay(node.relayUrl())
            .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
            .withTrust(PrivatePathTest.trust(node)));
  }

  private static List<Integer> ids(List<KeyConfig> configs) {
    return configs.stream().map(KeyConfig::keyId).toList();
  }

  /** The listing as a fresh client verifies it now. */
  private static EnclaveDescriptor freshlyListed(Vertx vertx, Node.Running node) throws Exception {
    try (PrivateProcessingClient fresh = client(vertx, node)) {
      return PrivatePathTest.await(fresh.enclaves()).get(0);
    }
  }

  @Test
  @DisplayName(
      "keys rotate every few seconds: new keys listed and attested, old keys served during the"
          + " grace, then refused; a client holding the old listing refetches it and succeeds")
  void keysRotateThroughTheNode() throws Exception {
    vertx = Vertx.vertx();
    JsonObject conf =
        DemoConf.allInOne()
            .put("attestation", new JsonObject().put("tlsPort", -1))
            .put(
                "enclave",
                new JsonObject()
                    .put("id", "0e7a7e0000000001")
                    .put("heartbeatMs", 200)
                    .put("keyRotationSeconds", PERIOD)
                    .put("keyGraceSeconds", GRACE));
    Node.Running node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf));

    // A client that keeps its listing (30 s by default): it will seal to the first keys.
    PrivateProcessingClient stale = client(vertx, node);
    assertThat(PrivatePathTest.await(stale.summarize(chat())).summary()).isNotBlank();
    EnclaveDescriptor first = PrivatePathTest.await(stale.enclaves()).get(0);
    assertThat(ids(first.keyConfigs())).containsExactly(1, 0);
    KeyConfig oldKey = first.preferredKeyConfig();

    // The new keys appear, first, beside the old ones, in a listing whose evidence the client
    // verified (only verified enclaves are listed by the SDK).
    EnclaveDescriptor rotated = first;
    long deadline = System.currentTimeMillis() + (PERIOD + 10) * 1000L;
    while (ids(rotated.keyConfigs()).get(0) == 1 && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      rotated = freshlyListed(vertx, node);
    }
    assertThat(ids(rotated.keyConfigs())).as("listed after a rotation").containsExactly(3, 2, 1, 0);
    assertThat(rotated.preferredKeyConfig().keyId()).isEqualTo(3);

    try (RawEnclaveRequests raw = new RawEnclaveRequests(vertx, stale, node.relayUrl())) {
      String json = EnclaveApiTest.CHAT.formatted(false);
      RawEnclaveRequests.Answer duringGrace = raw.post(first.id(), oldKey, "/v1/summarize", json);
      assertThat(duringGrace.fromEnclave()).as("the old key during the grace").isNotNull();
      assertThat(duringGrace.fromEnclave().status()).isEqualTo(200);

      // After the grace, the old key is refused before any decryption.
      RawEnclaveRequests.Answer after = duringGrace;
      deadline = System.currentTimeMillis() + (GRACE + 10) * 1000L;
      while (after.fromEnclave() != null && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
        after = raw.post(first.id(), oldKey, "/v1/summarize", json);
      }
      assertThat(after.fromEnclave()).as("the old key refused after the grace").isNull();
      assertThat(after.fromGateway().status()).isEqualTo(400);
      assertThat(Problem.parse(after.fromGateway().content()).type())
          .isEqualTo(Problem.TYPE_PREFIX + "inner-unknown-key");
    }
    // The listing drops them at the next announcement (the gateway lists what it heard last).
    List<Integer> listed = ids(freshlyListed(vertx, node).keyConfigs());
    deadline = System.currentTimeMillis() + 5_000;
    while (listed.contains(1) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      listed = ids(freshlyListed(vertx, node).keyConfigs());
    }
    assertThat(listed).doesNotContain(1, 0);

    // The client still holds the first listing; the enclave refuses its key, so it fetches the
    // listing again and resends, with a fresh token (the refused one was spent).
    assertThat(ids(PrivatePathTest.await(stale.enclaves()).get(0).keyConfigs()))
        .containsExactly(1, 0);
    assertThat(PrivatePathTest.await(stale.summarize(chat())).summary()).isNotBlank();
    assertThat(ids(PrivatePathTest.await(stale.enclaves()).get(0).keyConfigs()))
        .doesNotContain(1, 0);
    stale.close();
  }
}
