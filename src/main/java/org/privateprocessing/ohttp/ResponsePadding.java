package org.privateprocessing.ohttp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Pads Binary HTTP responses with trailing zeros (RFC 9292 section 3.8) up to a bucket size, so
 * that the relay and the gateway, which see only ciphertext lengths, see a few sizes instead of the
 * length of each answer. A response of {@code n} bytes becomes the smallest bucket of at least
 * {@code n}; above the largest bucket it becomes the next multiple of the largest. Sizes up to
 * {@code m} bytes thus map to at most {@code buckets + ceil(m / largest) - 1} distinct lengths.
 *
 * <p>The receiver needs nothing: every Binary HTTP parser accepts zero padding and drops it ({@link
 * org.privateprocessing.ohttp.bhttp.BinaryHttpResponse#parse}). The padding only suits content that
 * allows trailing zeros, which is why {@link RequestDecapsulator} applies it to responses of the
 * Binary HTTP labels.
 *
 * @param buckets strictly increasing positive sizes; empty means no padding
 */
public record ResponsePadding(List<Integer> buckets) {
  /** No padding: each response keeps its own length. */
  public static final ResponsePadding NONE = new ResponsePadding(List.of());

  /**
   * Powers of two from 1 KiB to 64 KiB, then multiples of 64 KiB: at most 7 sizes up to 64 KiB, and
   * never more than twice the length (past the first bucket).
   */
  public static final ResponsePadding DEFAULT =
      new ResponsePadding(List.of(1 << 10, 1 << 11, 1 << 12, 1 << 13, 1 << 14, 1 << 15, 1 << 16));

  public ResponsePadding {
    buckets = List.copyOf(Objects.requireNonNull(buckets, "buckets"));
    int previous = 0;
    for (int b : buckets) {
      if (b <= previous) {
        throw new IllegalArgumentException(
            "padding buckets must be positive and strictly increasing, got " + buckets);
      }
      previous = b;
    }
  }

  /**
   * Parses a configuration value: {@code none}, {@code default}, or sizes separated by commas, each
   * a number of bytes with an optional {@code k} (KiB) suffix, e.g. {@code 1k,4k,16k,64k}.
   *
   * @throws IllegalArgumentException naming the bad part and the expected form
   */
  public static ResponsePadding parse(String value) {
    Objects.requireNonNull(value, "value");
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("none")) {
      return NONE;
    }
    if (v.equals("default")) {
      return DEFAULT;
    }
    List<Integer> sizes = new ArrayList<>();
    for (String part : v.split(",", -1)) {
      String p = part.trim();
      int factor = p.endsWith("k") ? 1024 : 1;
      String digits = factor == 1 ? p : p.substring(0, p.length() - 1);
      long size;
      try {
        size = Long.parseLong(digits) * factor;
      } catch (NumberFormatException e) {
        size = -1;
      }
      if (size <= 0
          || size > (1 << 24)
          || digits.isEmpty()
          || !digits.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException(
            "response padding: '"
                + part.trim()
                + "' is not a size; write none, default, or increasing sizes such as 1k,4k,16k,64k"
                + " (each at most 16384k)");
      }
      if (!sizes.isEmpty() && size <= sizes.get(sizes.size() - 1)) {
        throw new IllegalArgumentException(
            "response padding: sizes must be strictly increasing, such as 1k,4k,16k,64k; '"
                + part.trim()
                + "' is not above the size before it");
      }
      sizes.add((int) size);
    }
    return new ResponsePadding(sizes);
  }

  /** Whether this policy pads at all. */
  public boolean isEnabled() {
    return !buckets.isEmpty();
  }

  /** The length a response of {@code length} bytes is padded to. */
  public int paddedLength(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative");
    }
    if (buckets.isEmpty()) {
      return length;
    }
    for (int b : buckets) {
      if (length <= b) {
        return b;
      }
    }
    int largest = buckets.get(buckets.size() - 1);
    long rounded = ((long) length + largest - 1) / largest * largest;
    if (rounded > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("response too large to pad");
    }
    return (int) rounded;
  }

  /** {@code response} followed by zeros up to {@link #paddedLength}; the same array when none. */
  public byte[] pad(byte[] response) {
    int target = paddedLength(response.length);
    return target == response.length ? response : Arrays.copyOf(response, target);
  }

  /** The configuration form that {@link #parse} reads back. */
  @Override
  public String toString() {
    if (buckets.isEmpty()) {
      return "none";
    }
    StringBuilder sb = new StringBuilder();
    for (int b : buckets) {
      sb.append(sb.length() == 0 ? "" : ",").append(b % 1024 == 0 ? (b / 1024) + "k" : b);
    }
    return sb.toString();
  }
}
