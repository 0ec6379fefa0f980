package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.BinaryResponses;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.InFlightLimiter;
import org.privateprocessing.core.LocalOnly;
import org.privateprocessing.core.LocalOnlyCodec;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.Problems;
import org.privateprocessing.infer.Model;
import org.privateprocessing.ohttp.DecapsulatedRequest;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.bhttp.BinaryHttpException;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;

/**
 * The inference stage of one enclave on {@link Addresses#infer}: opens the inner layer, runs the
 * enclave API (and so the model) on a worker thread, and hands the plaintext answer to the sealing
 * stage, strictly locally. What it replies is ciphertext only.
 *
 * <p>Backpressure: at most {@code maxQueued} requests wait for or run on the worker pool at once;
 * beyond that it fails the request at once with 503 {@code overloaded} and {@code Retry-After: 1},
 * which the gateway seals into the outer layer (so the client SDK may try another enclave). The
 * check comes before the inner layer is opened, so shedding costs no decryption. A slot is held
 * until the worker is done with the request (success, failure, or a model that gave up), since the
 * worker pool is what is scarce.
 */
public final class InferenceVerticle extends VerticleBase {
  private final EnclaveIdentity identity;
  private final Model model;
  private final InFlightLimiter limiter;

  public InferenceVerticle(EnclaveIdentity identity, Model model) {
    this(identity, model, EnclaveOptions.DEFAULT_MAX_QUEUED);
  }

  /**
   * @param maxQueued most requests waiting for or running on the worker pool (0 refuses all)
   */
  public InferenceVerticle(EnclaveIdentity identity, Model model, int maxQueued) {
    this.identity = identity;
    this.model = model;
    this.limiter = new InFlightLimiter(maxQueued);
  }

  /** Requests waiting for or running on a worker now (for tests and metrics). */
  public int queued() {
    return limiter.inFlight();
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    EnclaveApi api = new EnclaveApi(model, identity);
    DeliveryOptions toSealing = LocalOnlyCodec.delivery();
    MessageConsumer<Envelope> consumer =
        vertx
            .eventBus()
            .consumer(Addresses.infer(identity.id()), message -> handle(message, api, toSealing));
    return consumer.completion();
  }

  private void handle(Message<Envelope> message, EnclaveApi api, DeliveryOptions toSealing) {
    limiter
        .run(() -> serve(message, api, toSealing), () -> InFlightLimiter.overloaded("the enclave"))
        .onSuccess(message::reply)
        .onFailure(t -> Problems.fail(message, t));
  }

  private Future<Envelope> serve(
      Message<Envelope> message, EnclaveApi api, DeliveryOptions toSealing) {
    DecapsulatedRequest opened;
    try {
      // No key, no way to answer privately: this failure goes back unencrypted, and says nothing of
      // content.
      opened = identity.keys().decapsulate(message.body().ciphertext());
    } catch (OhttpException e) {
      return Future.failedFuture(
          PipelineException.badRequest(
              "inner-" + e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
              "inner request could not be decapsulated: " + e.getMessage()));
    }
    byte[] content = opened.content();
    return vertx
        .executeBlocking(() -> answer(api, content), false)
        .compose(
            plain ->
                vertx
                    .eventBus()
                    .<Envelope>request(
                        Addresses.seal(identity.id()),
                        new LocalOnly<>(new PlainResponse(plain, opened.sealer())),
                        toSealing))
        .map(Message::body);
  }

  /** Runs on a worker: parse, serve, encode. Every outcome is a response to be sealed. */
  private static byte[] answer(EnclaveApi api, byte[] content) {
    BinaryHttpResponse response;
    try {
      response = api.handle(BinaryHttpRequest.parse(content));
    } catch (BinaryHttpException e) {
      response = BinaryResponses.problem(e);
    }
    return response.encode();
  }
}
