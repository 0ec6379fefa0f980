package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SuggestResponse;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.api.Tone;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.EnclaveDescriptor;
import org.privateprocessing.client.GatewayListing;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.enclave.EnclaveApiTest;
import org.privateprocessing.ohttp.EncapsulatedRequest;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.token.PrivateTokenAuthorization;

/**
 * The whole private path on loopback (relay, gateway, enclave in one Vert.x), driven over real HTTP
 * by the SDK and by hand-built bad requests. The servers must stay up through all of it.
 */
public class PrivatePathTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static Vertx vertx;
  private static Node.Running node;
  private static WebClient http;
  private static PrivateProcessingClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JsonObject conf =
        DemoConf.allInOne()
            .put("relay", new JsonObject().put("port", 0).put("maxBodyBytes", 16 * 1024))
            .put("enclave", new JsonObject().put("id", "5e1ec7ed00000001"));
    node = await(Node.start(vertx, Role.ALL, conf));
    http = WebClient.create(vertx);
    client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay(node.relayUrl())
                .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                .withTrust(trust(node)));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    await(vertx.close());
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  /**
   * Slots of a stage's in-flight limit ({@code gateway}, {@code enclave}) held now, as the node's
   * {@code pp.limiter.in.flight} gauge reads them; {@code vertx} must carry the node's meters
   * ({@link Node#vertx(io.vertx.core.json.JsonObject)}).
   */
  static double limiterSlots(io.vertx.core.Vertx vertx, String stage) {
    return org.privateprocessing.core.NodeMetrics.of(vertx)
        .registry()
        .find("pp.limiter.in.flight")
        .tag("stage", stage)
        .gauge()
        .value();
  }

  private static SummarizeRequest sampleChat(boolean advancedChatPrivacy) throws Exception {
    return SummarizeRequest.parse(
        EnclaveApiTest.CHAT.formatted(advancedChatPrivacy).getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<Buffer> postToRelay(String contentType, byte[] body)
      throws Exception {
    return await(
        http.postAbs(node.relayUrl() + "/")
            .putHeader("content-type", contentType)
            .sendBuffer(Buffer.buffer(body)));
  }

  private static KeyConfig gatewayKey() throws Exception {
    HttpResponse<Buffer> keys =
        await(http.getAbs(node.relayUrl() + "/.well-known/ohttp-gateway").send());
    return KeyConfigs.preferred(KeyConfigs.parse(keys.body().getBytes())).orElseThrow();
  }

  /**
   * Seals a Binary HTTP message to the gateway by hand, posts it to the relay, opens the answer.
   */
  private static BinaryHttpResponse outerRoundTrip(byte[] bhttp) throws Exception {
    EncapsulatedRequest sealed = RequestEncapsulator.encapsulate(gatewayKey(), bhttp, RANDOM);
    HttpResponse<Buffer> answer = postToRelay(MediaTypes.OHTTP_REQUEST, sealed.bytes());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.getHeader("content-type")).isEqualTo(MediaTypes.OHTTP_RESPONSE);
    return BinaryHttpResponse.parse(sealed.opener().open(answer.body().getBytes()));
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
    Problem problem = Problem.parse(response.body().getBytes());
    assertThat(problem.status()).isEqualTo(status);
    assertThat(problem.detail()).isNotBlank();
  }

  @Test
  @DisplayName(
      "a client that does not trust the enclave's measurement or root sends nothing and says why")
  void clientFailsClosed() throws Exception {
    String chat = EnclaveApiTest.CHAT.formatted(false);
    SummarizeRequest request = SummarizeRequest.parse(chat.getBytes(StandardCharsets.UTF_8));
    org.privateprocessing.client.EnclaveTrust otherRelease =
        org.privateprocessing.client.EnclaveTrust.simulated(
            node.attestation().simulatedRoot().orElseThrow(), List.of("00".repeat(48)));
    org.privateprocessing.client.EnclaveTrust amdOnly =
        org.privateprocessing.client.EnclaveTrust.amd(List.of(node.attestation().measurementHex()));
    for (var trust :
        List.of(otherRelease, amdOnly, org.privateprocessing.client.EnclaveTrust.none())) {
      try (PrivateProcessingClient strict =
          PrivateProcessingClient.create(
              vertx,
              ClientOptions.forRelay(node.relayUrl())
                  .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                  .withTrust(trust))) {
        assertThatThrownBy(() -> await(strict.summarize(request)))
            .hasCauseInstanceOf(PrivateProcessingException.class)
            .cause()
            .hasMessageContaining("no listed enclave could be verified, so nothing was sent")
            .hasMessageContaining(node.enclaveId());
        // Nothing was sent: not even a token was fetched for a request that could not go anywhere.
        assertThat(strict.wallet().readyCount(await(strict.listing()).tokenChallenges().get(0)))
            .isZero();
      }
    }
  }

  @Test
  @DisplayName("a chat is summarised through relay, gateway and enclave, sealed twice")
  void summarizesThroughThePrivatePath() throws Exception {
    SummarizeResponse response = await(client.summarize(sampleChat(false)));
    assertThat(response.summary()).isNotBlank();
    assertThat(response.highlights()).isNotEmpty();
    assertThat(response.model().name()).isEqualTo("extractive-textrank");
    assertThat(response.enclave().id()).isEqualTo("5e1ec7ed00000001");
  }

  @Test
  @DisplayName("a draft gets suggestions through the private path")
  void suggestsThroughThePrivatePath() throws Exception {
    SuggestResponse response =
        await(
            client.suggest(
                new SuggestRequest(
                    new Chat("c1", null, false), "i dont know teh answer", Tone.PROOFREAD)));
    assertThat(response.suggestions()).isNotEmpty();
  }

  @Test
  @DisplayName("the client seals to the post-quantum key configs when offered, for both layers")
  void clientPrefersPostQuantum() throws Exception {
    assertThat(gatewayKey().kemId()).isEqualTo(HpkeIds.KEM_X_WING);
    List<EnclaveDescriptor> enclaves = await(client.enclaves());
    assertThat(enclaves).hasSize(1);
    assertThat(enclaves.get(0).preferredKeyConfig().kemId()).isEqualTo(HpkeIds.KEM_X_WING);
  }

  @Test
  @DisplayName("a chat with advanced chat privacy is refused by the SDK before anything is sent")
  void sdkRefusesAdvancedChatPrivacy() {
    assertThatThrownBy(() -> await(client.summarize(sampleChat(true))))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            PrivateProcessingException.class,
            e -> {
              assertThat(e.source()).isEqualTo(PrivateProcessingException.Source.CLIENT);
              assertThat(e.status()).isEqualTo(403);
            });
  }

  @Test
  @DisplayName("wrong content type at the relay gets 415")
  void wrongContentTypeIs415() throws Exception {
    assertProblem(postToRelay("application/json", new byte[] {1}), 415);
  }

  @Test
  @DisplayName("a body over the relay's limit gets 413")
  void oversizedBodyIs413() throws Exception {
    assertProblem(postToRelay(MediaTypes.OHTTP_REQUEST, new byte[20 * 1024]), 413);
  }

  @Test
  @DisplayName(
      "an outer layer that cannot be opened gets a plain 400 problem; an unknown key id too")
  void unopenableOuterLayerIs400() throws Exception {
    assertProblem(
        postToRelay(MediaTypes.OHTTP_REQUEST, new byte[] {0, 0, 0x20, 0, 1, 0, 1, 5, 5, 5}), 400);
    byte[] sealed = RequestEncapsulator.encapsulate(gatewayKey(), new byte[] {1}, RANDOM).bytes();
    sealed[0] = 77;
    HttpResponse<Buffer> unknownKey = postToRelay(MediaTypes.OHTTP_REQUEST, sealed);
    assertProblem(unknownKey, 400);
    assertThat(unknownKey.bodyAsString()).contains("ohttp-unknown-key-id");
  }

  @Test
  @DisplayName("an empty body gets a plain 400 problem, not a crash")
  void emptyBodyIs400() throws Exception {
    assertProblem(postToRelay(MediaTypes.OHTTP_REQUEST, new byte[0]), 400);
  }

  @Test
  @DisplayName(
      "the gateway's own listener refuses wrong types, oversized bodies and unknown paths with problems")
  void gatewayListenerRefusesBadRequests() throws Exception {
    String gateway = "http://127.0.0.1:" + node.gatewayPort();
    assertProblem(
        await(
            http.postAbs(gateway + "/ohttp")
                .putHeader("content-type", "text/plain")
                .sendBuffer(Buffer.buffer("x"))),
        415);
    assertProblem(
        await(
            http.postAbs(gateway + "/ohttp")
                .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
                .sendBuffer(Buffer.buffer(new byte[70 * 1024]))),
        413);
    assertProblem(await(http.getAbs(gateway + "/ohttp").send()), 404);
  }

  @Test
  @DisplayName("malformed Binary HTTP inside the outer layer gets an encapsulated 400")
  void malformedBinaryHttpIsEncapsulated400() throws Exception {
    BinaryHttpResponse response = outerRoundTrip(new byte[] {0, 9, 'X'});
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("content-type")).contains(Problem.MEDIA_TYPE);
  }

  @Test
  @DisplayName("an unknown enclave id gets an encapsulated 404")
  void unknownEnclaveIsEncapsulated404() throws Exception {
    BinaryHttpResponse response =
        outerRoundTrip(
            BinaryHttpRequest.of(
                    "POST",
                    "https",
                    "gateway",
                    "/v1/enclave/0123456789abcdef",
                    List.of(new Field("content-type", MediaTypes.OHTTP_REQUEST)),
                    new byte[] {1})
                .encode());
    assertThat(response.status()).isEqualTo(404);
  }

  /** A token from the client's wallet, as an Authorization header value. */
  private static String token() throws Exception {
    GatewayListing listing = await(client.listing());
    return PrivateTokenAuthorization.header(
        await(client.wallet().take(listing.tokenChallenges().get(0))));
  }

  private static BinaryHttpRequest toEnclave(String id, byte[] inner, String authorization) {
    return BinaryHttpRequest.of(
        "POST",
        "https",
        "gateway",
        "/v1/enclave/" + id,
        List.of(
            new Field("content-type", MediaTypes.OHTTP_REQUEST),
            new Field("authorization", authorization)),
        inner);
  }

  /** Sends an inner request built by hand, to test what the enclave itself does with bad input. */
  private static BinaryHttpResponse innerRoundTrip(String path, String json) throws Exception {
    EnclaveDescriptor enclave = await(client.enclaves()).get(0);
    byte[] innerBhttp =
        BinaryHttpRequest.of(
                "POST",
                "https",
                "enclave",
                path,
                List.of(new Field("content-type", "application/json")),
                json.getBytes(StandardCharsets.UTF_8))
            .encode();
    EncapsulatedRequest inner =
        RequestEncapsulator.encapsulate(enclave.preferredKeyConfig(), innerBhttp, RANDOM);
    BinaryHttpResponse outer =
        outerRoundTrip(toEnclave(enclave.id(), inner.bytes(), token()).encode());
    assertThat(outer.status()).isEqualTo(200);
    return BinaryHttpResponse.parse(inner.opener().open(outer.content()));
  }

  @Test
  @DisplayName(
      "malformed or oversized chat JSON gets a 400 problem naming the field, sealed to the client")
  void badChatJsonNamesTheField() throws Exception {
    BinaryHttpResponse malformed = innerRoundTrip("/v1/summarize", "{\"chat\":");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(Problem.parse(malformed.content()).detail()).startsWith("$");

    String big = "x".repeat(4001);
    BinaryHttpResponse oversized =
        innerRoundTrip(
            "/v1/summarize",
            "{\"chat\":{\"id\":\"c\"},\"messages\":[{\"id\":\"m1\",\"from\":\"A\",\"text\":\""
                + big
                + "\"}]}");
    assertThat(oversized.status()).isEqualTo(400);
    assertThat(Problem.parse(oversized.content()).detail()).startsWith("messages[0].text");
  }

  @Test
  @DisplayName("the enclave refuses advanced chat privacy too, when a client skips the check")
  void enclaveRefusesAdvancedChatPrivacy() throws Exception {
    BinaryHttpResponse response =
        innerRoundTrip("/v1/summarize", EnclaveApiTest.CHAT.formatted("true"));
    assertThat(response.status()).isEqualTo(403);
  }

  @Test
  @DisplayName(
      "an inner request that the enclave cannot open gets an encapsulated 400 from the gateway")
  void unopenableInnerLayerIs400() throws Exception {
    EnclaveDescriptor enclave = await(client.enclaves()).get(0);
    byte[] inner =
        RequestEncapsulator.encapsulate(enclave.preferredKeyConfig(), new byte[] {1}, RANDOM)
            .bytes();
    inner[inner.length - 1] ^= 1;
    BinaryHttpResponse outer = outerRoundTrip(toEnclave(enclave.id(), inner, token()).encode());
    assertThat(outer.status()).isEqualTo(400);
    assertThat(Problem.parse(outer.content()).type()).contains("inner-");
  }

  @Test
  @DisplayName(
      "a replayed token is refused with an encapsulated 401 and a fresh PrivateToken challenge")
  void replayedTokenIs401() throws Exception {
    EnclaveDescriptor enclave = await(client.enclaves()).get(0);
    String token = token();
    byte[] bhttp =
        BinaryHttpRequest.of(
                "POST",
                "https",
                "enclave",
                "/v1/suggest",
                List.of(new Field("content-type", "application/json")),
                "{\"chat\":{\"id\":\"c\"},\"draft\":\"hi\",\"tone\":\"formal\"}"
                    .getBytes(StandardCharsets.UTF_8))
            .encode();
    byte[] first =
        RequestEncapsulator.encapsulate(enclave.preferredKeyConfig(), bhttp, RANDOM).bytes();
    assertThat(outerRoundTrip(toEnclave(enclave.id(), first, token).encode()).status())
        .isEqualTo(200);
    byte[] second =
        RequestEncapsulator.encapsulate(enclave.preferredKeyConfig(), bhttp, RANDOM).bytes();
    BinaryHttpResponse replay = outerRoundTrip(toEnclave(enclave.id(), second, token).encode());
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.header("www-authenticate"))
        .hasValueSatisfying(v -> assertThat(v).contains("PrivateToken challenge="));
    assertThat(Problem.parse(replay.content()).type()).endsWith("token-replayed");
  }

  @Test
  @DisplayName("after all the bad input the pipeline still answers")
  void staysUpAfterBadInput() throws Exception {
    wrongContentTypeIs415();
    unopenableOuterLayerIs400();
    malformedBinaryHttpIsEncapsulated400();
    java.util.Random garbage = new java.util.Random(42);
    for (int i = 0; i < 100; i++) {
      byte[] body = new byte[garbage.nextInt(2000)];
      garbage.nextBytes(body);
      if (body.length > 0 && i % 2 == 0) {
        body[0] = 1; // a live key id, so the gateway gets as far as decryption
      }
      assertProblem(postToRelay(MediaTypes.OHTTP_REQUEST, body), 400);
    }
    assertThat(await(client.summarize(sampleChat(false))).summary()).isNotBlank();
  }

  /** The in-process demo's explicit trust: its own simulated root and measurement, nothing else. */
  public static org.privateprocessing.client.EnclaveTrust trust(Node.Running node) {
    return org.privateprocessing.client.EnclaveTrust.simulated(
        node.attestation().simulatedRoot().orElseThrow(),
        List.of(node.attestation().measurementHex()));
  }
}
