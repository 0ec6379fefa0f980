package org.privateprocessing.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The tone a suggest request asks for; on the wire its lower-case name. */
public enum Tone {
  FORMAL,
  FRIENDLY,
  CONCISE,
  PROOFREAD;

  /** Reason given when a name is not a tone; it does not repeat the name. */
  static final String EXPECTED = "must be one of formal, friendly, concise, proofread";

  /** The wire name: {@code formal}, {@code friendly}, {@code concise} or {@code proofread}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The tone with this exact wire name (lower case).
   *
   * @throws IllegalArgumentException for anything else; the message does not repeat the input
   */
  public static Tone parse(String wireName) {
    for (Tone t : values()) {
      if (t.wireName().equals(wireName)) {
        return t;
      }
    }
    throw new IllegalArgumentException("tone " + EXPECTED);
  }
}
