package org.privateprocessing.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.privateprocessing.api.ApiPaths;
import org.privateprocessing.core.BinaryResponses;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.Problems;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.ChunkedRequestDecapsulator;
import org.privateprocessing.ohttp.ChunkedResponseSealer;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.ResponsePadding;
import org.privateprocessing.ohttp.bhttp.BinaryHttpException;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequestParser;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.ohttp.bhttp.IndeterminateResponseWriter;

/**
 * The gateway's side of a chunked request ({@value MediaTypes#OHTTP_CHUNKED_REQUEST},
 * draft-ietf-ohai-chunked-ohttp-08), without Vert.x's event bus: opens the outer layer with {@link
 * ChunkedRequestDecapsulator}, and answers with a chunked outer response ({@value
 * MediaTypes#OHTTP_CHUNKED_RESPONSE}) carrying an indeterminate-length Binary HTTP response.
 *
 * <p>A {@code POST /v1/enclave/<id>} whose body is a chunked inner request passes the same checks
 * as on the whole-message path ({@link GatewayRouter#admit}: enclave live, media type, then the
 * token, before any model time), then streams: the outer response's nonce and head (200, {@value
 * MediaTypes#OHTTP_CHUNKED_RESPONSE}) once the enclave accepted the request, then each inner chunk
 * as the content of one outer chunk, as it comes, then the final outer chunk once the enclave's
 * final chunk came. One outer chunk per inner chunk: the enclave pads every inner chunk to one of a
 * few sizes (docs/PROTOCOL.md, "Streamed answers"), so the outer chunks, each a fixed overhead
 * larger, take as few sizes, which is what the relay sees; the gateway sees no more than that.
 * Anything else inside a chunked request (the listing, a whole inner request, a refusal) is
 * answered whole, padded with the identity's {@link ResponsePadding}, in the final chunk.
 *
 * <p>Only a request whose outer layer cannot be opened fails plainly, as on the whole-message path.
 */
public final class GatewayStream {
  /** Where the outer response goes: the HTTP response, written as it comes. */
  public interface Outlet {
    /** Writes the next bytes; completes when the reader has room for more, fails if it is gone. */
    Future<Void> write(byte[] bytes);

    /** Ends the response after its final chunk. */
    void end();

    /** Cuts the response short: the client never gets the final chunk. */
    void cut();

    /**
     * Refuses the request plainly, nothing having been written: the outer layer could not be
     * opened, so there is no key to seal an answer with ({@code plain} is a 400 {@code ohttp-*}).
     */
    void refuse(PipelineException plain);
  }

  /**
   * How a streamed inner request reaches an enclave, chunk by chunk as it arrives, and its answer
   * comes back.
   */
  public interface EnclaveStreams {
    /**
     * Opens a stream to the enclave; the content then goes with {@link RequestStream#send}, and
     * once the enclave accepted the last of it, the answer's chunks arrive at {@code chunks} in
     * order.
     */
    RequestStream open(String enclaveId, InnerChunks chunks);
  }

  /** One streamed inner request on its way to the enclave. */
  public interface RequestStream {
    /**
     * Sends the next piece of the inner request (still sealed to the enclave), in order; the future
     * completes once the enclave took it (for the {@code last} one: once it opened the whole
     * request and started on it), and fails with the enclave's problem, after which the stream is
     * over. The caller keeps at most {@link GatewayStream#WINDOW} unacknowledged.
     */
    Future<Void> send(byte[] piece, boolean last);

    /** The upload broke off: the enclave drops the stream; nothing more is sent. */
    void cancel();
  }

  /**
   * Where a streamed upload asks its body's source to stop and go on: paused while the window of
   * inner bytes the gateway holds is full (the HTTP request stops being read).
   */
  public interface Valve {
    void pause();

    void resume();

    /** A valve that never stops anything (a body fed whole). */
    Valve OPEN =
        new Valve() {
          @Override
          public void pause() {}

          @Override
          public void resume() {}
        };
  }

  /** Receives the chunks of one streamed inner response, in order. */
  public interface InnerChunks {
    /**
     * One inner chunk (framed, as the enclave sealed it; the first is the response nonce); the
     * future completes when the client has room for more, and fails when the stream is over.
     */
    Future<Void> chunk(byte[] bytes, boolean last);

