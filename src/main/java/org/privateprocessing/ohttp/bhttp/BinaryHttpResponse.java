package org.privateprocessing.ohttp.bhttp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Binary HTTP response (RFC 9292 section 3): any informational (1xx) responses, then the final
 * status (200..599), header fields, content and trailer fields. Reason phrases are not carried.
 *
 * <p>Immutable; {@link #content()} returns a copy and {@code equals} compares content by value.
 */
public record BinaryHttpResponse(
    List<InformationalResponse> informational,
    int status,
    List<Field> headers,
    byte[] content,
    List<Field> trailers) {

  public BinaryHttpResponse {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("final status must be 200..599");
    }
    informational = List.copyOf(informational);
    if (informational.size() > Codec.MAX_INFORMATIONAL) {
      throw new IllegalArgumentException(
          "more than " + Codec.MAX_INFORMATIONAL + " informational responses");
    }
    headers = Codec.checkedFields(headers);
    trailers = Codec.checkedFields(trailers);
    content = Objects.requireNonNull(content, "content").clone();
  }

  /** A final response with no informational responses and no trailers. */
  public static BinaryHttpResponse of(int status, List<Field> headers, byte[] content) {
    return new BinaryHttpResponse(List.of(), status, headers, content, List.of());
  }

  /**
   * Parses a response in known-length (framing indicator 1) or indeterminate-length (3) form, with
   * the same padding and truncation rules as {@link BinaryHttpRequest#parse}. An informational
   * response always needs its header section.
   */
  public static BinaryHttpResponse parse(byte[] bytes) throws BinaryHttpException {
    Objects.requireNonNull(bytes, "bytes");
    Codec.Reader r = new Codec.Reader(bytes);
    int framing =
        Codec.framing(r, Codec.KNOWN_LENGTH_RESPONSE, Codec.INDETERMINATE_LENGTH_RESPONSE);
    List<InformationalResponse> informational = new ArrayList<>();
    long status;
    while (true) {
      status = r.varint();
      if (status >= 100 && status <= 199) {
        if (informational.size() >= Codec.MAX_INFORMATIONAL) {
          throw new BinaryHttpException(
              BinaryHttpException.Reason.TOO_LARGE,
              "more than " + Codec.MAX_INFORMATIONAL + " informational responses");
        }
        informational.add(
            new InformationalResponse((int) status, Codec.fieldSection(r, framing, false)));
      } else if (status >= 200 && status <= 599) {
        break;
      } else {
        throw new BinaryHttpException(
            BinaryHttpException.Reason.MALFORMED, "status code " + status + " out of range");
      }
    }
    List<Field> headers = r.atEnd() ? List.of() : Codec.fieldSection(r, framing, false);
    byte[] content = r.atEnd() ? new byte[0] : Codec.content(r, framing);
    List<Field> trailers = r.atEnd() ? List.of() : Codec.fieldSection(r, framing, true);
    r.requireZeroPadding();
    return new BinaryHttpResponse(informational, (int) status, headers, content, trailers);
  }

  /** Known-length encoding (framing indicator 1), without truncation or padding. */
  public byte[] encode() {
    return encode(0);
  }

  /** Known-length encoding followed by {@code paddingLength} zero bytes (RFC 9292 section 3.8). */
  public byte[] encode(int paddingLength) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + content.length);
    VarInt.write(out, Codec.KNOWN_LENGTH_RESPONSE);
    for (InformationalResponse i : informational) {
      VarInt.write(out, i.status());
      Codec.writeKnownLengthSection(out, i.headers());
    }
    VarInt.write(out, status);
    Codec.writeKnownLengthBody(out, headers, content, trailers, paddingLength);
    return out.toByteArray();
  }

  /**
   * Indeterminate-length encoding (framing indicator 3, RFC 9292 section 3.2), as {@link
   * IndeterminateResponseWriter} produces it incrementally; the content is one chunk here.
   */
  public byte[] encodeIndeterminate() {
    IndeterminateResponseWriter w = new IndeterminateResponseWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + content.length);
    for (InformationalResponse i : informational) {
      out.writeBytes(w.informational(i));
    }
    out.writeBytes(w.head(status, headers));
    out.writeBytes(w.content(content));
    out.writeBytes(w.end(trailers));
    return out.toByteArray();
  }

  /** The first header field of the final response with this name, compared case-insensitively. */
  public Optional<String> header(String name) {
    return Codec.header(headers, name);
  }

  /** The content (a copy). */
  @Override
  public byte[] content() {
    return content.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BinaryHttpResponse r
        && status == r.status
        && informational.equals(r.informational)
        && headers.equals(r.headers)
        && Arrays.equals(content, r.content)
        && trailers.equals(r.trailers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(informational, status, headers, Arrays.hashCode(content), trailers);
  }

  /** Shows status and field names only: values and content may be private. */
  @Override
  public String toString() {
    return "BinaryHttpResponse["
        + status
        + ", informational="
        + informational.stream().map(InformationalResponse::status).toList()
        + ", headers="
        + headers.stream().map(Field::name).toList()
        + ", content="
        + content.length
        + " bytes, trailers="
        + trailers.size()
        + "]";
  }
}
