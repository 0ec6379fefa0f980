package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.client.AnswerStream;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.enclave.AttestationOptions;
import org.privateprocessing.enclave.AttestationVerticle;
import org.privateprocessing.enclave.EnclaveAnnouncer;
import org.privateprocessing.enclave.EnclaveApiTest;
import org.privateprocessing.enclave.EnclaveAttestation;
import org.privateprocessing.enclave.EnclaveHandshake;
import org.privateprocessing.enclave.EnclaveIdentity;
import org.privateprocessing.enclave.InferenceVerticle;
import org.privateprocessing.enclave.SealingVerticle;
import org.privateprocessing.enclave.StreamingVerticle;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.relay.RelayOptions;
import org.privateprocessing.relay.RelayVerticle;

/** Retries that lose nothing: the relay tries the next gateway, the SDK tries another enclave. */
class FailoverTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private HttpServer gateway(AtomicInteger hits) throws Exception {
    return PrivatePathTest.await(
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              if (request.method() == io.vertx.core.http.HttpMethod.POST) {
                                // the relay's key-list reads are GETs; count requests only
                                hits.incrementAndGet();
                              }
                              request
                                  .response()
                                  .putHeader("content-type", MediaTypes.OHTTP_RESPONSE)
                                  .end(body);
                            }))
            .listen(0, "127.0.0.1"));
  }

  private int relay(String... gatewayUrls) throws Exception {
    RelayVerticle relay =
        new RelayVerticle(
            RelayOptions.fromJson(
                new JsonObject()
                    .put("port", 0)
                    .put("gatewayUrls", new JsonArray(java.util.List.of((Object[]) gatewayUrls)))
                    .put("connectTimeoutMs", 1000)));
    PrivatePathTest.await(vertx.deployVerticle(relay));
    return relay.actualPort();
  }

  private HttpResponse<Buffer> post(int port) throws Exception {
    return PrivatePathTest.await(
        WebClient.create(vertx)
            .post(port, "127.0.0.1", "/")
            .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
            .sendBuffer(Buffer.buffer(new byte[] {7})));
  }

  @Test
  @DisplayName(
      "when the first gateway refuses the connection the relay delivers to the next, every time")
  void relayTriesTheNextGateway() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    HttpServer up = gateway(hits);
    int port = relay("http://127.0.0.1:" + closedPort(), "http://127.0.0.1:" + up.actualPort());
    for (int i = 0; i < 4; i++) {
      HttpResponse<Buffer> response = post(port);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body().getBytes()).containsExactly(7);
    }
    assertThat(hits.get()).isEqualTo(4);
  }

  @Test
  @DisplayName("requests are spread over two gateways that serve the same key list, half each")
  void relaySpreadsOverGateways() throws Exception {
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    int port =
        relay(
            "http://127.0.0.1:" + gateway(a).actualPort(),
            "http://127.0.0.1:" + gateway(b).actualPort());
    for (int i = 0; i < 4; i++) {
      assertThat(post(port).statusCode()).isEqualTo(200);
    }
    assertThat(a.get()).isEqualTo(2);
    assertThat(b.get()).isEqualTo(2);
  }

  @Test
  @DisplayName("with every gateway down the relay answers the usual 502 problem")
  void allGatewaysDownIs502() throws Exception {
    int port = relay("http://127.0.0.1:" + closedPort(), "http://127.0.0.1:" + closedPort());
    HttpResponse<Buffer> response = post(port);
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.bodyAsString()).contains("not reachable");
  }

  @Test
  @DisplayName("gatewayUrls must be a non-empty list of URLs; gatewayUrl alone still works")
  void gatewayUrlsChecked() {
    assertThatThrownBy(
            () -> RelayOptions.fromJson(new JsonObject().put("gatewayUrls", new JsonArray())))
        .hasMessageContaining("relay.gatewayUrls");
    assertThatThrownBy(
            () ->
                RelayOptions.fromJson(
                    new JsonObject().put("gatewayUrls", new JsonArray().add("ftp://x"))))
        .hasMessageContaining("relay.gatewayUrls");
    RelayOptions single =
        RelayOptions.fromJson(new JsonObject().put("gatewayUrl", "http://127.0.0.1:9"));
    assertThat(single.gatewayUrls()).containsExactly("http://127.0.0.1:9");
    assertThat(single.withGatewayUrl("http://127.0.0.1:10").gatewayUrls())
        .containsExactly("http://127.0.0.1:10");
  }

  /** The all-in-one node, and a client that trusts its enclave and a second, full one. */
  private record TwoEnclaves(
      Node.Running node, PrivateProcessingClient client, EnclaveAttestation full) {}

  /** Trust in the full enclave alone (the node's own is signed by another simulated root). */
  private static org.privateprocessing.client.EnclaveTrust onlyTheFullOne(TwoEnclaves two)
      throws Exception {
    return org.privateprocessing.client.EnclaveTrust.simulated(
        org.privateprocessing.attest.TrustAnchors.trustSimulatedRoots(
            java.util.List.of(two.full().simulatedRoot().orElseThrow())),
        java.util.List.of(two.full().measurementHex()));
  }

  /**
   * The all-in-one node with a second enclave listed beside its own that refuses everything (its
   * whole-message and its streamed way in have room for 0 requests), attested like any enclave (its
   * own simulated root, the same measurement), so the client may pick it.
   */
  private TwoEnclaves twoEnclaves() throws Exception {
    SecureRandom random = new SecureRandom();
    EnclaveIdentity keys = EnclaveIdentity.generate("f0110000000000ff", null, random);
    EnclaveAttestation attestation =
        EnclaveAttestation.start(
            new AttestationOptions(
                AttestationOptions.SIMULATED,
                java.nio.file.Path.of("/nonexistent"),
                60,
                "127.0.0.1",
                -1),
            keys.id(),
            keys.keyConfigs(),
            null,
            random,
            java.time.Instant.now());
    EnclaveIdentity full = keys.withAttestation(attestation);
    org.privateprocessing.infer.Model model = new org.privateprocessing.infer.EmbeddedModel();
    PrivatePathTest.await(vertx.deployVerticle(new SealingVerticle(full)));
    PrivatePathTest.await(vertx.deployVerticle(new InferenceVerticle(full, model, 0)));
    PrivatePathTest.await(
        vertx.deployVerticle(
            new StreamingVerticle(
                full,
                model,
                new org.privateprocessing.core.InFlightLimiter(0),
                10_000,
                org.privateprocessing.ohttp.ChunkLimits.DEFAULT)));
    PrivatePathTest.await(vertx.deployVerticle(new AttestationVerticle(full, 10_000)));
    PrivatePathTest.await(
        vertx.deployVerticle(
            EnclaveAnnouncer.fromJson(full.id(), new EnclaveHandshake(full)::describe, null)));
    JsonObject conf =
        DemoConf.allInOne()
            .put(
                "gateway",
                new JsonObject().put("port", 0).put("enclaves", new JsonArray().add(full.id())));
    Node.Running node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf));
    assertThat(attestation.measurementHex()).isEqualTo(node.attestation().measurementHex());
    PrivateProcessingClient client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay(node.relayUrl())
                .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                .withTrust(
                    org.privateprocessing.client.EnclaveTrust.simulated(
                        org.privateprocessing.attest.TrustAnchors.trustSimulatedRoots(
                            java.util.List.of(
                                attestation.simulatedRoot().orElseThrow(),
                                node.attestation().simulatedRoot().orElseThrow())),
                        java.util.List.of(node.attestation().measurementHex()))));
    assertThat(PrivatePathTest.await(client.enclaves())).hasSize(2);
    return new TwoEnclaves(node, client, attestation);
  }

  private static SummarizeRequest chat() throws Exception {
    return SummarizeRequest.parse(
        EnclaveApiTest.CHAT.formatted(false).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName(
      "the SDK retries once on another enclave when the gateway says the chosen one is overloaded")
  void sdkRetriesOnAnotherEnclave() throws Exception {
    TwoEnclaves two = twoEnclaves();
    try (PrivateProcessingClient client = two.client()) {
      // The SDK picks at random; about half of these go to the full enclave first.
      for (int i = 0; i < 12; i++) {
        assertThat(PrivatePathTest.await(client.summarize(chat())).enclave().id())
            .isEqualTo(two.node().enclaveId());
      }
    }
  }

  @Test
  @DisplayName(
      "a streamed call refused by a full enclave before any text moves to the other one, and streams there")
  void sdkRetriesAStreamOnAnotherEnclave() throws Exception {
    TwoEnclaves two = twoEnclaves();
    try (PrivateProcessingClient client = two.client()) {
      for (int i = 0; i < 12; i++) {
        java.util.List<String> pieces = new java.util.concurrent.CopyOnWriteArrayList<>();
        AnswerStream<SummarizeResponse> stream = client.summarizeStreaming(chat());
        stream.text().handler(pieces::add);
        PrivateProcessingClient.Answered<SummarizeResponse> answered =
            PrivatePathTest.await(stream.answered());
        assertThat(answered.receipt().enclaveId()).isEqualTo(two.node().enclaveId());
        assertThat(answered.answer().enclave().id()).isEqualTo(two.node().enclaveId());
        assertThat(pieces).isNotEmpty();
        assertThat(String.join("", pieces)).isEqualTo(answered.answer().summary());
      }
    }
  }

  @Test
  @DisplayName(
      "with only the full enclave to trust, the streamed call fails with its 503 and no text")
  void streamWithNoOtherEnclaveKeepsTheRefusal() throws Exception {
    TwoEnclaves two = twoEnclaves();
    try (PrivateProcessingClient client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay(two.node().relayUrl())
                .withIssuer(two.node().issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                .withTrust(onlyTheFullOne(two)))) {
      two.client().close();
      assertThat(PrivatePathTest.await(client.enclaves()))
          .singleElement()
          .satisfies(e -> assertThat(e.id()).isEqualTo("f0110000000000ff"));
      java.util.List<String> pieces = new java.util.concurrent.CopyOnWriteArrayList<>();
      AnswerStream<SummarizeResponse> stream = client.summarizeStreaming(chat());
      stream.text().handler(pieces::add);
      Throwable t =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> PrivatePathTest.await(stream.answer()));
      assertThat(t.getCause())
          .isInstanceOfSatisfying(
              PrivateProcessingException.class,
              p -> {
                assertThat(p.source()).isEqualTo(PrivateProcessingException.Source.GATEWAY);
                assertThat(p.status()).isEqualTo(503);
              });
      assertThat(pieces).isEmpty();
    }
  }
}
