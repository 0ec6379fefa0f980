package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.InFlightLimiter;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.core.Problems;
import org.privateprocessing.infer.Model;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.OhttpException;

/**
 * Streamed answers of one enclave on {@link Addresses#stream}: a chunked inner request comes in
 * whole (an {@link Envelope} of kind {@code INNER_REQUEST}, with the header {@link
 * Addresses#STREAM_REPLY_TO} naming a {@link Addresses#streamReply()} address). The request is
 * refused plainly, as on the whole-message path, when it is not sealed to a live key, cannot be
 * opened, or the enclave is full; otherwise the request is answered with an empty object at once
 * and the sealed answer follows as messages to the reply address: an {@code INNER_RESPONSE}
 * envelope each, in order, with the headers {@link Addresses#STREAM_SEQ} (0, 1, …) and {@link
 * Addresses#STREAM_FINAL} ({@code true} on the last). Each must be answered (any reply) before the
 * window of {@value #WINDOW} unanswered messages has room again; the model's worker thread blocks
 * in its sink meanwhile. A message not answered within the enclave's inference timeout, or no room
 * for that long, cuts the stream: the model is stopped and the answer is wiped; the reader never
 * gets the final chunk, so the client sees an incomplete answer.
 */
public final class StreamingVerticle extends VerticleBase {
  /** At most this many chunks sent and not yet answered by the reader. */
  public static final int WINDOW = 4;

  private final EnclaveIdentity identity;
  private final EnclaveHandshake handshake;
  private final EnclaveApi api;
  private final InFlightLimiter limiter;
  private final long timeoutMs;
  private final ChunkLimits limits;
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger maxUnanswered = new AtomicInteger();

  /**
   * @param limiter the enclave's bound on model work, shared with its other ways in
   * @param timeoutMs how long a chunk may wait for the reader's room or answer
   * @param limits the longest chunk and inner request accepted
   */
  public StreamingVerticle(
      EnclaveIdentity identity,
      Model model,
      InFlightLimiter limiter,
      long timeoutMs,
      ChunkLimits limits) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.handshake = new EnclaveHandshake(identity);
    this.api = new EnclaveApi(model, identity);
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.timeoutMs = timeoutMs;
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The most chunks that were ever sent and unanswered at once (at most {@link #WINDOW}). */
  public int maxUnanswered() {
    return maxUnanswered.get();
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    MessageConsumer<Object> consumer =
        vertx.eventBus().consumer(Addresses.stream(identity.id()), this::handle);
    return consumer.completion();
  }

  private void handle(Message<Object> message) {
    String replyTo = message.headers().get(Addresses.STREAM_REPLY_TO);
    Envelope request;
    try {
      if (replyTo == null
          || !replyTo.startsWith(Addresses.STREAM_REPLY_PREFIX)
          || replyTo.length() > 80) {
        throw PipelineException.of(
            ProblemType.BAD_ENVELOPE, "a streamed request names its reply address");
      }
      request = handshake.admit(message.body());
    } catch (PipelineException e) {
      Problems.fail(message, e);
      return;
    }
    boolean[] answered = {false};
    limiter
        .run(
            () -> {
              OpenedStream opened;
              try {
                opened = identity.keys().decapsulateChunked(request.ciphertext(), limits);
              } catch (OhttpException e) {
                return Future.failedFuture(
                    PipelineException.of(
                        Problems.innerLayer(e.reason()),
                        "chunked inner request could not be decapsulated: " + e.getMessage()));
              }
              answered[0] = true;
              message.reply(new JsonObject());
              byte[] content = opened.content();
              Outlet outlet = new Outlet(replyTo);
              return vertx
                  .executeBlocking(
                      () -> {
                        StreamedAnswer.serve(api, content, opened.sealer(), outlet, random);
                        return null;
                      },
                      false)
                  .onComplete(done -> Arrays.fill(content, (byte) 0));
            },
            () -> InFlightLimiter.overloaded("the enclave"))
        .onFailure(
            t -> {
              if (!answered[0]) {
                Problems.fail(message, t);
              }
            });
  }

  /** Sends chunks as event-bus requests, at most {@link #WINDOW} unanswered. */
  private final class Outlet implements ChunkOutlet {
    private final String address;
    private final Semaphore window = new Semaphore(WINDOW);
    private volatile boolean cut;
    private long seq;

    Outlet(String address) {
      this.address = address;
    }

    @Override
    public void send(byte[] bytes, boolean last) {
      if (cut) {
        throw new StreamCut("the reader is gone");
      }
      boolean room;
      try {
        room = window.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        room = false;
      }
      if (!room || cut) {
        cut = true;
        throw new StreamCut("the reader made no room in time");
      }
      maxUnanswered.accumulateAndGet(WINDOW - window.availablePermits(), Math::max);
      DeliveryOptions options =
          new DeliveryOptions()
              .setSendTimeout(timeoutMs)
              .addHeader(Addresses.STREAM_SEQ, Long.toString(seq++))
              .addHeader(Addresses.STREAM_FINAL, Boolean.toString(last));
      vertx
          .eventBus()
          .request(address, Envelope.of(Envelope.Kind.INNER_RESPONSE, bytes), options)
          .onComplete(
              done -> {
                if (done.failed()) {
                  cut = true;
                }
                window.release();
              });
    }
  }
}
