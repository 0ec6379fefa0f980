package org.privateprocessing.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * What travels between stages that may sit on different nodes: one Oblivious HTTP message, which is
 * ciphertext by construction (an encapsulated request or response). Nothing else rides along, so a
 * cluster hop can never carry content in the clear.
 */
public final class Envelope {
  /** Which of the four OHTTP messages of a request's path this is. */
  public enum Kind {
    OUTER_REQUEST(1),
    INNER_REQUEST(2),
    INNER_RESPONSE(3),
    OUTER_RESPONSE(4);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind fromCode(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown envelope kind " + code);
    }
  }

  private final Kind kind;
  private final byte[] ciphertext;

  private Envelope(Kind kind, byte[] ciphertext) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.ciphertext = ciphertext;
  }

  /** An envelope holding a copy of {@code ciphertext}. */
  public static Envelope of(Kind kind, byte[] ciphertext) {
    return new Envelope(kind, Objects.requireNonNull(ciphertext, "ciphertext").clone());
  }

  /**
   * An envelope that takes {@code ciphertext} over without copying it: for an array its caller has
   * just made (a request body read from a buffer, a sealed answer, a decoded wire message) and
   * never touches again. Saves one copy of the message per event-bus hop; use {@link #of} when the
   * array is shared.
   */
  public static Envelope wrap(Kind kind, byte[] ciphertext) {
    return new Envelope(kind, Objects.requireNonNull(ciphertext, "ciphertext"));
  }

  public Kind kind() {
    return kind;
  }

  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  public int size() {
    return ciphertext.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope e && e.kind == kind && Arrays.equals(e.ciphertext, ciphertext);
  }

  @Override
  public int hashCode() {
    return 31 * kind.hashCode() + Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "Envelope[" + kind + ", " + ciphertext.length + " bytes]";
  }
}
