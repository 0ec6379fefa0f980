package org.privateprocessing.ohttp.bhttp;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Binary HTTP request (RFC 9292 section 3): control data (method, scheme, authority, path, as the
 * HTTP/2 pseudo-fields of the same names), header fields, content and trailer fields.
 *
 * <p>Immutable; {@link #content()} returns a copy and {@code equals} compares content by value.
 */
public record BinaryHttpRequest(
    String method,
    String scheme,
    String authority,
    String path,
    List<Field> headers,
    byte[] content,
    List<Field> trailers) {

  public BinaryHttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(content, "content");
    if (!Field.isValidName(method)) {
      throw new IllegalArgumentException("method must be a non-empty token");
    }
    if (!isValidScheme(scheme)) {
      throw new IllegalArgumentException(
          "scheme must be empty or ALPHA *( ALPHA / DIGIT / + / - / . )");
    }
    if (!Codec.isVisibleAscii(authority) || !Codec.isVisibleAscii(path)) {
      throw new IllegalArgumentException("authority and path must be visible ASCII");
    }
    headers = Codec.checkedFields(headers);
    trailers = Codec.checkedFields(trailers);
    content = content.clone();
  }

  /** A request without trailers. */
  public static BinaryHttpRequest of(
      String method,
      String scheme,
      String authority,
      String path,
      List<Field> headers,
      byte[] content) {
    return new BinaryHttpRequest(method, scheme, authority, path, headers, content, List.of());
  }

  /**
   * Parses a request in known-length (framing indicator 0) or indeterminate-length (2) form.
   * Trailing zero padding is accepted (RFC 9292 section 3.8), as are messages truncated after the
   * control data, the header section or the content, which mean empty remaining parts. (Truncation
   * right after control data is beyond RFC 9292 section 3.8 but appears in RFC 9458 Appendix A.)
   */
  public static BinaryHttpRequest parse(byte[] bytes) throws BinaryHttpException {
    Objects.requireNonNull(bytes, "bytes");
    Codec.Reader r = new Codec.Reader(bytes);
    int framing = Codec.framing(r, Codec.KNOWN_LENGTH_REQUEST, Codec.INDETERMINATE_LENGTH_REQUEST);
    String method = Codec.controlString(r, "method");
    String scheme = Codec.controlString(r, "scheme");
    String authority = Codec.controlString(r, "authority");
    String path = Codec.controlString(r, "path");
    List<Field> headers = r.atEnd() ? List.of() : Codec.fieldSection(r, framing, false);
    byte[] content = r.atEnd() ? new byte[0] : Codec.content(r, framing);
    List<Field> trailers = r.atEnd() ? List.of() : Codec.fieldSection(r, framing, true);
    r.requireZeroPadding();
    if (method.isEmpty() || !Field.isValidName(method)) {
      throw new BinaryHttpException(BinaryHttpException.Reason.MALFORMED, "method is not a token");
    }
    if (!isValidScheme(scheme)) {
      throw new BinaryHttpException(BinaryHttpException.Reason.MALFORMED, "invalid scheme");
    }
    return new BinaryHttpRequest(method, scheme, authority, path, headers, content, trailers);
  }

  /** Known-length encoding (framing indicator 0), without truncation or padding. */
  public byte[] encode() {
    return encode(0);
  }

  /** Known-length encoding followed by {@code paddingLength} zero bytes (RFC 9292 section 3.8). */
  public byte[] encode(int paddingLength) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + content.length);
    VarInt.write(out, Codec.KNOWN_LENGTH_REQUEST);
    Codec.writeControlData(out, method, scheme, authority, path);
    Codec.writeKnownLengthBody(out, headers, content, trailers, paddingLength);
    return out.toByteArray();
  }

  /**
   * Indeterminate-length encoding (framing indicator 2, RFC 9292 section 3.2): each field section
   * and the content end with a zero instead of starting with a length, so a sender can produce it
   * incrementally ({@link IndeterminateRequestWriter}); the content is one chunk here.
   */
  public byte[] encodeIndeterminate() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + content.length);
    out.writeBytes(new IndeterminateRequestWriter().head(method, scheme, authority, path, headers));
    Codec.writeIndeterminateContent(out, content);
    Codec.writeIndeterminateSection(out, trailers);
    return out.toByteArray();
  }

  /** The first header field with this name, compared case-insensitively. */
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
    return o instanceof BinaryHttpRequest r
        && method.equals(r.method)
        && scheme.equals(r.scheme)
        && authority.equals(r.authority)
        && path.equals(r.path)
        && headers.equals(r.headers)
        && Arrays.equals(content, r.content)
        && trailers.equals(r.trailers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        method, scheme, authority, path, headers, Arrays.hashCode(content), trailers);
  }

  /** Shows the request line and field names only: values and content may be private. */
  @Override
  public String toString() {
    return "BinaryHttpRequest["
        + method
        + " "
        + scheme
        + "://"
        + authority
        + path
        + ", headers="
        + headers.stream().map(Field::name).toList()
        + ", content="
        + content.length
        + " bytes, trailers="
        + trailers.size()
        + "]";
  }

  // RFC 3986 section 3.1; empty is allowed for CONNECT-style requests.
  static boolean isValidScheme(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      boolean ok = alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
