package org.privateprocessing.gateway;

import io.vertx.core.Future;
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
   * Opens one chunked outer request and starts answering it at {@code outlet}.
   *
   * @param sealedProblem told of a problem this gateway sealed into the answer (for metrics)
   * @return fails with a plain 400 problem when the outer layer cannot be opened (nothing was
   *     written); succeeds once it is open, the answer then going to {@code outlet}, which is ended
   *     or cut exactly once
   */
  public Future<Void> handle(
      byte[] outerRequest, Outlet outlet, Consumer<PipelineException> sealedProblem) {
    ChunkedRequestDecapsulator opener = new ChunkedRequestDecapsulator(identity.keys(), limits);
    byte[] plain;
    try {
      List<byte[]> parts = new ArrayList<>(opener.feed(outerRequest));
      parts.add(opener.finish());
      plain = join(parts);
    } catch (OhttpException e) {
      return Future.failedFuture(Problems.toPipelineException(e));
    }
    Answer answer = new Answer(opener.sealer(), outlet);
    BinaryHttpRequest request;
    try {
      request = BinaryHttpRequest.parse(plain);
    } catch (BinaryHttpException | RuntimeException e) {
      sealedProblem.accept(Problems.toPipelineException(e));
      answer.whole(BinaryResponses.problem(e));
      return Future.succeededFuture();
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
    String path = request.path();
    if (path.startsWith(ApiPaths.ENCLAVE_PREFIX)
        && "POST".equals(request.method())
        && MediaTypes.essence(request.header("content-type").orElse(null))
            .equals(MediaTypes.OHTTP_CHUNKED_REQUEST)) {
      String enclaveId = path.substring(ApiPaths.ENCLAVE_PREFIX.length());
      router
          .admit(enclaveId, request, MediaTypes.OHTTP_CHUNKED_REQUEST)
          .compose(spent -> enclaves.open(enclaveId, request.content(), answer))
          .onSuccess(accepted -> answer.begin())
          .onFailure(
              t -> {
                sealedProblem.accept(Problems.toPipelineException(t));
                answer.whole(BinaryResponses.problem(t));
              });
    } else {
      router
          .serve(request)
          .recover(
              t -> {
                sealedProblem.accept(Problems.toPipelineException(t));
                return Future.succeededFuture(BinaryResponses.problem(t));
              })
          .onSuccess(answer::whole);
    }
    return Future.succeededFuture();
  }

  private static byte[] join(List<byte[]> parts) {
    int total = 0;
    for (byte[] p : parts) {
      total += p.length;
    }
    byte[] out = new byte[total];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
      Arrays.fill(p, (byte) 0);
    }
    return out;
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
