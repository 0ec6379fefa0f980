package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.privateprocessing.node.PrivatePathTest.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.EnclaveTrust;
import org.privateprocessing.client.GatewayListing;
import org.privateprocessing.client.LogTrust;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.CredentialCheck;
import org.privateprocessing.core.InMemorySpentTokens;
import org.privateprocessing.enclave.AttestationOptions;
import org.privateprocessing.enclave.AttestationVerticle;
import org.privateprocessing.enclave.EnclaveAnnouncer;
import org.privateprocessing.enclave.EnclaveApiTest;
import org.privateprocessing.enclave.EnclaveAttestation;
import org.privateprocessing.enclave.EnclaveHandshake;
import org.privateprocessing.enclave.EnclaveIdentity;
import org.privateprocessing.enclave.InferenceVerticle;
import org.privateprocessing.enclave.SealingVerticle;
import org.privateprocessing.gateway.CredentialVerticle;
import org.privateprocessing.gateway.EnclaveRegistry;
import org.privateprocessing.gateway.GatewayIdentity;
import org.privateprocessing.gateway.GatewayOptions;
import org.privateprocessing.gateway.GatewayVerticle;
import org.privateprocessing.gateway.TransparencyView;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.issuer.IssuerKeys;
import org.privateprocessing.logclient.LogClient;
import org.privateprocessing.relay.RelayOptions;
import org.privateprocessing.relay.RelayVerticle;
import org.privateprocessing.tlog.WitnessPolicy;

/**
 * Issue #5's "done when" on the request path: with the log's key, the client needs no list of
 * measurements — and refuses an enclave whose release is not in the log, and a gateway whose key is
 * not.
 */
class TransparencyPathTest {
  @TempDir static Path dir;
  static Vertx vertx;
  static Node.Running node;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JsonObject conf =
        new JsonObject()
            .put("profile", "demo")
            .put("dataDir", dir.resolve("data").toString())
            .put("attestation", new JsonObject().put("tlsPort", 0))
            .put("relay", new JsonObject().put("port", 0))
            .put("gateway", new JsonObject().put("port", 0))
            .put("issuer", new JsonObject().put("port", 0))
            .put("log", new JsonObject().put("port", 0));
    node = await(Node.start(vertx, Role.ALL, conf));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static ClientOptions options(String relayUrl) throws Exception {
    // No measurement configured: the enclave's release must be proven in the log.
    return ClientOptions.forRelay(relayUrl)
        .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
        .withTrust(
            EnclaveTrust.simulated(node.attestation().simulatedRoot().orElseThrow(), List.of()))
        .withLog(LogTrust.of(List.of(node.logKey()), WitnessPolicy.none()));
  }

  static SummarizeRequest chat() throws Exception {
    return SummarizeRequest.parse(
        EnclaveApiTest.CHAT.formatted(false).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName(
      "an enclave whose release is in the log serves; one running an unpublished release is refused by TRANSPARENCY")
  void unpublishedReleaseIsRefused() throws Exception {
    // A second enclave whose settings (and so measurement) were never published.
    SecureRandom random = new SecureRandom();
    EnclaveIdentity keys = EnclaveIdentity.generate("0b5c0e0000000001", null, random);
    EnclaveAttestation attestation =
        EnclaveAttestation.start(
            new AttestationOptions(
                AttestationOptions.SIMULATED, Path.of("/nonexistent"), 60, "127.0.0.1", -1),
            keys.id(),
            keys.keyConfigs(),
            new JsonObject()
                .put("model", "openai-compatible")
                .put("openai", new JsonObject().put("model", "unpublished")),
            random,
            Instant.now());
    EnclaveIdentity rogue = keys.withAttestation(attestation);
    assertThat(rogue.measurement()).isNotEqualTo(node.attestation().measurementHex());
    await(vertx.deployVerticle(new SealingVerticle(rogue)));
    await(vertx.deployVerticle(new InferenceVerticle(rogue, new EmbeddedModel(), 4)));
    await(vertx.deployVerticle(new AttestationVerticle(rogue, 10_000)));
    await(
        vertx.deployVerticle(
            EnclaveAnnouncer.fromJson(rogue.id(), new EnclaveHandshake(rogue)::describe, null)));

    try (PrivateProcessingClient client =
        PrivateProcessingClient.create(vertx, options(node.relayUrl()))) {
      GatewayListing listing = null;
      for (int i = 0; i < 50; i++) {
        client.enclaves(); // refresh
        listing = await(client.listing());
        if (listing.enclaves().size() + listing.refused().size() == 2) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(listing.enclaves()).extracting(e -> e.id()).containsExactly(node.enclaveId());
      assertThat(listing.refused())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.id()).isEqualTo(rogue.id());
                assertThat(r.reason())
                    .contains("TRANSPARENCY", "not proven to be in the transparency log");
              });
      for (int i = 0; i < 6; i++) {
        assertThat(await(client.summarize(chat())).enclave().id()).isEqualTo(node.enclaveId());
      }
    }
  }

  @Test
  @DisplayName(
      "a gateway whose key config is not in the log is refused before anything but the listing is sent")
  void unloggedGatewayKeyIsRefused() throws Exception {
    // Another gateway (own Vert.x, own unpublished keys) reading the same log for its proofs.
    Vertx other = Vertx.vertx();
    try {
      Codecs.register(other);
      GatewayIdentity unlogged = GatewayIdentity.generate(new SecureRandom());
      Clock clock = Clock.systemUTC();
      IssuerKeys issuerKeys =
          IssuerKeys.generate(
              List.of(2),
              Duration.ofDays(1),
              Duration.ofHours(6),
              new SecureRandom(),
              clock.instant());
      CredentialCheck credentials =
          new CredentialCheck(
              "issuer.private-processing.local",
              "gateway.private-processing.local",
              issuerKeys,
              new InMemorySpentTokens(1000, clock),
              clock);
      TransparencyView view =
          new TransparencyView(
              LogClient.create(other, node.logUrl()),
              () ->
                  unlogged.keyConfigs().stream()
                      .map(org.privateprocessing.ohttp.KeyConfig::encode)
                      .toList(),
              List::of,
              clock,
              1_000);
      GatewayOptions gatewayOptions = GatewayOptions.fromJson(new JsonObject().put("port", 0));
      await(
          other.deployVerticle(
              new CredentialVerticle(
                  gatewayOptions, unlogged, credentials, new EnclaveRegistry(clock), null, view)));
      GatewayVerticle gateway = new GatewayVerticle(gatewayOptions, unlogged);
      await(other.deployVerticle(gateway));
      RelayVerticle relay =
          new RelayVerticle(
              RelayOptions.fromJson(
                  new JsonObject()
                      .put("port", 0)
                      .put("gatewayUrl", "http://127.0.0.1:" + gateway.actualPort())));
      await(other.deployVerticle(relay));

      try (PrivateProcessingClient client =
          PrivateProcessingClient.create(
              vertx, options("http://127.0.0.1:" + relay.actualPort()))) {
        assertThatThrownBy(() -> await(client.summarize(chat())))
            .hasCauseInstanceOf(PrivateProcessingException.class)
            .cause()
            .hasMessageContaining("gateway's key config is not in the transparency log");
      }
    } finally {
      await(other.close());
    }
  }
}
