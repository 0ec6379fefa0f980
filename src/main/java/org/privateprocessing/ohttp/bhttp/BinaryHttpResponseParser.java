package org.privateprocessing.ohttp.bhttp;

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
public final class BinaryHttpResponseParser
    extends IncrementalParser<BinaryHttpResponseParser.Part> {
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

  private int informationalCount;
  private int status;

  public BinaryHttpResponseParser() {
    this(DEFAULT_MAX_FIELD_SECTION);
  }

  public BinaryHttpResponseParser(int maxFieldSectionLength) {
    super(
        "response",
        "response ends inside a ",
        "status code (no final status yet)",
        Codec.KNOWN_LENGTH_RESPONSE,
        Codec.INDETERMINATE_LENGTH_RESPONSE,
        new ParseBuffer(maxFieldSectionLength, "a field section"));
  }

  /** A status code: an informational response with its fields, or the final status. */
  @Override
  boolean start(Codec.Reader r, List<Part> out) throws BinaryHttpException {
    long s = r.varint();
    if (s >= 100 && s <= 199) {
      if (informationalCount >= Codec.MAX_INFORMATIONAL) {
        throw new BinaryHttpException(
            BinaryHttpException.Reason.TOO_LARGE,
            "more than " + Codec.MAX_INFORMATIONAL + " informational responses");
      }
      List<Field> fields = section(r, false);
      informationalCount++;
      out.add(new Informational(new InformationalResponse((int) s, fields)));
      return false;
    } else if (s >= 200 && s <= 599) {
      status = (int) s;
      return true;
    } else {
      throw new BinaryHttpException(
          BinaryHttpException.Reason.MALFORMED, "status code " + s + " out of range");
    }
  }

  @Override
  Part head(List<Field> headers) {
    return new Head(status, headers);
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
