package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.Problems;

/**
 * The attestation-handshake stage of one enclave on {@link Addresses#handshake}: answers a {@link
 * #DESCRIBE} request with the enclave's public description, and passes an inner request on to
 * inference only if it is sealed to one of the enclave's live keys.
 */
public final class AttestationVerticle extends VerticleBase {
  /** The body that asks an enclave to describe itself. */
  public static final JsonObject DESCRIBE = new JsonObject().put("op", "describe");

  private final EnclaveIdentity identity;
  private final long inferTimeoutMs;

  public AttestationVerticle(EnclaveIdentity identity, long inferTimeoutMs) {
    this.identity = identity;
    this.inferTimeoutMs = inferTimeoutMs;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    EnclaveHandshake handshake = new EnclaveHandshake(identity);
    JsonObject description = handshake.describe();
    DeliveryOptions toInference =
        new DeliveryOptions().setSendTimeout(inferTimeoutMs).setLocalOnly(true);
    MessageConsumer<Object> consumer =
        vertx
            .eventBus()
            .consumer(
                Addresses.handshake(identity.id()),
                message -> {
                  Object body = message.body();
                  if (body instanceof JsonObject) {
                    message.reply(description);
                    return;
                  }
                  if (!(body instanceof Envelope envelope)
                      || envelope.kind() != Envelope.Kind.INNER_REQUEST) {
                    Problems.fail(
                        message,
                        PipelineException.badRequest("bad-envelope", "expected an inner request"));
                    return;
                  }
                  try {
                    handshake.checkAddressedToLiveKey(envelope.ciphertext());
                  } catch (PipelineException e) {
                    Problems.fail(message, e);
                    return;
                  }
                  vertx
                      .eventBus()
                      .<Envelope>request(Addresses.infer(identity.id()), envelope, toInference)
                      .onSuccess(reply -> message.reply(reply.body()))
                      .onFailure(t -> Problems.fail(message, t));
                });
    return consumer.completion();
  }
}
