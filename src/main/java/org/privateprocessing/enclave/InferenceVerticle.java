package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Arrays;
import java.util.Objects;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.InFlightLimiter;
import org.privateprocessing.core.LocalOnly;
import org.privateprocessing.core.LocalOnlyCodec;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.Problems;
import org.privateprocessing.infer.Model;
import org.privateprocessing.ohttp.DecapsulatedRequest;
import org.privateprocessing.ohttp.ResponsePadding;

/**
 * The inference stage of one enclave on {@link Addresses#infer}: wires steps 2 and 3 of the {@link
 * EnclaveStage} (open the inner layer on the event loop, run the enclave API and so the model on a
 * worker thread) and hands the plaintext answer to the sealing stage, strictly locally. What it
 * replies is ciphertext only.
 *
 * <p>Backpressure: at most {@code maxQueued} requests wait for or run on the worker pool at once;
 * beyond that it fails the request at once with 503 {@code overloaded} and {@code Retry-After: 1},
 * which the gateway seals into the outer layer (so the client SDK may try another enclave). The
 * check comes before the inner layer is opened, so shedding costs no decryption. A slot is held
 * until the worker is done with the request (success, failure, or a model that gave up), since the
 * worker pool is what is scarce.
 */
public final class InferenceVerticle extends VerticleBase {
  private final EnclaveStage stage;
  private final InFlightLimiter limiter;

  public InferenceVerticle(EnclaveIdentity identity, Model model) {
    this(identity, model, EnclaveOptions.DEFAULT_MAX_QUEUED);
  }

  /**
   * @param maxQueued most requests waiting for or running on the worker pool (0 refuses all)
   */
  public InferenceVerticle(EnclaveIdentity identity, Model model, int maxQueued) {
    this(identity, model, new InFlightLimiter(maxQueued));
  }

  /**
   * @param limiter the enclave's bound on model work, shared with its RA-TLS listener so that both
   *     ways in together never run more than its capacity
   */
  public InferenceVerticle(EnclaveIdentity identity, Model model, InFlightLimiter limiter) {
    this(identity, model, limiter, ResponsePadding.NONE);
  }

  /**
   * @param padding how whole answers are padded before sealing ({@code enclave.responsePadding})
   */
  public InferenceVerticle(
      EnclaveIdentity identity, Model model, InFlightLimiter limiter, ResponsePadding padding) {
    this.stage = new EnclaveStage(identity, model, padding);
    this.limiter = Objects.requireNonNull(limiter, "limiter");
  }

  /** Requests waiting for or running on a worker now (for tests and metrics). */
  public int queued() {
    return limiter.inFlight();
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    DeliveryOptions toSealing = LocalOnlyCodec.delivery();
    MessageConsumer<Envelope> consumer =
        vertx
            .eventBus()
            .consumer(Addresses.infer(stage.enclaveId()), message -> handle(message, toSealing));
    return consumer.completion();
  }

  private void handle(Message<Envelope> message, DeliveryOptions toSealing) {
    limiter
        .run(
            () -> serve(message.body(), toSealing), () -> InFlightLimiter.overloaded("the enclave"))
        .onSuccess(message::reply)
        .onFailure(t -> Problems.fail(message, t));
  }

  private Future<Envelope> serve(Envelope request, DeliveryOptions toSealing) {
    DecapsulatedRequest opened;
    try {
      opened = stage.open(request);
    } catch (PipelineException e) {
      return Future.failedFuture(e);
    }
    byte[] content = opened.content();
    return vertx
        .executeBlocking(() -> stage.answer(content), false)
        // answer() wipes the request itself; this covers a task that never ran (pool closing).
        .onComplete(done -> Arrays.fill(content, (byte) 0))
        .compose(plain -> toSealing(plain, opened, toSealing));
  }

  private Future<Envelope> toSealing(
      byte[] plain, DecapsulatedRequest opened, DeliveryOptions toSealing) {
    return vertx
        .eventBus()
        .<Envelope>request(
            Addresses.seal(stage.enclaveId()),
            new LocalOnly<>(new PlainResponse(plain, opened.sealer())),
            toSealing)
        // The sealing stage wipes the answer once sealed; when it was not reached (a timeout, no
        // consumer), nobody else will.
        .onFailure(e -> Arrays.fill(plain, (byte) 0))
        .map(Message::body);
  }
}
