package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.Problems;
import org.privateprocessing.enclave.EnclaveApiTest;
import org.privateprocessing.enclave.EnclaveIdentity;
import org.privateprocessing.enclave.EnclaveOptions;
import org.privateprocessing.enclave.InferenceVerticle;
import org.privateprocessing.enclave.SealingVerticle;
import org.privateprocessing.gateway.GatewayIdentity;
import org.privateprocessing.gateway.GatewayOptions;
import org.privateprocessing.gateway.GatewayVerticle;
import org.privateprocessing.infer.Answer;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.infer.Model;
import org.privateprocessing.infer.Summary;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.RequestEncapsulator;

/**
 * Bounded queues: an enclave and a gateway over capacity answer 503 + Retry-After, and their
 * counters come back to 0.
 */
class BackpressureTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Codecs.register(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
  }

  /** Blocks every summary until released: a model that is slow for as long as the test wants. */
  private static final class BlockingModel implements Model {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(2);
    private final Model real = new EmbeddedModel();

    @Override
    public ModelInfo info() {
      return real.info();
    }

    @Override
    public Answer<Summary> summarize(SummarizeRequest request) {
      entered.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return real.summarize(request);
    }

    @Override
    public Answer<List<Suggestion>> suggest(SuggestRequest request) {
      return real.suggest(request);
    }
  }

  private static Envelope innerRequest(EnclaveIdentity identity) throws Exception {
    byte[] bhttp =
        EnclaveApiTest.post(
                "/v1/summarize", "application/json", EnclaveApiTest.CHAT.formatted(false))
            .encode();
    return Envelope.of(
        Envelope.Kind.INNER_REQUEST,
        RequestEncapsulator.encapsulate(identity.keyConfigs().get(0), bhttp, RANDOM).bytes());
  }

  @Test
  @DisplayName(
      "an enclave whose queue is full answers 503 overloaded with Retry-After 1, and its count returns to 0")
  void fullEnclaveQueueIs503() throws Exception {
    EnclaveIdentity identity = EnclaveIdentity.generate("ab12", null, RANDOM);
    BlockingModel model = new BlockingModel();
    InferenceVerticle inference = new InferenceVerticle(identity, model, 2);
    PrivatePathTest.await(vertx.deployVerticle(new SealingVerticle(identity)));
    PrivatePathTest.await(vertx.deployVerticle(inference));

    String address = Addresses.infer(identity.id());
    Future<Object> first =
        vertx.eventBus().request(address, innerRequest(identity)).map(m -> m.body());
    Future<Object> second =
        vertx.eventBus().request(address, innerRequest(identity)).map(m -> m.body());
    assertThat(model.entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(inference.queued()).isEqualTo(2);

    ExecutionException refused =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ExecutionException.class,
            () -> PrivatePathTest.await(vertx.eventBus().request(address, innerRequest(identity))));
    ReplyException reply = (ReplyException) refused.getCause();
    assertThat(reply.failureCode()).isEqualTo(503);
    // What the gateway makes of it, and seals into the outer layer for the client.
    PipelineException atGateway = Problems.fromReply(reply);
    assertThat(atGateway.status()).isEqualTo(503);
    assertThat(atGateway.headers()).containsEntry("retry-after", "1");
    assertThat(atGateway.problem().type()).endsWith("overloaded");

    model.release.countDown();
    assertThat(PrivatePathTest.await(first)).isInstanceOf(Envelope.class);
    assertThat(PrivatePathTest.await(second)).isInstanceOf(Envelope.class);
    assertThat(inference.queued()).isZero();
  }

  @Test
  @DisplayName(
      "a gateway at capacity answers a plain 503 with Retry-After, and a timed-out request frees its slot")
  void gatewayAtCapacityIs503() throws Exception {
    // A credential stage that never answers: the listener's own send timeout must end each request.
    vertx
        .eventBus()
        .consumer(
            Addresses.CREDENTIAL,
            message -> {
              /* silent */
            });
    GatewayOptions options =
        GatewayOptions.fromJson(
            new JsonObject().put("port", 0).put("enclaveTimeoutMs", 2_000).put("maxInFlight", 1));
    GatewayVerticle gateway = new GatewayVerticle(options, GatewayIdentity.generate(RANDOM));
    PrivatePathTest.await(vertx.deployVerticle(gateway));
    WebClient http = WebClient.create(vertx);
    Future<HttpResponse<Buffer>> stuck = post(http, gateway.actualPort());
    // Wait until the first request holds the only slot.
    for (int i = 0; i < 200 && gateway.inFlight() == 0; i++) {
      Thread.sleep(10);
    }
    assertThat(gateway.inFlight()).isEqualTo(1);

    HttpResponse<Buffer> refused = PrivatePathTest.await(post(http, gateway.actualPort()));
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.getHeader("retry-after")).isEqualTo("1");
    assertThat(refused.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(new String(refused.body().getBytes(), StandardCharsets.UTF_8))
        .contains("overloaded");

    // The stuck one times out (503 from the event bus) and gives its slot back.
    assertThat(PrivatePathTest.await(stuck).statusCode()).isEqualTo(503);
    assertThat(gateway.inFlight()).isZero();
  }

  private static Future<HttpResponse<Buffer>> post(WebClient http, int port) {
    return http.post(port, "127.0.0.1", "/ohttp")
        .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
        .sendBuffer(Buffer.buffer(new byte[] {1, 2, 3}));
  }

  @Test
  @DisplayName("queue bounds come from the config, with defaults, and nonsense is refused")
  void boundsFromConfig() {
    assertThat(GatewayOptions.fromJson(new JsonObject()).maxInFlight())
        .isEqualTo(GatewayOptions.DEFAULT_MAX_IN_FLIGHT);
    assertThat(EnclaveOptions.fromJson(new JsonObject()).maxQueued())
        .isEqualTo(EnclaveOptions.DEFAULT_MAX_QUEUED);
    assertThat(EnclaveOptions.fromJson(new JsonObject().put("maxQueued", 3)).maxQueued())
        .isEqualTo(3);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> GatewayOptions.fromJson(new JsonObject().put("maxInFlight", 0)))
        .hasMessageContaining("gateway.maxInFlight");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> EnclaveOptions.fromJson(new JsonObject().put("maxQueued", "many")))
        .hasMessageContaining("enclave.maxQueued");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> EnclaveOptions.fromJson(new JsonObject().put("maxQueued", -1)))
        .hasMessageContaining("enclave.maxQueued");
  }
}
