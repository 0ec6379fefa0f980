package org.privateprocessing.ohttp.bhttp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Parses a Binary HTTP request (RFC 9292) incrementally, in known-length (framing indicator 0) or
 * indeterminate-length (2) form: {@link #feed} bytes as they are decrypted and get the parts they
 * complete, {@link #finish} at the end of the stream. The {@link Head} (control data and header
 * section) comes out as soon as its bytes are in, so a server can check a request's headers before
 * its content has arrived; content comes out as its bytes arrive.
 *
 * <p>The counterpart of {@link BinaryHttpResponseParser}, with the rules of {@link
 * BinaryHttpRequest#parse}: the same truncation points (after the control data, the header section
 * or the content) and zero padding, the same field checks and limits. Control data or a field
 * section longer than {@code maxFieldSectionLength} is refused as {@code TOO_LARGE}, so the buffer
 * stays bounded. Single owner; after a failure every call throws {@link IllegalStateException}.
 * {@link #wipe} zeroes what the parser still holds.
 */
public final class BinaryHttpRequestParser {
  /** One part of a request, in the order they are parsed. */
  public sealed interface Part permits Head, Content, End {}

  /** The control data and the header section. */
  public record Head(
      String method, String scheme, String authority, String path, List<Field> headers)
      implements Part {
    public Head {
      headers = List.copyOf(headers);
    }

    /** The first header field with this name, compared case-insensitively. */
    public Optional<String> header(String name) {
      return Codec.header(headers, name);
    }

    /** This head as a request with {@code content} and no trailers. */
    public BinaryHttpRequest request(byte[] content) {
      return BinaryHttpRequest.of(method, scheme, authority, path, headers, content);
    }
  }

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

  /** The trailer section; the request is complete. */
  public record End(List<Field> trailers) implements Part {}

  private enum State {
    FRAMING,
    CONTROL,
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
  private String[] control;
  private long contentRemaining;
  private boolean contentStarted;

  public BinaryHttpRequestParser() {
    this(BinaryHttpResponseParser.DEFAULT_MAX_FIELD_SECTION);
  }

  public BinaryHttpRequestParser(int maxFieldSectionLength) {
    this.in = new ParseBuffer(maxFieldSectionLength, "control data or a field section");
  }

  /** Feeds the next bytes; returns the parts they complete (possibly none). */
  public List<Part> feed(byte[] bytes) throws BinaryHttpException {
    requireUsable();
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
   * Ends the stream: returns the parts still implied (the head, {@link End}) when the request may
   * end here (RFC 9292 section 3.8, and right after the control data as {@link
   * BinaryHttpRequest#parse} allows), or refuses it as TRUNCATED.
   */
  public List<Part> finish() throws BinaryHttpException {
    requireUsable();
    List<Part> out = new ArrayList<>();
    boolean empty = in.isEmpty();
    State at = state;
    state = State.FAILED;
    if (!empty && at != State.PADDING) {
      throw new BinaryHttpException(
          BinaryHttpException.Reason.TRUNCATED, "request ends inside its " + describe(at));
    }
    switch (at) {
      case HEADERS -> {
        out.add(head(List.of()));
        out.add(new End(List.of()));
      }
      case CONTENT_LENGTH, TRAILERS -> {
        if (at == State.CONTENT_LENGTH && !Codec.isKnownLength(framing) && contentStarted) {
          throw new BinaryHttpException(
              BinaryHttpException.Reason.TRUNCATED, "request ends before its content terminator");
        }
        out.add(new End(List.of()));
      }
      case PADDING -> {}
      default ->
          throw new BinaryHttpException(
              BinaryHttpException.Reason.TRUNCATED, "request ends inside its " + describe(at));
    }
    state = State.FINISHED;
    return out;
  }

  /** Zeroes the bytes the parser still holds; it refuses further input. */
  public void wipe() {
    in.wipe();
    if (state != State.FINISHED) {
      state = State.FAILED;
    }
  }

  private void requireUsable() {
    if (state == State.FAILED || state == State.FINISHED) {
      throw new IllegalStateException(
          state == State.FAILED ? "the request already failed" : "the request was finished");
    }
  }

  private static String describe(State s) {
    return switch (s) {
      case FRAMING -> "framing indicator";
      case CONTROL -> "control data";
      case HEADERS -> "header section";
      case CONTENT_LENGTH, CONTENT_BYTES -> "content";
      case TRAILERS -> "trailer section";
      default -> "message";
    };
  }

  private Head head(List<Field> headers) {
    return new Head(control[0], control[1], control[2], control[3], headers);
  }

  /** One parse step on the buffer; false when more input is needed. */
  private boolean step(List<Part> out) throws BinaryHttpException {
    Codec.Reader r = in.reader();
    try {
      switch (state) {
        case FRAMING -> {
          framing =
              Codec.framing(r, Codec.KNOWN_LENGTH_REQUEST, Codec.INDETERMINATE_LENGTH_REQUEST);
          in.consume(r);
          state = State.CONTROL;
        }
        case CONTROL -> {
          String method = Codec.controlString(r, "method");
          String scheme = Codec.controlString(r, "scheme");
          String authority = Codec.controlString(r, "authority");
          String path = Codec.controlString(r, "path");
          if (method.isEmpty() || !Field.isValidName(method)) {
            throw new BinaryHttpException(
                BinaryHttpException.Reason.MALFORMED, "method is not a token");
          }
          if (!BinaryHttpRequest.isValidScheme(scheme)) {
            throw new BinaryHttpException(BinaryHttpException.Reason.MALFORMED, "invalid scheme");
          }
          in.bounded(r);
          in.consume(r);
          control = new String[] {method, scheme, authority, path};
          state = State.HEADERS;
        }
        case HEADERS -> {
          List<Field> headers = Codec.fieldSection(r, framing, false);
          in.bounded(r);
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
          out.add(new Content(bytes));
          contentRemaining -= bytes.length;
          Arrays.fill(bytes, (byte) 0);
          if (contentRemaining == 0) {
            state = Codec.isKnownLength(framing) ? State.TRAILERS : State.CONTENT_LENGTH;
          }
        }
        case TRAILERS -> {
          List<Field> trailers = Codec.fieldSection(r, framing, true);
          in.bounded(r);
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
}
