package org.privateprocessing.client;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.privateprocessing.api.InvalidRequestException;
import org.privateprocessing.api.StreamLine;
import org.privateprocessing.client.PrivateProcessingException.Source;
import org.privateprocessing.ohttp.ChunkedResponseOpener;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.bhttp.BinaryHttpException;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponseParser;
import org.privateprocessing.ohttp.bhttp.Field;

/**
 * Opens a streamed answer as its bytes arrive, without Vert.x: the outer chunked response (from the
 * gateway) carries a Binary HTTP response whose content is the inner chunked response (from the
 * enclave), which carries a Binary HTTP response whose content is JSON lines ({@link StreamLine}).
 * Each piece of text goes to {@code pieces} as soon as its line is complete; {@link #finish}
 * returns the final answer's JSON only when both layers ended with their final chunks and the last
 * line is the answer. Anything else fails with a {@link PrivateProcessingException}: a refusal of
 * the gateway or the enclave, {@code incomplete-answer}, {@code bad-chunk}, {@code bad-response}.
 * Single owner; after a failure it must not be fed again.
 */
final class StreamDecoder {
  /** The most bytes a refusal (a problem response) may have. */
  private static final int MAX_REFUSAL = 1 << 16;

  private final ChunkedResponseOpener outer;
  private final ChunkedResponseOpener inner;
  private final Consumer<String> pieces;
  private final BinaryHttpResponseParser outerParser = new BinaryHttpResponseParser();
  private final BinaryHttpResponseParser innerParser = new BinaryHttpResponseParser();
  private Layer outerHead;
  private Layer innerHead;
  private boolean outerEnded;
  private boolean innerEnded;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private StreamLine last;

  /** A layer's status and content type, and its content while it is a refusal. */
  private static final class Layer {
    final int status;
    final List<Field> headers;
    final ByteArrayOutputStream refusal = new ByteArrayOutputStream();

    Layer(int status, List<Field> headers) {
      this.status = status;
      this.headers = headers;
    }

    String contentType() {
      for (Field f : headers) {
        if (f.hasName("content-type")) {
          return f.value();
        }
      }
      return null;
    }
  }

  StreamDecoder(ChunkedResponseOpener outer, ChunkedResponseOpener inner, Consumer<String> pieces) {
    this.outer = Objects.requireNonNull(outer, "outer");
    this.inner = Objects.requireNonNull(inner, "inner");
    this.pieces = Objects.requireNonNull(pieces, "pieces");
  }

  /** The next bytes of the HTTP response body. */
  void feed(byte[] bytes) {
    try {
      for (byte[] plain : outer.feed(bytes)) {
        outerParts(outerParser.feed(plain));
      }
    } catch (OhttpException e) {
      throw chunkFailure(Source.GATEWAY, e);
    } catch (BinaryHttpException e) {
      throw badResponse("the gateway's", e.getMessage());
    }
  }

  /**
   * The end of the HTTP response body.
   *
   * @return the final answer's JSON
   */
  byte[] finish() {
    try {
      outerParts(outerParser.feed(outer.finish()));
      outerParts(outerParser.finish());
    } catch (OhttpException e) {
      throw chunkFailure(Source.GATEWAY, e);
    } catch (BinaryHttpException e) {
      throw e.reason() == BinaryHttpException.Reason.TRUNCATED
          ? incomplete("the gateway's response ended early")
          : badResponse("the gateway's", e.getMessage());
    }
    if (!outerEnded) {
      throw incomplete("the gateway's response ended early");
    }
    if (outerHead.status != 200) {
      throw refusal(Source.GATEWAY, outerHead);
    }
    if (innerHead != null && innerHead.status != 200) {
      throw refusal(Source.ENCLAVE, innerHead);
    }
    if (!innerEnded || last == null || !last.isFinal() || line.size() > 0) {
      throw incomplete("the enclave's answer ended without its final line");
    }
    if (last instanceof StreamLine.Failed f) {
      throw PrivateProcessingException.of(Source.ENCLAVE, f.problem());
    }
    return ((StreamLine.Answer) last).json();
  }

