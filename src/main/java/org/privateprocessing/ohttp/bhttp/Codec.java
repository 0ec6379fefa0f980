package org.privateprocessing.ohttp.bhttp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Shared encoder/decoder pieces of RFC 9292: a bounds-checked cursor, field sections and content in
 * both framings. Package-private; the record types are the public face.
 */
final class Codec {
  /** Cap on field lines per section: the format itself has no limit (RFC 9292 section 7). */
  static final int MAX_FIELDS = 256;

  /** Cap on informational responses before the final one. */
  static final int MAX_INFORMATIONAL = 32;

  static final int KNOWN_LENGTH_REQUEST = 0;
  static final int KNOWN_LENGTH_RESPONSE = 1;
  static final int INDETERMINATE_LENGTH_REQUEST = 2;
  static final int INDETERMINATE_LENGTH_RESPONSE = 3;

  private Codec() {}

  /**
   * A cursor over {@code [pos, end)}. {@code shortReason} is what running out of input means: at
   * top level the message is TRUNCATED; inside a known-length field section whose length was
   * already satisfied, a field line overrunning it is MALFORMED.
   */
  static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;
    private final BinaryHttpException.Reason shortReason;

    Reader(byte[] buf) {
      this(buf, 0, buf.length, BinaryHttpException.Reason.TRUNCATED);
    }

    /** A top-level cursor over {@code [pos, end)} (the incremental parser's buffer). */
    Reader(byte[] buf, int pos, int end) {
      this(buf, pos, end, BinaryHttpException.Reason.TRUNCATED);
    }

    /** The index of the next unread byte. */
    int position() {
      return pos;
    }

