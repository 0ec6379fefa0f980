package org.privateprocessing.ohttp.bhttp;

import java.io.ByteArrayOutputStream;

/**
 * QUIC variable-length integers (RFC 9000 section 16), as used by every length and code in Binary
 * HTTP (RFC 9292 section 3). The two high bits of the first byte give the length (1, 2, 4 or 8
 * bytes); values reach 2^62 - 1. Decoding accepts non-minimal encodings, as RFC 9000 does.
 */
final class VarInt {
  /** The largest encodable value, 2^62 - 1. */
  static final long MAX = (1L << 62) - 1;

  private VarInt() {}

  /** The number of bytes the minimal encoding of {@code value} takes. */
  static int length(long value) {
    if (value < 0 || value > MAX) {
      throw new IllegalArgumentException("varint out of range");
    }
    if (value < (1 << 6)) {
      return 1;
    }
    if (value < (1 << 14)) {
      return 2;
    }
    if (value < (1L << 30)) {
      return 4;
    }
    return 8;
  }

  /** Writes the minimal encoding of {@code value}. */
  static void write(ByteArrayOutputStream out, long value) {
    int len = length(value);
    int prefix = Integer.numberOfTrailingZeros(len); // 1->0, 2->1, 4->2, 8->3
    for (int i = len - 1; i >= 0; i--) {
      int b = (int) (value >>> (8 * i)) & 0xFF;
      if (i == len - 1) {
        b |= prefix << 6;
      }
      out.write(b);
    }
  }

  /** The encoded length announced by a first byte. */
  static int encodedLength(byte first) {
    return 1 << ((first & 0xFF) >>> 6);
  }

  /**
   * Reads a varint at {@code offset}; {@code limit} is the exclusive end of readable input.
   *
   * @throws BinaryHttpException TRUNCATED if the varint extends past {@code limit}
   */
  static long read(byte[] buf, int offset, int limit) throws BinaryHttpException {
    if (offset >= limit) {
      throw new BinaryHttpException(BinaryHttpException.Reason.TRUNCATED, "varint missing");
    }
    int len = encodedLength(buf[offset]);
    if (limit - offset < len) {
      throw new BinaryHttpException(BinaryHttpException.Reason.TRUNCATED, "varint cut short");
    }
    long v = buf[offset] & 0x3F;
    for (int i = 1; i < len; i++) {
      v = (v << 8) | (buf[offset + i] & 0xFF);
    }
    return v;
  }
}
