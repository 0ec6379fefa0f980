package org.privateprocessing.token;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** Byte helpers shared by the wire types; package-private. */
final class Bytes {
  private Bytes() {}

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  static void putU16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static byte[] sha256(byte[] data) {
    return digest("SHA-256").digest(data);
  }

  static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is a mandatory JDK algorithm", e);
    }
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int pos = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }

  /** I2OSP (RFC 8017 section 4.1): big-endian, left-padded to exactly {@code length} bytes. */
  static byte[] i2osp(BigInteger x, int length) {
    byte[] raw = x.toByteArray();
    if (raw.length == length) {
      return raw;
    }
    if (raw.length == length + 1 && raw[0] == 0) {
      return Arrays.copyOfRange(raw, 1, raw.length);
    }
    if (raw.length > length) {
      throw new IllegalArgumentException("integer too large");
    }
    byte[] out = new byte[length];
    System.arraycopy(raw, 0, out, length - raw.length, raw.length);
    return out;
  }

  /** OS2IP (RFC 8017 section 4.2). */
  static BigInteger os2ip(byte[] b) {
    return new BigInteger(1, b);
  }

  static byte[] copyOf(byte[] b, int expectedLength, String name) {
    if (b == null) {
      throw new NullPointerException(name);
    }
    if (b.length != expectedLength) {
      throw new IllegalArgumentException(name + " must be " + expectedLength + " bytes");
    }
    return b.clone();
  }
}
