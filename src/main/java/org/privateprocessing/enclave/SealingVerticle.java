package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.security.SecureRandom;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.LocalOnly;
import org.privateprocessing.core.Problems;

/**
 * The sealing stage of one enclave on {@link Addresses#seal}: wires step 4 of the {@link
 * EnclaveStage}, which encrypts a plaintext answer with the request's single-use sealer and wipes
 * the plaintext, so nothing of the answer outlives the reply. Its address receives plaintext, so it
 * is reached only with local-only messages ({@link org.privateprocessing.core.LocalOnlyCodec}).
 */
public final class SealingVerticle extends VerticleBase {
  private final EnclaveIdentity identity;

  public SealingVerticle(EnclaveIdentity identity) {
    this.identity = identity;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    SecureRandom random = new SecureRandom();
    MessageConsumer<LocalOnly<PlainResponse>> consumer =
        vertx.eventBus().consumer(Addresses.seal(identity.id()), message -> seal(message, random));
    return consumer.completion();
  }

  private static void seal(Message<LocalOnly<PlainResponse>> message, SecureRandom random) {
    try {
      message.reply(EnclaveStage.seal(message.body().value(), random));
    } catch (RuntimeException e) {
      Problems.fail(message, e);
    }
  }
}