    /** The inner stream broke (stalled, out of order, gone): the outer response is cut. */
    void cut(String why);
  }

  /** The largest piece of inner bytes put into one outer chunk (below the 2^14 a chunk carries). */
  static final int MAX_PIECE = ChunkLimits.MAX_SEND_PLAINTEXT - 16;

  /** At most this many request messages sent to the enclave and not yet acknowledged. */
  public static final int WINDOW = 4;

  /** The most inner-request bytes in one message to the enclave. */
  public static final int MAX_MESSAGE = 8 * 1024;

  /**
   * The inner-request bytes an upload holds (waiting, or sent and not yet acknowledged) at which it
   * pauses its body: {@link #WINDOW} full messages.
   */
  public static final int WINDOW_BYTES = WINDOW * MAX_MESSAGE;

  private final GatewayIdentity identity;
  private final GatewayRouter router;
  private final EnclaveStreams enclaves;
  private final ChunkLimits limits;
  private final SecureRandom random;

  /**
   * @param limits the longest chunk and stream accepted, for the outer request and for the inner
   *     response passed on
   */
  public GatewayStream(
      GatewayIdentity identity,
      GatewayRouter router,
      EnclaveStreams enclaves,
      ChunkLimits limits,
      SecureRandom random) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.router = Objects.requireNonNull(router, "router");
    this.enclaves = Objects.requireNonNull(enclaves, "enclaves");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Opens one chunked outer request, whole, and starts answering it at {@code outlet}: {@link
   * #open}, all of {@code outerRequest} fed, then ended.
   *
   * @param sealedProblem told of a problem this gateway sealed into the answer (for metrics)
   * @return fails with a plain 400 problem when the outer layer cannot be opened (nothing was
   *     written); succeeds once it is open, the answer then going to {@code outlet}, which is ended
   *     or cut exactly once
   */
  public Future<Void> handle(
      byte[] outerRequest, Outlet outlet, Consumer<PipelineException> sealedProblem) {
    Promise<Void> opened = Promise.promise();
    Upload upload =
        open(
            new Outlet() {
              @Override
              public Future<Void> write(byte[] bytes) {
                return outlet.write(bytes);
              }

              @Override
              public void end() {
                outlet.end();
              }

              @Override
              public void cut() {
                outlet.cut();
              }

              @Override
              public void refuse(PipelineException plain) {
                opened.tryFail(plain);
              }
            },
            sealedProblem);
    upload.feed(outerRequest);
    upload.end();
    opened.tryComplete();
    return opened.future();
  }

  /**
   * Starts one chunked outer request whose bytes arrive as they come: {@link Upload#feed} each
   * piece, {@link Upload#end} at the end of the body. The answer goes to {@code outlet}, which is
   * ended, cut or refused exactly once.
   *
   * @param sealedProblem told of a problem this gateway sealed into the answer (for metrics)
   */
  public Upload open(Outlet outlet, Consumer<PipelineException> sealedProblem) {
    return open(outlet, sealedProblem, Valve.OPEN);
  }

  /**
   * As {@link #open(Outlet, Consumer)}, the body's source paused through {@code valve} while the
   * upload holds {@link #WINDOW_BYTES} or more of inner bytes for the enclave.
   */
  public Upload open(Outlet outlet, Consumer<PipelineException> sealedProblem, Valve valve) {
    return new Upload(outlet, sealedProblem, valve);
  }

  /**
   * One chunked outer request on its way in: the outer layer is opened chunk by chunk ({@link
   * ChunkedRequestDecapsulator}, within the {@link ChunkLimits}), the Binary HTTP request inside is
   * parsed as it comes ({@link BinaryHttpRequestParser}), and as soon as its head is in, a request
   * for an enclave passes the same admission as a whole one ({@link GatewayRouter#admit}: enclave
   * live, media type, the token spent), before the rest of the body has arrived. A refusal is
   * answered at once, and the rest of the body is not read ({@link #wantsMore} turns false).
   *
   * <p>Once admitted, the content (the inner request, still sealed to the enclave) goes to the
   * enclave as it comes ({@link RequestStream}): messages of at most {@value #MAX_MESSAGE} bytes,
   * at most {@value #WINDOW} unacknowledged, the last one sent once the outer request's final chunk
   * opened. Content that came before admission waits for it. While the upload holds {@link
   * #WINDOW_BYTES} or more (waiting or unacknowledged) its {@link Valve} is paused, so a slow
   * enclave stops the client's upload instead of filling the gateway. Each piece is wiped once
   * handed on. A request not for an enclave (the listing) is gathered whole, bounded by the limits,
   * and answered once complete.
   *
   * <p>An outer layer that does not open (a bad header or key, a chunk that does not authenticate,
   * cut, replayed or out of order, a limit passed, the stream cut before its final chunk) is
   * refused plainly ({@link Outlet#refuse}) if nothing was written yet, else the answer is cut; a
   * stream already open at the enclave is cancelled.
   *
   * <p>Not thread-safe: one owner calls it, on the thread its futures complete on (the credential
   * stage's event loop).
   */
  public final class Upload {
    private final Outlet outlet;
    private final Consumer<PipelineException> sealedProblem;
    private final Valve valve;
    private final ChunkedRequestDecapsulator opener;
    private final BinaryHttpRequestParser parser = new BinaryHttpRequestParser();
    private Answer answer;
    private BinaryHttpRequestParser.Head head;
    private String enclaveId;
    private Future<Void> admitted;
    private byte[] content = new byte[0];
    private int contentLength;
    private List<Field> trailers;
    private boolean ended;
    private volatile boolean over;
    private RequestStream inner;
    private boolean innerDone;
    private boolean lastSent;
    private int unacknowledged;
    private long unacknowledgedBytes;
    private long maxHeld;
    private boolean paused;

    private Upload(Outlet outlet, Consumer<PipelineException> sealedProblem, Valve valve) {
      this.outlet = Objects.requireNonNull(outlet, "outlet");
      this.sealedProblem = Objects.requireNonNull(sealedProblem, "sealedProblem");
      this.valve = Objects.requireNonNull(valve, "valve");
      this.opener = new ChunkedRequestDecapsulator(identity.keys(), limits);
    }

    /** False once the request was answered, refused or cut: the rest of the body is unwanted. */
    public boolean wantsMore() {
      return !over;
    }

    /**
     * The most inner-request bytes this upload ever held at once, waiting or sent and not yet
     * acknowledged (a measure for tests: at most {@link #WINDOW_BYTES} and what one fed piece
     * carries).
     */
    public long maxHeld() {
      return maxHeld;
    }

    /** Whether the body's source is paused now. */
    public boolean paused() {
      return paused;
    }

    /** The next bytes of the body, as they arrived. */
    public void feed(byte[] bytes) {
      if (over) {
        return;
      }
      List<byte[]> pieces;
      try {
        pieces = opener.feed(bytes);
      } catch (OhttpException e) {
        refuse(e);
        return;
      }
      for (byte[] piece : pieces) {
        parse(piece, false);
      }
      pump();
    }

    /** The body ended: the final chunk is opened and the request, now whole, goes on. */
    public void end() {
      if (over) {
        return;
      }
      byte[] last;
      try {
        last = opener.finish();
      } catch (OhttpException e) {
        refuse(e);
        return;
      }
      parse(last, true);
      if (over) {
        return;
      }
      ended = true;
      if (enclaveId == null) {
        proceed();
      } else {
        pump();
      }
    }

    /** The body broke off (the client left, a read deadline): nothing more is done. */
    public void abort() {
      if (over) {
        return;
      }
      over = true;
      wipe();
      if (answer != null) {
        answer.cut("the request broke off");
      } else {
        outlet.cut();
      }
      settleValve();
    }

    private void parse(byte[] piece, boolean last) {
      try {
        List<BinaryHttpRequestParser.Part> parts = new ArrayList<>(parser.feed(piece));
        if (last) {
          parts.addAll(parser.finish());
        }
        for (BinaryHttpRequestParser.Part part : parts) {
          take(part);
        }
      } catch (BinaryHttpException | RuntimeException e) {
        answerWhole(BinaryResponses.problem(e), Problems.toPipelineException(e));
      } finally {
        Arrays.fill(piece, (byte) 0);
      }
    }

    private void take(BinaryHttpRequestParser.Part part) {
      if (over) {
        return;
      }
      if (part instanceof BinaryHttpRequestParser.Head h) {
        head = h;
        String path = h.path();
        if (path.startsWith(ApiPaths.ENCLAVE_PREFIX)
            && "POST".equals(h.method())
            && MediaTypes.essence(h.header("content-type").orElse(null))
                .equals(MediaTypes.OHTTP_CHUNKED_REQUEST)) {
          enclaveId = path.substring(ApiPaths.ENCLAVE_PREFIX.length());
          // Checked now, before the content is in: a refusal needs none of it.
          admitted =
              router
                  .admit(enclaveId, h.request(new byte[0]), MediaTypes.OHTTP_CHUNKED_REQUEST)
                  .onComplete(
                      done -> {
                        if (done.failed()) {
                          answerWhole(
                              BinaryResponses.problem(done.cause()),
                              Problems.toPipelineException(done.cause()));
                        } else {
                          openInner();
                        }
                      });
        }
      } else if (part instanceof BinaryHttpRequestParser.Content c) {
        byte[] bytes = c.bytes();
        append(bytes);
        Arrays.fill(bytes, (byte) 0);
      } else {
        trailers = ((BinaryHttpRequestParser.End) part).trailers();
      }
    }

    /** A request not for an enclave, once whole: answered by the router. */
    private void proceed() {
      if (over || !ended || answer != null) {
        return;
      }
      BinaryHttpRequest request =
          new BinaryHttpRequest(
              head.method(),
              head.scheme(),
              head.authority(),
              head.path(),
              head.headers(),
              Arrays.copyOf(content, contentLength),
              trailers == null ? List.of() : trailers);
      wipe();
      answer = new Answer(opener.sealer(), outlet);
      over = true;
      router
          .serve(request)
          .recover(
              t -> {
                sealedProblem.accept(Problems.toPipelineException(t));
                return Future.succeededFuture(BinaryResponses.problem(t));
              })
          .onSuccess(answer::whole);
    }

    /** Admitted: the stream to the enclave opens and takes what content already came. */
    private void openInner() {
      if (over || inner != null) {
        return;
      }
      answer = new Answer(opener.sealer(), outlet);
      inner = enclaves.open(enclaveId, answer);
      pump();
    }

    /** Sends what content waits, while the window has room; the last once the body ended. */
    private void pump() {
      while (!over
          && inner != null
          && !innerDone
          && !lastSent
          && unacknowledged < WINDOW
          && (contentLength > 0 || ended)) {
        int n = Math.min(contentLength, MAX_MESSAGE);
        byte[] piece = Arrays.copyOf(content, n);
        System.arraycopy(content, n, content, 0, contentLength - n);
        Arrays.fill(content, contentLength - n, contentLength, (byte) 0);
        contentLength -= n;
        boolean last = ended && contentLength == 0;
        lastSent = last;
        unacknowledged++;
        unacknowledgedBytes += n;
        inner
            .send(piece, last)
            .onComplete(
                ack -> {
                  Arrays.fill(piece, (byte) 0);
                  unacknowledged--;
                  unacknowledgedBytes -= n;
                  if (ack.failed()) {
                    innerFailed(ack.cause());
                  } else if (last) {
                    innerDone = true;
                    over = true;
                    answer.begin();
                  } else {
                    pump();
                  }
                });
      }
      settleValve();
    }

    /** The enclave refused the stream: its problem, sealed, if nothing was written yet. */
    private void innerFailed(Throwable t) {
      if (innerDone) {
        return;
      }
      innerDone = true;
      boolean wasOver = over;
      over = true;
      wipe();
      if (!wasOver) {
        sealedProblem.accept(Problems.toPipelineException(t));
        answer.whole(BinaryResponses.problem(t));
      }
      settleValve();
    }

    /** A problem sealed into a whole answer, at once; the rest of the body is not read. */
    private void answerWhole(BinaryHttpResponse response, PipelineException problem) {
      if (over) {
        return;
      }
      over = true;
      wipe();
      sealedProblem.accept(problem);
      if (answer == null) {
        answer = new Answer(opener.sealer(), outlet);
      }
      answer.whole(response);
      settleValve();
    }

    /** The outer layer did not open: plainly, if nothing was written; else a cut. */
    private void refuse(OhttpException e) {
      if (over) {
        return;
      }
      over = true;
      wipe();
      if (answer == null || !answer.wrote()) {
        if (answer != null) {
          answer.silence();
        }
        outlet.refuse(Problems.toPipelineException(e));
      } else {
        answer.cut("the outer request broke");
      }
      settleValve();
    }

    private void append(byte[] bytes) {
      if (content.length - contentLength < bytes.length) {
        byte[] bigger = new byte[Math.max(content.length * 2, contentLength + bytes.length)];
        System.arraycopy(content, 0, bigger, 0, contentLength);
        Arrays.fill(content, (byte) 0);
        content = bigger;
      }
      System.arraycopy(bytes, 0, content, contentLength, bytes.length);
      contentLength += bytes.length;
      maxHeld = Math.max(maxHeld, contentLength + unacknowledgedBytes);
    }

    /** Paused while an enclave upload holds a full window; never once the body is unwanted. */
    private void settleValve() {
      boolean full =
          !over && enclaveId != null && contentLength + unacknowledgedBytes >= WINDOW_BYTES;
      if (full && !paused) {
        paused = true;
        valve.pause();
      } else if (!full && paused) {
        paused = false;
        valve.resume();
      }
    }

    private void wipe() {
      Arrays.fill(content, (byte) 0);
      content = new byte[0];
      contentLength = 0;
      parser.wipe();
      if (inner != null && !innerDone) {
        innerDone = true;
        inner.cancel();
      }
    }
  }

  /** The outer response of one request; called on one thread (the stage's event loop). */
  private final class Answer implements InnerChunks {
    private final ChunkedResponseSealer sealer;
    private final Outlet outlet;
    private final IndeterminateResponseWriter writer = new IndeterminateResponseWriter();
    private boolean begun;
    private boolean done;
    private long innerBytes;

    Answer(ChunkedResponseSealer sealer, Outlet outlet) {
      this.sealer = sealer;
      this.outlet = outlet;
    }

    /** Whether anything of this answer was written. */
    boolean wrote() {
      return begun;
    }

    /** Nothing more is written (the request was refused plainly instead). */
    void silence() {
      done = true;
    }

    /** The nonce and the head of a streamed answer, once. */
    void begin() {
      if (begun || done) {
        return;
      }
      begun = true;
      outlet.write(sealer.begin(random));
      outlet.write(
          sealer.sealChunk(
              writer.head(
                  200, List.of(new Field("content-type", MediaTypes.OHTTP_CHUNKED_RESPONSE)))));
    }

    @Override
    public Future<Void> chunk(byte[] bytes, boolean last) {
      if (done) {
        return Future.failedFuture(new IllegalStateException("the answer is over"));
      }
      innerBytes += bytes.length;
      if (bytes.length > limits.maxChunkLength() + 8 || innerBytes > limits.maxTotalLength()) {
        cut("the enclave's answer is over the gateway's chunk limits");
        return Future.failedFuture(new IllegalStateException("over the limits"));
      }
      begin();
      Future<Void> room = Future.succeededFuture();
      for (int at = 0; at < bytes.length; at += MAX_PIECE) {
        byte[] piece = Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + MAX_PIECE));
        room = outlet.write(sealer.sealChunk(writer.content(piece)));
      }
      if (last) {
        room = outlet.write(sealer.sealFinal(writer.end(List.of())));
        done = true;
        outlet.end();
      }
      return room;
    }

    @Override
    public void cut(String why) {
      if (!done) {
        done = true;
        outlet.cut();
      }
    }

    /** A whole response in the final chunk (after any head already streamed: a cut). */
    void whole(BinaryHttpResponse response) {
      if (done) {
        return;
      }
      if (begun) {
        cut("a whole answer after a streamed head");
        return;
      }
      begun = true;
      done = true;
      outlet.write(sealer.begin(random));
      byte[] bytes = identity.keys().responsePadding().pad(response.encode());
      int at = 0;
      while (bytes.length - at > ChunkLimits.MAX_SEND_PLAINTEXT) {
        outlet.write(
            sealer.sealChunk(Arrays.copyOfRange(bytes, at, at + ChunkLimits.MAX_SEND_PLAINTEXT)));
        at += ChunkLimits.MAX_SEND_PLAINTEXT;
      }
      outlet.write(sealer.sealFinal(Arrays.copyOfRange(bytes, at, bytes.length)));
      outlet.end();
    }
  }
}
