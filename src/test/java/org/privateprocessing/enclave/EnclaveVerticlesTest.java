package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.node.PrivatePathTest;
import org.privateprocessing.ohttp.EncapsulatedRequest;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;

/**
 * The wiring of the enclave's three verticles to {@link EnclaveStage}: what the gateway sends to
 * the handshake address comes back sealed, or as a problem failure. The stage's decisions
 * themselves are {@link EnclaveStageTest}'s.
 */
class EnclaveVerticlesTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long SEND_TIMEOUT_MS = 600_000;

  private final EnclaveIdentity identity = EnclaveIdentity.generate("ab12", null, RANDOM);
  private Vertx vertx;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    PrivatePathTest.await(vertx.deployVerticle(new SealingVerticle(identity)));
    PrivatePathTest.await(
        vertx.deployVerticle(new InferenceVerticle(identity, new EmbeddedModel(), 4)));
    PrivatePathTest.await(vertx.deployVerticle(new AttestationVerticle(identity, 10_000)));
  }

  @AfterEach
  void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
  }

  private Object request(String address, Object body) throws Exception {
    return PrivatePathTest.await(
        vertx
            .eventBus()
            .request(address, body, new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS))
            .map(m -> m.body()));
  }

  /** The failure of a request that must fail at once (well within the long send timeout). */
  private ReplyException failure(String address, Object body) throws Exception {
    try {
      vertx
          .eventBus()
          .request(address, body, new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS))
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (ReplyException) e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static String slugOf(ReplyException e) throws Exception {
    assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    String type = Problem.parse(e.getMessage().getBytes(StandardCharsets.UTF_8)).type();
    return type.substring(Problem.TYPE_PREFIX.length());
  }

  @Test
  @DisplayName("the handshake address describes the enclave")
  void describe_answersTheDescription() throws Exception {
    Object description = request(Addresses.handshake("ab12"), AttestationVerticle.DESCRIBE);
    assertThat(description).isEqualTo(new EnclaveHandshake(identity).describe());
    assertThat(((JsonObject) description).getString("id")).isEqualTo("ab12");
  }

  @Test
  @DisplayName(
      "an inner request passes handshake, inference and sealing, and comes back sealed for the client")
  void innerRequest_comesBackSealed() throws Exception {
    byte[] inner =
        EnclaveApiTest.post(
                "/v1/summarize", "application/json", EnclaveApiTest.CHAT.formatted(false))
            .encode();
    EncapsulatedRequest sent =
        RequestEncapsulator.encapsulate(identity.keyConfigs().get(1), inner, RANDOM);
    Object answer =
        request(
            Addresses.handshake("ab12"), Envelope.of(Envelope.Kind.INNER_REQUEST, sent.bytes()));
    assertThat(answer).isInstanceOf(Envelope.class);
    Envelope envelope = (Envelope) answer;
    assertThat(envelope.kind()).isEqualTo(Envelope.Kind.INNER_RESPONSE);
    assertThat(BinaryHttpResponse.parse(sent.opener().open(envelope.ciphertext())).status())
        .isEqualTo(200);
  }

  @Test
  @DisplayName(
      "refusals travel as problem failures: from the handshake (wrong key id) and from inference (garbage ciphertext)")
  void refusals_travelAsProblems() throws Exception {
    byte[] good =
        RequestEncapsulator.encapsulate(identity.keyConfigs().get(0), new byte[] {1}, RANDOM)
            .bytes();
    byte[] wrongKey = good.clone();
    wrongKey[0] = 9;
    ReplyException unknownKey =
        failure(Addresses.handshake("ab12"), Envelope.of(Envelope.Kind.INNER_REQUEST, wrongKey));
    assertThat(unknownKey.failureCode()).isEqualTo(400);
    assertThat(slugOf(unknownKey)).isEqualTo("inner-unknown-key");

    byte[] garbage = good.clone();
    garbage[garbage.length - 1] ^= 1;
    ReplyException undecryptable =
        failure(Addresses.handshake("ab12"), Envelope.of(Envelope.Kind.INNER_REQUEST, garbage));
    assertThat(undecryptable.failureCode()).isEqualTo(400);
    assertThat(slugOf(undecryptable)).isEqualTo("inner-decryption-failed");

    ReplyException notAnEnvelope = failure(Addresses.handshake("ab12"), "hello");
    assertThat(notAnEnvelope.failureCode()).isEqualTo(400);
    assertThat(slugOf(notAnEnvelope)).isEqualTo("bad-envelope");
  }

  @Test
  @DisplayName("the sealing address answers a body that is not a plain response with a 500 at once")
  void sealing_wrongBody_failsAtOnce() throws Exception {
    ReplyException wrong = failure(Addresses.seal("ab12"), "not a plain response");
    assertThat(wrong.failureCode()).isEqualTo(500);
    assertThat(slugOf(wrong)).isEqualTo("internal");
  }
}