  private void outerParts(List<BinaryHttpResponseParser.Part> parts)
      throws OhttpException, BinaryHttpException {
    for (BinaryHttpResponseParser.Part part : parts) {
      if (part instanceof BinaryHttpResponseParser.Head h) {
        outerHead = new Layer(h.status(), h.headers());
        if (h.status() == 200
            && !MediaTypes.OHTTP_CHUNKED_RESPONSE.equals(
                MediaTypes.essence(outerHead.contentType()))) {
          throw badResponse("the gateway's", "its answer is not a chunked enclave response");
        }
      } else if (part instanceof BinaryHttpResponseParser.Content c) {
        if (outerHead.status != 200) {
          keep(outerHead, c.bytes());
        } else {
          for (byte[] plain : inner.feed(c.bytes())) {
            innerParts(innerParser.feed(plain));
          }
        }
      } else if (part instanceof BinaryHttpResponseParser.End) {
        outerEnded = true;
        if (outerHead.status == 200) {
          try {
            innerParts(innerParser.feed(inner.finish()));
            innerParts(innerParser.finish());
          } catch (OhttpException e) {
            throw chunkFailure(Source.ENCLAVE, e);
          } catch (BinaryHttpException e) {
            throw e.reason() == BinaryHttpException.Reason.TRUNCATED
                ? incomplete("the enclave's answer ended early")
                : badResponse("the enclave's", e.getMessage());
          }
        }
      }
    }
  }

  private void innerParts(List<BinaryHttpResponseParser.Part> parts) {
    for (BinaryHttpResponseParser.Part part : parts) {
      if (part instanceof BinaryHttpResponseParser.Head h) {
        innerHead = new Layer(h.status(), h.headers());
        if (h.status() == 200
            && !StreamLine.MEDIA_TYPE.equals(MediaTypes.essence(innerHead.contentType()))) {
          throw badResponse("the enclave's", "its answer is not " + StreamLine.MEDIA_TYPE);
        }
      } else if (part instanceof BinaryHttpResponseParser.Content c) {
        if (innerHead.status != 200) {
          keep(innerHead, c.bytes());
        } else {
          lines(c.bytes());
        }
      } else if (part instanceof BinaryHttpResponseParser.End) {
        innerEnded = true;
      }
    }
  }

  private void lines(byte[] bytes) {
    int from = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line.write(bytes, from, i - from);
        from = i + 1;
        line(line.toByteArray());
        line.reset();
      }
    }
    line.write(bytes, from, bytes.length - from);
    if (line.size() > StreamLine.MAX_LINE) {
      throw badResponse("the enclave's", "a line is longer than " + StreamLine.MAX_LINE + " bytes");
    }
  }

  private void line(byte[] bytes) {
    if (last != null && last.isFinal()) {
      throw badResponse("the enclave's", "a line after the final one");
    }
    try {
      last = StreamLine.parse(bytes);
    } catch (InvalidRequestException e) {
      throw badResponse("the enclave's", "a line is not valid: " + e.getMessage());
    }
    if (last instanceof StreamLine.Text t) {
      pieces.accept(t.text());
    }
  }

  private static void keep(Layer layer, byte[] bytes) {
    if (layer.refusal.size() + bytes.length > MAX_REFUSAL) {
      throw badResponse("a", "refusal longer than " + MAX_REFUSAL + " bytes");
    }
    layer.refusal.writeBytes(bytes);
  }

  private static PrivateProcessingException refusal(Source source, Layer layer) {
    return PrivateProcessingException.fromResponse(
        source,
        source == Source.GATEWAY ? "the gateway" : "the enclave",
        layer.status,
        layer.contentType(),
        layer.refusal.toByteArray());
  }

  private static PrivateProcessingException chunkFailure(Source source, OhttpException e) {
    String who = source == Source.GATEWAY ? "the gateway's response" : "the enclave's answer";
    return switch (e.reason()) {
      case TRUNCATED ->
          incomplete(who + " ended without its final chunk, so the answer is incomplete");
      case TOO_LARGE ->
          new PrivateProcessingException(
              source,
              0,
              "answer-too-large",
              who + " is over the client's limits: " + e.getMessage());
      default ->
          new PrivateProcessingException(
              source,
              0,
              "bad-chunk",
              who
                  + " has a chunk that does not authenticate (cut, reordered or replayed): "
                  + e.getMessage());
    };
  }

  static PrivateProcessingException incomplete(String why) {
    return new PrivateProcessingException(
        Source.CLIENT, 0, "incomplete-answer", "incomplete answer: " + why);
  }

  private static PrivateProcessingException badResponse(String whose, String why) {
    return new PrivateProcessingException(
        Source.CLIENT, 0, "bad-response", whose + " stream could not be read: " + why);
  }
}
