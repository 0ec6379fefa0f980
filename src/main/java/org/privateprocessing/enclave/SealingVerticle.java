package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.security.SecureRandom;
import java.util.Arrays;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.LocalOnly;
import org.privateprocessing.core.Problems;

/**
 * The sealing stage of one enclave on {@link Addresses#seal}: encrypts a plaintext answer with the
 * request's single-use sealer and wipes the plaintext, so nothing of the answer outlives the reply.
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
        vertx
            .eventBus()
            .consumer(
                Addresses.seal(identity.id()),
                message -> {
                  PlainResponse plain = message.body().value();
                  try {
                    byte[] sealed = plain.sealer().seal(plain.binaryHttp(), random);
                    message.reply(Envelope.of(Envelope.Kind.INNER_RESPONSE, sealed));
                  } catch (RuntimeException e) {
                    Problems.fail(message, e);
                  } finally {
                    Arrays.fill(plain.binaryHttp(), (byte) 0);
                  }
                });
    return consumer.completion();
  }
}
