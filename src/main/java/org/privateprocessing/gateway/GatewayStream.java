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

  /** How a streamed inner request reaches an enclave, and its chunks come back. */
  public interface EnclaveStreams {
    /**
     * Sends a chunked inner request to the enclave; completes once the enclave accepted it, after
     * which its chunks arrive at {@code chunks} in order; fails with the enclave's problem.
     */
    Future<Void> open(String enclaveId, byte[] innerRequest, InnerChunks chunks);
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
    return new Upload(outlet, sealedProblem);
  }

  /**
   * One chunked outer request on its way in: the outer layer is opened chunk by chunk ({@link
   * ChunkedRequestDecapsulator}, within the {@link ChunkLimits}), the Binary HTTP request inside is
   * parsed as it comes ({@link BinaryHttpRequestParser}), and as soon as its head is in, a request
   * for an enclave passes the same admission as a whole one ({@link GatewayRouter#admit}: enclave
   * live, media type, the token spent), before the rest of the body has arrived. A refusal is
   * answered at once, and the rest of the body is not read ({@link #wantsMore} turns false). The
   * content (the inner request, still sealed to the enclave) is gathered, bounded by the limits,
   * and goes to the enclave once the outer request's final chunk opened; it is wiped once handed
   * on.
   *
   * <p>An outer layer that does not open (a bad header or key, a chunk that does not authenticate,
   * cut, replayed or out of order, a limit passed, the stream cut before its final chunk) is
   * refused plainly ({@link Outlet#refuse}) if nothing was written yet, else the answer is cut.
   *
   * <p>Not thread-safe: one owner calls it, on the thread its futures complete on (the credential
   * stage's event loop).
   */
  public final class Upload {
    private final Outlet outlet;
    private final Consumer<PipelineException> sealedProblem;
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

    private Upload(Outlet outlet, Consumer<PipelineException> sealedProblem) {
      this.outlet = Objects.requireNonNull(outlet, "outlet");
      this.sealedProblem = Objects.requireNonNull(sealedProblem, "sealedProblem");
      this.opener = new ChunkedRequestDecapsulator(identity.keys(), limits);
    }

    /** False once the request was answered, refused or cut: the rest of the body is unwanted. */
    public boolean wantsMore() {
      return !over;
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
      proceed();
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
                          proceed();
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

    /** Once the request is whole (and, for an enclave, admitted): on to the enclave or router. */
    private void proceed() {
      if (over || !ended || answer != null) {
        return;
      }
      if (enclaveId == null) {
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
        return;
      }
      if (admitted == null || !admitted.succeeded()) {
        return; // the admission's outcome calls back
      }
      byte[] inner = Arrays.copyOf(content, contentLength);
      wipe();
      Answer a = new Answer(opener.sealer(), outlet);
      answer = a;
      over = true;
      enclaves
          .open(enclaveId, inner, a)
          .onComplete(v -> Arrays.fill(inner, (byte) 0))
          .onSuccess(accepted -> a.begin())
          .onFailure(
              t -> {
                sealedProblem.accept(Problems.toPipelineException(t));
                a.whole(BinaryResponses.problem(t));
              });
    }

    /** A problem sealed into a whole answer, at once; the rest of the body is not read. */
    private void answerWhole(BinaryHttpResponse response, PipelineException problem) {
      if (over) {
        return;
      }
      over = true;
      wipe();
      sealedProblem.accept(problem);
      answer = new Answer(opener.sealer(), outlet);
      answer.whole(response);
    }

    /** The outer layer did not open: plainly, if nothing was written; else a cut. */
    private void refuse(OhttpException e) {
      if (over) {
        return;
      }
      over = true;
      wipe();
      if (answer == null) {
        outlet.refuse(Problems.toPipelineException(e));
      } else {
        answer.cut("the outer request broke");
      }
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
    }

    private void wipe() {
      Arrays.fill(content, (byte) 0);
      content = new byte[0];
      contentLength = 0;
      parser.wipe();
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
