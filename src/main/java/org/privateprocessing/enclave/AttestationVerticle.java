package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.NodeMetrics;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.Problems;

/**
 * The attestation-handshake stage of one enclave on {@link Addresses#handshake}: answers a {@link
 * #DESCRIBE} request with the enclave's public description, and wires step 1 of the {@link
 * EnclaveStage} ({@link EnclaveHandshake#admit}): an inner request goes on to inference only if it
 * is sealed to one of the enclave's live keys.
 */
public final class AttestationVerticle extends VerticleBase {
  /** The body that asks an enclave to describe itself. */
  public static final JsonObject DESCRIBE = new JsonObject().put("op", "describe");

  private final EnclaveIdentity identity;
  private final long inferTimeoutMs;
  private NodeMetrics metrics = NodeMetrics.NONE;

  public AttestationVerticle(EnclaveIdentity identity, long inferTimeoutMs) {
    this.identity = identity;
    this.inferTimeoutMs = inferTimeoutMs;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    EnclaveHandshake handshake = new EnclaveHandshake(identity);
    metrics = NodeMetrics.of(vertx);
    // Ciphertext only, yet only this JVM holds the keys that open it: a node that registered the
    // same address elsewhere must never receive it.
    DeliveryOptions toInference =
        new DeliveryOptions().setSendTimeout(inferTimeoutMs).setLocalOnly(true);
    MessageConsumer<Object> consumer =
        vertx
            .eventBus()
            .consumer(
                Addresses.handshake(identity.id()),
                message -> handle(message, handshake, toInference));
    return consumer.completion();
  }

  private void handle(
      Message<Object> message, EnclaveHandshake handshake, DeliveryOptions toInference) {
    if (message.body() instanceof JsonObject) {
      // Described at each request: the keys rotate.
      message.reply(handshake.describe());
      return;
    }
    // Counted by how the inner layer went: answered (sealed, whatever the API said inside) or
    // refused before it opened, by problem type.
    NodeMetrics.Exchange exchange = metrics.begin(NodeMetrics.Stage.ENCLAVE);
    Envelope request;
    try {
      request = handshake.admit(message.body());
    } catch (PipelineException e) {
      refused(exchange, e);
      Problems.fail(message, e);
      return;
    }
    vertx
        .eventBus()
        .<Envelope>request(Addresses.infer(identity.id()), request, toInference)
        .onSuccess(
            reply -> {
              exchange.end(NodeMetrics.Outcome.ANSWERED);
              message.reply(reply.body());
            })
        .onFailure(
            t -> {
              refused(exchange, t);
              Problems.fail(message, t);
            });
  }

  private static void refused(NodeMetrics.Exchange exchange, Throwable t) {
    PipelineException e = Problems.toPipelineException(t);
    exchange.problem(e.type(), e.status());
    exchange.end(e.status());
  }
}
