package org.privateprocessing.ohttp.bhttp;

import java.util.Arrays;

/**
 * The input buffer of the incremental parsers ({@link BinaryHttpRequestParser}, {@link
 * BinaryHttpResponseParser}): bytes fed but not yet parsed, {@code [start, end)}. A step reads it
 * through a {@link Codec.Reader} and {@link #consume}s only what it parsed whole, so a short read
 * waits for more input. Bytes the parser is done with are zeroed (they are decrypted plaintext),
 * and a field section that grows past {@code maxFieldSection} is refused, so the buffer stays
 * bounded.
 */
final class ParseBuffer {
  private final int maxFieldSection;
  private final String sectionName;
  private byte[] buf = new byte[256];
  private int start;
  private int end;

  /**
   * @param maxFieldSection the longest field section (or control data) accepted, in bytes
   * @param sectionName what a refusal calls an over-long section
   */
  ParseBuffer(int maxFieldSection, String sectionName) {
    if (maxFieldSection < 1) {
      throw new IllegalArgumentException("maxFieldSectionLength must be positive");
    }
    this.maxFieldSection = maxFieldSection;
    this.sectionName = sectionName;
  }

  void append(byte[] bytes) {
    int live = end - start;
    if (buf.length - end < bytes.length) {
      byte[] target =
          buf.length - live >= bytes.length
              ? buf
              : new byte[Math.max(buf.length * 2, live + bytes.length)];
      System.arraycopy(buf, start, target, 0, live);
      if (target != buf) {
        Arrays.fill(buf, (byte) 0);
      } else {
        Arrays.fill(buf, live, buf.length, (byte) 0);
      }
      buf = target;
      start = 0;
      end = live;
    }
    System.arraycopy(bytes, 0, buf, end, bytes.length);
    end += bytes.length;
  }

  /** A cursor over the unparsed bytes. */
  Codec.Reader reader() {
    return new Codec.Reader(buf, start, end);
  }

  /** Marks what {@code r} read as parsed. */
  void consume(Codec.Reader r) {
    start = r.position();
  }

  boolean isEmpty() {
    return start == end;
  }

  /** The next {@code n} bytes at most (content), taken out and zeroed here. */
  byte[] take(long n) {
    int count = (int) Math.min(n, end - start);
    byte[] out = Arrays.copyOfRange(buf, start, start + count);
    Arrays.fill(buf, start, start + count, (byte) 0);
    start += count;
    return out;
  }

  /** Refuses a section {@code r} read whole that is longer than the cap. */
  void bounded(Codec.Reader r) throws BinaryHttpException {
    if (r.position() - start > maxFieldSection + 16) {
      throw tooLarge();
    }
  }

  /** On a short read: refuses a section that already passed the cap before it is whole. */
  void boundedWhileWaiting() throws BinaryHttpException {
    if (end - start > maxFieldSection + 16) {
      throw tooLarge();
    }
  }

  /** Zeroes all it holds. */
  void wipe() {
    Arrays.fill(buf, (byte) 0);
    start = 0;
    end = 0;
  }

  private BinaryHttpException tooLarge() {
    return new BinaryHttpException(
        BinaryHttpException.Reason.TOO_LARGE,
        sectionName + " longer than " + maxFieldSection + " bytes");
  }
}
