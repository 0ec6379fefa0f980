package org.privateprocessing.core;

/**
 * The check every listener runs on a request target before routing it (RFC 9112 section 3.2, RFC
 * 3986 section 2): visible ASCII only, and every {@code %} the start of a two-digit hex escape.
 * Vert.x Web decodes the path while matching routes and the query when a handler reads it; a broken
 * escape there is an exception, logged with its stack trace, instead of a 400.
 */
final class RequestTargets {
  private RequestTargets() {}

  /**
   * Why {@code target} is refused, naming the check and the position, never the content; null when
   * it is well-formed.
   */
  static String malformed(String target) {
    if (target == null || target.isEmpty()) {
      return "the request target is empty";
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return "the request target has a byte outside visible ASCII at position "
            + i
            + "; percent-encode it";
      }
      if (c == '%'
          && (i + 2 >= target.length()
              || !hex(target.charAt(i + 1))
              || !hex(target.charAt(i + 2)))) {
        return "the request target has a '%' at position " + i + " not followed by two hex digits";
      }
    }
    return null;
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
