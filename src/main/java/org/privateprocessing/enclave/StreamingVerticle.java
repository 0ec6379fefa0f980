package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * Streamed requests and answers of one enclave (docs/PROTOCOL.md, "Event bus"). A stream opens on
 * {@link Addresses#stream}: an empty {@link Envelope} of kind {@code INNER_REQUEST} whose header
 * {@link Addresses#STREAM_REPLY_TO} names a {@link Addresses#streamReply()} address; it is refused
 * when that header is missing or already open, or the enclave is full, else answered with an empty
 * object, and the stream holds one of the enclave's in-flight slots until its answer ends. The
 * sealed request then comes in pieces to {@link Addresses#streamRequest}, each an {@code
 * INNER_REQUEST} envelope with the same {@link Addresses#STREAM_REPLY_TO}, {@link
 * Addresses#STREAM_SEQ} (0, 1, …) and {@link Addresses#STREAM_FINAL} ({@code true} on the last);
 * each is opened as it comes ({@link InboundStream}) and answered with an empty object, or with the
 * problem that drops the stream (out of sequence, after the last, not for a live key, not opening,
 * over the limits). A message with {@link Addresses#STREAM_CANCEL} drops it too, and so does no
 * next piece within the enclave's timeout. Every drop wipes what the stream gathered and gives its
 * slot back.
 *
 * <p>Once the last piece opened, the model runs and the sealed answer follows as messages to the
 * reply address: an {@code INNER_RESPONSE} envelope each, in order, with the headers {@link
 * Addresses#STREAM_SEQ} (0, 1, …) and {@link Addresses#STREAM_FINAL} ({@code true} on the last).
 * Each must be answered (any reply) before the window of {@value #WINDOW} unanswered messages has
 * room again; the model's worker thread blocks in its sink meanwhile. A message not answered within
 * the enclave's inference timeout, or no room for that long, cuts the stream: the model is stopped
 * and the answer is wiped; the reader never gets the final chunk, so the client sees an incomplete
 * answer.
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
  private final Map<String, Inbound> streams = new ConcurrentHashMap<>();

  /**
   * @param limiter the enclave's bound on model work, shared with its other ways in
   * @param timeoutMs how long a chunk may wait for the reader's room or answer, and a stream for
   *     its next request piece
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

  /** Streams open and still receiving their request (for tests: back to 0 once all ended). */
  public int openStreams() {
    return streams.size();
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    MessageConsumer<Object> opening =
        vertx.eventBus().consumer(Addresses.stream(identity.id()), this::open);
    MessageConsumer<Object> pieces =
        vertx.eventBus().consumer(Addresses.streamRequest(identity.id()), this::piece);
    return Future.all(opening.completion(), pieces.completion());
  }

  /** The state of one stream still receiving its request; used on this verticle's event loop. */
  private static final class Inbound {
    final InboundStream request;
    long timer = -1;

    Inbound(InboundStream request) {
      this.request = request;
    }
  }

  private void open(Message<Object> message) {
    String replyTo = message.headers().get(Addresses.STREAM_REPLY_TO);
    try {
      if (replyTo == null
          || !replyTo.startsWith(Addresses.STREAM_REPLY_PREFIX)
          || replyTo.length() > 80) {
        throw PipelineException.of(
            ProblemType.BAD_ENVELOPE, "a streamed request names its reply address");
      }
      if (!(message.body() instanceof Envelope e)
          || e.kind() != Envelope.Kind.INNER_REQUEST
          || e.size() != 0) {
        throw PipelineException.of(
            ProblemType.BAD_ENVELOPE, "a stream opens with an empty inner request");
      }
      if (streams.containsKey(replyTo)) {
        throw PipelineException.of(ProblemType.BAD_ENVELOPE, "that stream is already open");
      }
      if (!limiter.tryAcquire()) {
        throw InFlightLimiter.overloaded("the enclave");
      }
    } catch (PipelineException e) {
      Problems.fail(message, e);
      return;
    }
    Inbound inbound = new Inbound(new InboundStream(handshake, identity.keys(), limits));
    streams.put(replyTo, inbound);
    arm(replyTo, inbound);
    message.reply(new JsonObject());
  }

  private void piece(Message<Object> message) {
    String replyTo = message.headers().get(Addresses.STREAM_REPLY_TO);
    Inbound inbound = replyTo == null ? null : streams.get(replyTo);
    if (inbound == null) {
      Problems.fail(
          message,
          PipelineException.of(
              ProblemType.BAD_ENVELOPE,
              "no open stream for this request message (ended, dropped or never opened)"));
      return;
    }
    if ("true".equals(message.headers().get(Addresses.STREAM_CANCEL))) {
      drop(replyTo, inbound);
      message.reply(new JsonObject());
      return;
    }
    OpenedStream opened;
    try {
      if (!(message.body() instanceof Envelope e) || e.kind() != Envelope.Kind.INNER_REQUEST) {
        throw PipelineException.of(ProblemType.BAD_ENVELOPE, "expected an inner request piece");
      }
      long seq = sequence(message.headers().get(Addresses.STREAM_SEQ));
      boolean last = "true".equals(message.headers().get(Addresses.STREAM_FINAL));
      byte[] bytes = e.ciphertext();
      try {
        opened = inbound.request.take(seq, bytes, last);
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    } catch (PipelineException e) {
      drop(replyTo, inbound);
      Problems.fail(message, e);
      return;
    }
    if (opened == null) {
      arm(replyTo, inbound);
      message.reply(new JsonObject());
      return;
    }
    // The whole request opened: the stream leaves the table, its slot held until the answer ends.
    vertx.cancelTimer(inbound.timer);
    streams.remove(replyTo);
    message.reply(new JsonObject());
    byte[] content = opened.content();
    Outlet outlet = new Outlet(replyTo);
    vertx
        .executeBlocking(
            () -> {
              StreamedAnswer.serve(api, content, opened.sealer(), outlet, random);
              return null;
            },
            false)
        .onComplete(
            done -> {
              Arrays.fill(content, (byte) 0);
              limiter.release();
            });
  }

  private static long sequence(String header) throws PipelineException {
    try {
      return Long.parseLong(header == null ? "" : header);
    } catch (NumberFormatException e) {
      throw PipelineException.of(
          ProblemType.BAD_ENVELOPE, "a request message carries its sequence number");
    }
  }

  /** (Re)starts the wait for the stream's next piece; past it, the stream is dropped. */
  private void arm(String replyTo, Inbound inbound) {
    vertx.cancelTimer(inbound.timer);
    inbound.timer = vertx.setTimer(timeoutMs, t -> drop(replyTo, inbound));
  }

  /** Drops a stream still receiving its request: wiped, its slot given back, once. */
  private void drop(String replyTo, Inbound inbound) {
    if (streams.remove(replyTo, inbound)) {
      vertx.cancelTimer(inbound.timer);
      inbound.request.wipe();
      limiter.release();
    }
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
