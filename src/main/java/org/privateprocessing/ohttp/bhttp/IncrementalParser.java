package org.privateprocessing.ohttp.bhttp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The state machine both incremental Binary HTTP parsers share (RFC 9292): the framing indicator,
 * the header section, content in either framing (known length, or chunks of indeterminate length up
 * to the zero terminator), the trailer section, zero padding, and where the stream may end (section
 * 3.8). What differs is only the start of the message (the request's control data, the response's
 * status codes and informational responses) and the part types each parser hands out, so a subclass
 * gives {@link #start}, {@link #head}, {@link #content} and {@link #end}.
 *
 * <p>Content bytes are zeroed here once they are passed on in a part. Single owner; after a failure
 * every call throws {@link IllegalStateException}.
 *
 * @param <P> the parser's public part type
 */
abstract sealed class IncrementalParser<P>
    permits BinaryHttpRequestParser, BinaryHttpResponseParser {
  private enum State {
    FRAMING,
    START,
    HEADERS,
    CONTENT_LENGTH,
    CONTENT_BYTES,
    TRAILERS,
    PADDING,
    FAILED,
    FINISHED
  }

  /** The bytes fed but not parsed yet. */
  final ParseBuffer in;

  private final String message;
  private final String endsInside;
  private final String startName;
  private final int knownLength;
  private final int indeterminateLength;
  private State state = State.FRAMING;
  private int framing;
  private long contentRemaining;
  private boolean contentStarted;

  /**
   * @param message the message's name in refusals ("request", "response")
   * @param endsInside how a refusal at the end of the stream begins, before the part it ended in
   * @param startName what a refusal calls the start of the message (before the header section)
   * @param knownLength the framing indicator of the known-length form
   * @param indeterminateLength the framing indicator of the indeterminate-length form
   * @param in the input buffer, with its cap on a section
   */
  IncrementalParser(
      String message,
      String endsInside,
      String startName,
      int knownLength,
      int indeterminateLength,
      ParseBuffer in) {
    this.message = message;
    this.endsInside = endsInside;
    this.startName = startName;
    this.knownLength = knownLength;
    this.indeterminateLength = indeterminateLength;
    this.in = in;
  }

  /**
   * Parses the start of the message, which the buffer's cursor {@code r} is at, adding any parts it
   * completes to {@code out}. It checks the length of a section it read with {@link
   * ParseBuffer#bounded}; what it read is then consumed.
   *
   * @return true when the header section comes next, false to parse the start again (an
   *     informational response was read)
   * @throws BinaryHttpException TRUNCATED when its bytes are not all in yet (nothing is consumed)
   */
  abstract boolean start(Codec.Reader r, List<P> out) throws BinaryHttpException;

  /** The part for the start of the message with its header section. */
  abstract P head(List<Field> headers);

  /** The part for content bytes; {@code bytes} is zeroed after this returns. */
  abstract P content(byte[] bytes);

  /** The part for the trailer section, which completes the message. */
  abstract P end(List<Field> trailers);

  /** Feeds the next bytes; returns the parts they complete (possibly none). */
  public List<P> feed(byte[] bytes) throws BinaryHttpException {
    requireUsable();
    in.append(bytes);
    List<P> out = new ArrayList<>();
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
   * Ends the stream: returns the parts still implied (the head, the end) when the message may end
   * here (RFC 9292 section 3.8), or refuses it as TRUNCATED.
   */
  public List<P> finish() throws BinaryHttpException {
    requireUsable();
    List<P> out = new ArrayList<>();
    boolean empty = in.isEmpty();
    State at = state;
    state = State.FAILED;
    if (!empty && at != State.PADDING) {
      throw new BinaryHttpException(
          BinaryHttpException.Reason.TRUNCATED, endsInside + describe(at));
    }
    switch (at) {
      case HEADERS -> {
        out.add(head(List.of()));
        out.add(end(List.of()));
      }
      case CONTENT_LENGTH, TRAILERS -> {
        if (at == State.CONTENT_LENGTH && !Codec.isKnownLength(framing) && contentStarted) {
          throw new BinaryHttpException(
              BinaryHttpException.Reason.TRUNCATED,
              message + " ends before its content terminator");
        }
        out.add(end(List.of()));
      }
      case PADDING -> {}
      default ->
          throw new BinaryHttpException(
              BinaryHttpException.Reason.TRUNCATED, endsInside + describe(at));
    }
    state = State.FINISHED;
    return out;
  }

  /** Zeroes the bytes the parser still holds; it refuses further input. */
  void wipe() {
    in.wipe();
    if (state != State.FINISHED) {
      state = State.FAILED;
    }
  }

  private void requireUsable() {
    if (state == State.FAILED || state == State.FINISHED) {
      throw new IllegalStateException(
          state == State.FAILED
              ? "the " + message + " already failed"
              : "the " + message + " was finished");
    }
  }

  private String describe(State s) {
    return switch (s) {
      case FRAMING -> "framing indicator";
      case START -> startName;
      case HEADERS -> "header section";
      case CONTENT_LENGTH, CONTENT_BYTES -> "content";
      case TRAILERS -> "trailer section";
      default -> "message";
    };
  }

  /** One parse step on the buffer; false when more input is needed. */
  private boolean step(List<P> out) throws BinaryHttpException {
    Codec.Reader r = in.reader();
    try {
      switch (state) {
        case FRAMING -> {
          framing = Codec.framing(r, knownLength, indeterminateLength);
          in.consume(r);
          state = State.START;
        }
        case START -> {
          boolean headersNext = start(r, out);
          in.consume(r);
          if (headersNext) {
            state = State.HEADERS;
          }
        }
        case HEADERS -> {
          List<Field> headers = section(r, false);
          in.consume(r);
          out.add(head(headers));
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
          out.add(content(bytes));
          contentRemaining -= bytes.length;
          Arrays.fill(bytes, (byte) 0);
          if (contentRemaining == 0) {
            state = Codec.isKnownLength(framing) ? State.TRAILERS : State.CONTENT_LENGTH;
          }
        }
        case TRAILERS -> {
          List<Field> trailers = section(r, true);
          in.consume(r);
          out.add(end(trailers));
          state = State.PADDING;
        }
        case PADDING -> {
          r.requireZeroPadding();
          in.consume(r);
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

  /** A field section in this message's framing, refused when longer than the cap. */
  final List<Field> section(Codec.Reader r, boolean trailers) throws BinaryHttpException {
    List<Field> fields = Codec.fieldSection(r, framing, trailers);
    in.bounded(r);
    return fields;
  }
}
