package org.privateprocessing.ohttp.bhttp;

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
public final class BinaryHttpRequestParser extends IncrementalParser<BinaryHttpRequestParser.Part> {
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

  private String[] control;

  public BinaryHttpRequestParser() {
    this(BinaryHttpResponseParser.DEFAULT_MAX_FIELD_SECTION);
  }

  public BinaryHttpRequestParser(int maxFieldSectionLength) {
    super(
        "request",
        "request ends inside its ",
        "control data",
        Codec.KNOWN_LENGTH_REQUEST,
        Codec.INDETERMINATE_LENGTH_REQUEST,
        new ParseBuffer(maxFieldSectionLength, "control data or a field section"));
  }

  /** Zeroes the bytes the parser still holds; it refuses further input. */
  @Override
  public void wipe() {
    super.wipe();
  }

  @Override
  boolean start(Codec.Reader r, List<Part> out) throws BinaryHttpException {
    String method = Codec.controlString(r, "method");
    String scheme = Codec.controlString(r, "scheme");
    String authority = Codec.controlString(r, "authority");
    String path = Codec.controlString(r, "path");
    if (method.isEmpty() || !Field.isValidName(method)) {
      throw new BinaryHttpException(BinaryHttpException.Reason.MALFORMED, "method is not a token");
    }
    if (!BinaryHttpRequest.isValidScheme(scheme)) {
      throw new BinaryHttpException(BinaryHttpException.Reason.MALFORMED, "invalid scheme");
    }
    in.bounded(r);
    control = new String[] {method, scheme, authority, path};
    return true;
  }

  @Override
  Part head(List<Field> headers) {
    return new Head(control[0], control[1], control[2], control[3], headers);
  }

  @Override
  Part content(byte[] bytes) {
    return new Content(bytes);
  }

  @Override
  Part end(List<Field> trailers) {
    return new End(trailers);
  }
}
