package org.privateprocessing.ohttp.bhttp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses a Binary HTTP response (RFC 9292) incrementally, in known-length (framing indicator 1) or
 * indeterminate-length (3) form: {@link #feed} bytes as they are decrypted and get the parts they
 * complete, {@link #finish} at the end of the stream. Content comes out as soon as its bytes
 * arrive, so a client can show an answer while it streams; field sections come out whole.
 *
 * <p>The rules are those of {@link BinaryHttpResponse#parse}: the same truncation points and zero
 * padding, the same field checks and limits. A field section longer than {@code
 * maxFieldSectionLength} is refused as {@code TOO_LARGE}, so the buffer stays bounded. Single
 * owner; after a failure every call throws {@link IllegalStateException}.
 */
public final class BinaryHttpResponseParser {
  /** One part of a response, in the order they are parsed. */
  public sealed interface Part permits Informational, Head, Content, End {}

  /** An interim (1xx) response. */
  public record Informational(InformationalResponse response) implements Part {}

  /** The final status and header section. */
  public record Head(int status, List<Field> headers) implements Part {}

  /** Bytes of content, as they arrived (not aligned with the sender's chunks). */
  public record Content(byte[] bytes) implements Part {
    public Content {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Content c && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Content[" + bytes.length + " bytes]";
    }
  }

  /** The trailer section; the response is complete. */
  public record End(List<Field> trailers) implements Part {}

  /** The default cap on one field section: 64 KiB. */
  public static final int DEFAULT_MAX_FIELD_SECTION = 1 << 16;

  private enum State {
    FRAMING,
    STATUS,
    HEADERS,
    CONTENT_LENGTH,
    CONTENT_BYTES,
    TRAILERS,
    PADDING,
    FAILED,
    FINISHED
  }

  private final ParseBuffer in;
  private State state = State.FRAMING;
  private int framing;
  private int informationalCount;
  private int status;
  private long contentRemaining;
  private boolean contentStarted;

  public BinaryHttpResponseParser() {
    this(DEFAULT_MAX_FIELD_SECTION);
  }

  public BinaryHttpResponseParser(int maxFieldSectionLength) {
    this.in = new ParseBuffer(maxFieldSectionLength, "a field section");
  }

  /** Feeds the next bytes; returns the parts they complete (possibly none). */
  public List<Part> feed(byte[] bytes) throws BinaryHttpException {
    if (state == State.FAILED || state == State.FINISHED) {
      throw new IllegalStateException(
          state == State.FAILED ? "the response already failed" : "the response was finished");
    }
    in.append(bytes);
    List<Part> out = new ArrayList<>();
    try {
      while (step(out)) {
        // each step consumes input or changes state
      }
      return out;
    } catch (BinaryHttpException e) {
      state = State.FAILED;
      throw e;
    }
  }

  /**
   * Ends the stream: returns the parts still implied (the head, {@link End}) when the response may
   * end here (RFC 9292 section 3.8), or refuses it as TRUNCATED.
   */
  public List<Part> finish() throws BinaryHttpException {
    if (state == State.FAILED || state == State.FINISHED) {
      throw new IllegalStateException(
          state == State.FAILED ? "the response already failed" : "the response was finished");
    }
    List<Part> out = new ArrayList<>();
    boolean empty = in.isEmpty();
    State at = state;
    state = State.FAILED;
    if (!empty && at != State.PADDING) {
      throw new BinaryHttpException(
          BinaryHttpException.Reason.TRUNCATED, "response ends inside a " + describe(at));
    }
    switch (at) {
      case HEADERS -> {
        out.add(new Head(status, List.of()));
        out.add(new End(List.of()));
      }
      case CONTENT_LENGTH, TRAILERS -> {
        if (at == State.CONTENT_LENGTH && !Codec.isKnownLength(framing) && contentStarted) {
          throw new BinaryHttpException(
              BinaryHttpException.Reason.TRUNCATED, "response ends before its content terminator");
        }
        out.add(new End(List.of()));
      }
      case PADDING -> {}
      default ->
          throw new BinaryHttpException(
              BinaryHttpException.Reason.TRUNCATED, "response ends inside a " + describe(at));
    }
    state = State.FINISHED;
    return out;
  }

  private static String describe(State s) {
    return switch (s) {
      case FRAMING -> "framing indicator";
      case STATUS -> "status code (no final status yet)";
      case HEADERS -> "header section";
      case CONTENT_LENGTH, CONTENT_BYTES -> "content";
      case TRAILERS -> "trailer section";
      default -> "message";
    };
  }

  /** One parse step on the buffer; false when more input is needed. */
  private boolean step(List<Part> out) throws BinaryHttpException {
    Codec.Reader r = in.reader();
    try {
      switch (state) {
        case FRAMING -> {
          framing =
              Codec.framing(r, Codec.KNOWN_LENGTH_RESPONSE, Codec.INDETERMINATE_LENGTH_RESPONSE);
          in.consume(r);
          state = State.STATUS;
        }
        case STATUS -> {
          long s = r.varint();
          if (s >= 100 && s <= 199) {
            if (informationalCount >= Codec.MAX_INFORMATIONAL) {
              throw new BinaryHttpException(
                  BinaryHttpException.Reason.TOO_LARGE,
                  "more than " + Codec.MAX_INFORMATIONAL + " informational responses");
            }
            List<Field> fields = section(r);
            in.consume(r);
            informationalCount++;
            out.add(new Informational(new InformationalResponse((int) s, fields)));
          } else if (s >= 200 && s <= 599) {
            in.consume(r);
            status = (int) s;
            state = State.HEADERS;
          } else {
            throw new BinaryHttpException(
                BinaryHttpException.Reason.MALFORMED, "status code " + s + " out of range");
          }
        }
        case HEADERS -> {
          List<Field> headers = section(r);
          in.consume(r);
          out.add(new Head(status, headers));
          state = State.CONTENT_LENGTH;
        }
        case CONTENT_LENGTH -> {
          long length = r.varint();
          in.consume(r);
          if (length == 0) {
            state = State.TRAILERS; // empty known-length content, or the indeterminate terminator
          } else {
            contentStarted = true;
            contentRemaining = length;
            state = State.CONTENT_BYTES;
          }
        }
        case CONTENT_BYTES -> {
          if (in.isEmpty()) {
            return false;
          }
          byte[] bytes = in.take(contentRemaining);
          out.add(new Content(bytes));
          contentRemaining -= bytes.length;
          Arrays.fill(bytes, (byte) 0);
          if (contentRemaining == 0) {
            state = Codec.isKnownLength(framing) ? State.TRAILERS : State.CONTENT_LENGTH;
          }
        }
        case TRAILERS -> {
          List<Field> trailers = section(r);
          in.consume(r);
          out.add(new End(trailers));
          state = State.PADDING;
        }
        case PADDING -> {
          in.padding();
          return false;
        }
        default -> throw new IllegalStateException(state.name());
      }
      return true;
    } catch (BinaryHttpException e) {
      if (e.reason() == BinaryHttpException.Reason.TRUNCATED) {
        in.boundedWhileWaiting();
        return false; // wait for more input; nothing was consumed
      }
      throw e;
    }
  }

  private List<Field> section(Codec.Reader r) throws BinaryHttpException {
    List<Field> fields = Codec.fieldSection(r, framing, false);
    in.bounded(r);
    return fields;
  }
}
