package org.privateprocessing.ohttp.bhttp;

import java.util.Locale;
import java.util.Objects;

/**
 * One field line (RFC 9292 section 3.6). Names are case-insensitive (RFC 9110 section 5.1), so they
 * are stored and encoded in lower case; {@code equals} therefore ignores the case the caller used.
 *
 * <p>Names must be tokens (RFC 9110 section 5.6.2). Values follow the HTTP/2 rule that RFC 9292
 * adopts (RFC 9113 section 8.2.1): no NUL, CR or LF, and no leading or trailing space or tab.
 * Values are octets mapped one-to-one to ISO-8859-1 characters, so any valid value round-trips.
 */
public record Field(String name, String value) {
  public Field {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (!isValidName(name)) {
      throw new IllegalArgumentException("field name must be a non-empty token");
    }
    if (!isValidValue(value)) {
      throw new IllegalArgumentException(
          "field value contains NUL/CR/LF, non-Latin-1 or surrounding whitespace");
    }
    name = name.toLowerCase(Locale.ROOT);
  }

  /** Whether {@code name} (any case) is this field's name. */
  public boolean hasName(String name) {
    return this.name.equalsIgnoreCase(name);
  }

  static boolean isValidName(CharSequence name) {
    if (name.length() == 0) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isTchar(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isValidValue(CharSequence value) {
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == 0 || c == '\r' || c == '\n' || c > 0xFF) {
        return false;
      }
    }
    return n == 0 || !(isWhitespace(value.charAt(0)) || isWhitespace(value.charAt(n - 1)));
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  /** tchar of RFC 9110 section 5.6.2. */
  static boolean isTchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