    private Reader(byte[] buf, int pos, int end, BinaryHttpException.Reason shortReason) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
      this.shortReason = shortReason;
    }

    boolean atEnd() {
      return pos >= end;
    }

    int remaining() {
      return end - pos;
    }

    long varint() throws BinaryHttpException {
      long v;
      try {
        v = VarInt.read(buf, pos, end);
      } catch (BinaryHttpException e) {
        throw new BinaryHttpException(shortReason, e.getMessage());
      }
      pos += VarInt.encodedLength(buf[pos]);
      return v;
    }

    /** Length-checked before allocating: an untrusted length never exceeds the bytes present. */
    private int checkedLength(long length, String what) throws BinaryHttpException {
      if (length > remaining()) {
        throw new BinaryHttpException(shortReason, what + " length exceeds the remaining input");
      }
      return (int) length;
    }

    byte[] bytes(long length, String what) throws BinaryHttpException {
      int n = checkedLength(length, what);
      byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return out;
    }

    /** A sub-reader over the next {@code length} bytes (a known-length section). */
    Reader slice(long length, String what) throws BinaryHttpException {
      int n = checkedLength(length, what);
      Reader r = new Reader(buf, pos, pos + n, BinaryHttpException.Reason.MALFORMED);
      pos += n;
      return r;
    }

    /** RFC 9292 section 3.8: anything after the message must be zero padding. */
    void requireZeroPadding() throws BinaryHttpException {
      for (int i = pos; i < end; i++) {
        if (buf[i] != 0) {
          throw new BinaryHttpException(
              BinaryHttpException.Reason.MALFORMED, "non-zero byte after the message");
        }
      }
      pos = end;
    }
  }

  static boolean isKnownLength(int framing) {
    return framing == KNOWN_LENGTH_REQUEST || framing == KNOWN_LENGTH_RESPONSE;
  }

  /** Reads the framing indicator (RFC 9292 section 3.3), accepting only the two {@code allowed}. */
  static int framing(Reader r, int knownLength, int indeterminateLength)
      throws BinaryHttpException {
    long f = r.varint();
    if (f != knownLength && f != indeterminateLength) {
      throw new BinaryHttpException(
          BinaryHttpException.Reason.UNSUPPORTED_FRAMING, "framing indicator " + f);
    }
    return (int) f;
  }

  /** A field section in either framing (RFC 9292 sections 3.6 and 3.2). */
  static List<Field> fieldSection(Reader r, int framing, boolean trailers)
      throws BinaryHttpException {
    List<Field> fields = new ArrayList<>();
    if (isKnownLength(framing)) {
      Reader section = r.slice(r.varint(), "field section");
      while (!section.atEnd()) {
        addField(fields, section, section.varint());
      }
    } else {
      for (long nameLength = r.varint(); nameLength != 0; nameLength = r.varint()) {
        addField(fields, r, nameLength);
      }
    }
    return List.copyOf(fields);
  }

  private static void addField(List<Field> fields, Reader r, long nameLength)
      throws BinaryHttpException {
    if (fields.size() >= MAX_FIELDS) {
      throw new BinaryHttpException(
          BinaryHttpException.Reason.TOO_LARGE, "more than " + MAX_FIELDS + " field lines");
    }
    if (nameLength == 0) {
      throw new BinaryHttpException(BinaryHttpException.Reason.MALFORMED, "empty field name");
    }
    byte[] name = r.bytes(nameLength, "field name");
    byte[] value = r.bytes(r.varint(), "field value");
    String n = new String(name, StandardCharsets.ISO_8859_1);
    String v = new String(value, StandardCharsets.ISO_8859_1);
    // Token rules exclude ':' so pseudo-fields (":method", ...) are rejected here too (RFC 9292
    // 3.6).
    if (!Field.isValidName(n)) {
      throw new BinaryHttpException(BinaryHttpException.Reason.MALFORMED, "invalid field name");
    }
    if (!Field.isValidValue(v)) {
      throw new BinaryHttpException(BinaryHttpException.Reason.MALFORMED, "invalid field value");
    }
    fields.add(new Field(n, v));
  }

  /** Content in either framing (RFC 9292 sections 3.7 and 3.2). */
  static byte[] content(Reader r, int framing) throws BinaryHttpException {
    if (isKnownLength(framing)) {
      return r.bytes(r.varint(), "content");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long chunk = r.varint(); chunk != 0; chunk = r.varint()) {
      out.writeBytes(r.bytes(chunk, "content chunk"));
    }
    return out.toByteArray();
  }

  /** A length-prefixed ASCII control-data string (RFC 9292 section 3.4). */
  static String controlString(Reader r, String what) throws BinaryHttpException {
    byte[] b = r.bytes(r.varint(), what);
    for (byte x : b) {
      if (x < 0x21 || x > 0x7E) {
        throw new BinaryHttpException(
            BinaryHttpException.Reason.MALFORMED, what + " has a byte outside visible ASCII");
      }
    }
    return new String(b, StandardCharsets.US_ASCII);
  }

  static void writeField(ByteArrayOutputStream out, Field f) {
    writeString(out, f.name(), StandardCharsets.US_ASCII);
    writeString(out, f.value(), StandardCharsets.ISO_8859_1);
  }

  static void writeKnownLengthSection(ByteArrayOutputStream out, List<Field> fields) {
    ByteArrayOutputStream section = new ByteArrayOutputStream();
    fields.forEach(f -> writeField(section, f));
    VarInt.write(out, section.size());
    out.writeBytes(section.toByteArray());
  }

  static void writeKnownLengthContent(ByteArrayOutputStream out, byte[] content) {
    VarInt.write(out, content.length);
    out.writeBytes(content);
  }

  /**
   * What follows the start of a known-length message: header section, content, trailer section (RFC
   * 9292 sections 3.6 and 3.7), then {@code paddingLength} zero bytes (section 3.8).
   */
  static void writeKnownLengthBody(
      ByteArrayOutputStream out,
      List<Field> headers,
      byte[] content,
      List<Field> trailers,
      int paddingLength) {
    writeKnownLengthSection(out, headers);
    writeKnownLengthContent(out, content);
    writeKnownLengthSection(out, trailers);
    writePadding(out, paddingLength);
  }

  /** A request's control data: method, scheme, authority, path (RFC 9292 section 3.4). */
  static void writeControlData(
      ByteArrayOutputStream out, String method, String scheme, String authority, String path) {
    writeString(out, method, StandardCharsets.US_ASCII);
    writeString(out, scheme, StandardCharsets.US_ASCII);
    writeString(out, authority, StandardCharsets.US_ASCII);
    writeString(out, path, StandardCharsets.US_ASCII);
  }

  /** An indeterminate-length field section: each line, then a zero (RFC 9292 section 3.2). */
  static void writeIndeterminateSection(ByteArrayOutputStream out, List<Field> fields) {
    fields.forEach(f -> writeField(out, f));
    VarInt.write(out, 0);
  }

  /** Indeterminate-length content: one chunk when not empty, then a zero (section 3.2). */
  static void writeIndeterminateContent(ByteArrayOutputStream out, byte[] content) {
    if (content.length > 0) {
      VarInt.write(out, content.length);
      out.writeBytes(content);
    }
    VarInt.write(out, 0);
  }

  /**
   * One chunk of indeterminate-length content written on its own ({@code length || bytes}), for a
   * writer that sends content as it is produced. Empty content writes nothing, since a zero length
   * would end the content.
   */
  static byte[] contentChunk(byte[] piece) {
    if (piece.length == 0) {
      return new byte[0];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(piece.length + 4);
    VarInt.write(out, piece.length);
    out.writeBytes(piece);
    return out.toByteArray();
  }

  /** The end of indeterminate-length content (a zero), then the trailer section. */
  static byte[] endOfContent(List<Field> checkedTrailers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    VarInt.write(out, 0);
    writeIndeterminateSection(out, checkedTrailers);
    return out.toByteArray();
  }

  static void writeString(ByteArrayOutputStream out, String s, java.nio.charset.Charset cs) {
    byte[] b = s.getBytes(cs);
    VarInt.write(out, b.length);
    out.writeBytes(b);
  }

  static void writePadding(ByteArrayOutputStream out, int paddingLength) {
    if (paddingLength < 0) {
      throw new IllegalArgumentException("padding length must not be negative");
    }
    out.writeBytes(new byte[paddingLength]);
  }

  static Optional<String> header(List<Field> headers, String name) {
    return headers.stream().filter(f -> f.hasName(name)).map(Field::value).findFirst();
  }

  static List<Field> checkedFields(List<Field> fields) {
    List<Field> copy = List.copyOf(fields);
    if (copy.size() > MAX_FIELDS) {
      throw new IllegalArgumentException("more than " + MAX_FIELDS + " fields");
    }
    return copy;
  }

  /** Visible ASCII or empty (RFC 9292 section 3.4 control data). */
  static boolean isVisibleAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }
}
