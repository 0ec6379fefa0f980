package org.privateprocessing.pipeline;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;

/**
 * The credential stage on {@link Addresses#CREDENTIAL}: wires event-bus requests to a
 * {@link GatewayRouter} (outer layer, token check, routing), reaching enclaves through their
 * handshake addresses.
 */
public final class CredentialVerticle extends VerticleBase {
  private final GatewayOptions options;
  private final GatewayIdentity identity;
  private final CredentialCheck credentials;

  public CredentialVerticle(GatewayOptions options, GatewayIdentity identity, CredentialCheck credentials) {
    this.options = options;
    this.identity = identity;
    this.credentials = credentials;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    GatewayRouter router = new GatewayRouter(identity, options.enclaves(),
        new EventBusEnclaveLink(options.enclaveTimeoutMs()), credentials,
        options.issuerUrl() + IssuerService.DIRECTORY_PATH, new SecureRandom());
    MessageConsumer<Envelope> consumer = vertx.eventBus().consumer(Addresses.CREDENTIAL, message ->
        router.handle(message.body().ciphertext())
            .onSuccess(sealed -> message.reply(Envelope.of(Envelope.Kind.OUTER_RESPONSE, sealed)))
            .onFailure(t -> Problems.fail(message, t)));
    return consumer.completion();
  }

  /** Enclaves as event-bus addresses; a missing or slow one surfaces as a failed future (503). */
  private final class EventBusEnclaveLink implements EnclaveLink {
    private final DeliveryOptions delivery;

    EventBusEnclaveLink(long timeoutMs) {
      this.delivery = new DeliveryOptions().setSendTimeout(timeoutMs);
    }

    @Override
    public Future<JsonObject> describe(String enclaveId) {
      return vertx.eventBus().<JsonObject>request(Addresses.handshake(enclaveId),
          AttestationVerticle.DESCRIBE, delivery).map(m -> m.body());
    }

    @Override
    public Future<byte[]> forward(String enclaveId, byte[] innerRequest) {
      return vertx.eventBus().<Envelope>request(Addresses.handshake(enclaveId),
          Envelope.of(Envelope.Kind.INNER_REQUEST, innerRequest), delivery)
          .map(m -> m.body().ciphertext());
    }
  }
}
