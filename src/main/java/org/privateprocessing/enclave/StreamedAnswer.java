package org.privateprocessing.enclave;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.privateprocessing.api.InvalidRequestException;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.StreamLine;
import org.privateprocessing.core.BinaryResponses;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.infer.TextSink;
import org.privateprocessing.ohttp.ChunkedResponseSealer;
import org.privateprocessing.ohttp.bhttp.BinaryHttpException;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.ohttp.bhttp.IndeterminateResponseWriter;

/**
 * One streamed answer of the enclave, without Vert.x: runs the enclave API with a {@link TextSink}
 * and seals the answer as a chunked inner response (draft-ietf-ohai-chunked-ohttp-08) as the model
 * writes it, carrying an indeterminate-length Binary HTTP response (RFC 9292 section 3.2):
 *
 * <ul>
 *   <li>at the first piece of text: the response nonce, then a chunk with the head (200, {@value
 *       StreamLine#MEDIA_TYPE}), then one chunk per piece of {@link StreamLine.Text};
 *   <li>once the model is done: a chunk with the final line ({@link StreamLine.Answer}, or {@link
 *       StreamLine.Failed} when the model failed after its first piece), then the final chunk,
 *       which ends the Binary HTTP message;
 *   <li>when nothing was written before the outcome (a refused request, a model that failed at
 *       once): the usual response, its status and problem, in the same chunk layout.
 * </ul>
 *
 * <p>Every line is padded ({@link StreamLine#paddedLength}) and a line longer than {@value
 * StreamLine#MAX_BUCKET} bytes is cut into pieces of that size, one per chunk, so a chunk has one
 * of a few sizes whatever the text. Every plaintext array is wiped once sealed. Used by one worker
 * thread.
 */
public final class StreamedAnswer implements TextSink {
  private final ChunkedResponseSealer sealer;
  private final ChunkOutlet outlet;
  private final SecureRandom random;
  private final IndeterminateResponseWriter writer = new IndeterminateResponseWriter();
  private boolean begun;
  private boolean cut;

  StreamedAnswer(ChunkedResponseSealer sealer, ChunkOutlet outlet, SecureRandom random) {
    this.sealer = Objects.requireNonNull(sealer, "sealer");
    this.outlet = Objects.requireNonNull(outlet, "outlet");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Serves {@code binaryHttpRequest} with {@code api}, streaming the answer to the outlet; wipes
   * the request. Returns once the final chunk was handed to the outlet, or the outlet cut the
   * stream (then nothing more is sent).
   */
  static void serve(
      EnclaveApi api,
      byte[] binaryHttpRequest,
      ChunkedResponseSealer sealer,
      ChunkOutlet outlet,
      SecureRandom random) {
    StreamedAnswer stream = new StreamedAnswer(sealer, outlet, random);
    BinaryHttpResponse response;
    try {
      response = api.handle(BinaryHttpRequest.parse(binaryHttpRequest), stream);
    } catch (ChunkOutlet.StreamCut cut) {
      return; // the reader is gone: nothing more is sent, and there is nothing to report
    } catch (BinaryHttpException | RuntimeException e) {
      response = BinaryResponses.problem(e);
    } finally {
      Arrays.fill(binaryHttpRequest, (byte) 0);
    }
    stream.finish(response);
  }

  /** Whether the outlet cut the stream. */
  boolean isCut() {
    return cut;
  }

  @Override
  public void text(String piece) {
    if (cut) {
      throw new ChunkOutlet.StreamCut("the stream was cut");
    }
    if (piece == null || piece.isEmpty()) {
      return;
    }
    if (!begun) {
      begin(200, List.of(new Field("content-type", StreamLine.MEDIA_TYPE)));
    }
    sendLine(new StreamLine.Text(piece).encodePadded());
  }

  /**
   * Ends the stream with the API's response: the final line after streamed text, or the whole
   * response when no text was streamed. Wipes the response's content.
   */
  void finish(BinaryHttpResponse response) {
    byte[] content = response.content();
    try {
      if (cut) {
        return;
      }
      if (!begun) {
        List<Field> headers = new ArrayList<>();
        for (Field f : response.headers()) {
          if (!f.hasName("content-length")) {
            headers.add(f);
          }
        }
        begin(response.status(), headers);
        sendLine(StreamLine.pad(content));
      } else if (response.status() == 200 && content.length < StreamLine.MAX_LINE - 16) {
        sendLine(StreamLine.answerLine(content));
      } else if (response.status() == 200) {
        sendLine(
            new StreamLine.Failed(
                    PipelineException.of(
                            ProblemType.INTERNAL,
                            "the answer is longer than a streamed answer may be ("
                                + StreamLine.MAX_LINE
                                + " bytes)")
                        .problem())
                .encodePadded());
      } else {
        sendLine(new StreamLine.Failed(problem(response, content)).encodePadded());
      }
      send(sealer.sealFinal(writer.end(List.of())), true);
    } catch (ChunkOutlet.StreamCut e) {
      cut = true;
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  private static Problem problem(BinaryHttpResponse response, byte[] content) {
    try {
      return Problem.parse(content);
    } catch (InvalidRequestException e) {
      return PipelineException.of(ProblemType.INTERNAL, "the answer failed").problem();
    }
  }

  private void begin(int status, List<Field> headers) {
    begun = true;
    send(sealer.begin(random), false);
    byte[] head = writer.head(status, headers);
    send(sealer.sealChunk(head), false);
  }

  /** Sends a padded line, one chunk per {@value StreamLine#MAX_BUCKET} bytes; wipes it. */
  private void sendLine(byte[] line) {
    try {
      for (int at = 0; at < line.length; at += StreamLine.MAX_BUCKET) {
        byte[] slice =
            Arrays.copyOfRange(line, at, Math.min(line.length, at + StreamLine.MAX_BUCKET));
        byte[] plaintext = writer.content(slice);
        try {
          send(sealer.sealChunk(plaintext), false);
        } finally {
          Arrays.fill(slice, (byte) 0);
          Arrays.fill(plaintext, (byte) 0);
        }
      }
    } finally {
      Arrays.fill(line, (byte) 0);
    }
  }

  private void send(byte[] bytes, boolean last) {
    try {
      outlet.send(bytes, last);
    } catch (ChunkOutlet.StreamCut e) {
      cut = true;
      throw e;
    }
  }
}
