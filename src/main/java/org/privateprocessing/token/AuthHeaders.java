package org.privateprocessing.token;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parser for the {@code WWW-Authenticate} / {@code Authorization} grammar of RFC 9110 section 11:
 *
 * <pre>
 * challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 * auth-param  = token BWS "=" BWS ( token / quoted-string )
 * </pre>
 *
 * A header value is a comma-separated list of such challenges; an element followed by "=" is a
 * parameter of the current challenge, anything else starts a new one. Scheme and parameter names
 * are case-insensitive (lower-cased here). One leniency: an unquoted parameter value may end in '='
 * padding, which some base64url writers emit without quotes. Package-private.
 */
final class AuthHeaders {
  /** One parsed challenge or credentials: its scheme (lower case), token68 or parameters. */
  record Item(String scheme, String token68, Map<String, String> params) {}

  private final String s;
  private int pos;

  private AuthHeaders(String s) {
    this.s = s;
  }

  static List<Item> parse(String headerValue) throws TokenException {
    return new AuthHeaders(headerValue).items();
  }

  private List<Item> items() throws TokenException {
    List<Item> items = new ArrayList<>();
    String scheme = null;
    String token68 = null;
    Map<String, String> params = null;
    boolean needSeparator = false;
    boolean needParam = false;
    while (true) {
      boolean sawComma = skipOwsAndCommas();
      if (pos == s.length()) {
        break;
      }
      if (needSeparator && !sawComma) {
        throw malformed("missing ',' between elements");
      }
      String name = token();
      if (name.isEmpty()) {
        throw malformed("expected a scheme or parameter name");
      }
      int afterName = pos;
      skipWs();
      if (pos < s.length() && s.charAt(pos) == '=') {
        // auth-param of the current challenge
        if (scheme == null || token68 != null) {
          throw malformed("parameter outside a challenge");
        }
        pos++;
        skipWs();
        String value = value();
        if (params.putIfAbsent(name.toLowerCase(Locale.ROOT), value) != null) {
          // RFC 9110 section 11.2: each parameter name occurs once per challenge.
          throw malformed("repeated parameter");
        }
        needSeparator = true;
        needParam = false;
        continue;
      }
      if (needParam) {
        throw malformed("a scheme and its space must be followed by token68 or parameters");
      }
      // A new scheme: close the previous challenge.
      if (scheme != null) {
        items.add(new Item(scheme, token68, params));
      }
      scheme = name.toLowerCase(Locale.ROOT);
      token68 = null;
      params = new LinkedHashMap<>();
      pos = afterName;
      needSeparator = false;
      if (pos < s.length() && s.charAt(pos) == ' ') {
        skipWs();
        token68 = tryToken68();
        needSeparator = token68 != null;
        needParam = token68 == null && pos < s.length() && s.charAt(pos) != ',';
      } else if (pos < s.length() && s.charAt(pos) != ',') {
        throw malformed("scheme must be followed by a space or ','");
      }
    }
    if (scheme != null) {
      items.add(new Item(scheme, token68, params));
    }
    return items;
  }

  /**
   * token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=", then ',' or the end.
   */
  private String tryToken68() {
    int start = pos;
    int p = pos;
    while (p < s.length() && isToken68Char(s.charAt(p))) {
      p++;
    }
    if (p == start) {
      return null;
    }
    while (p < s.length() && s.charAt(p) == '=') {
      p++;
    }
    int end = p;
    while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
      p++;
    }
    if (p < s.length() && s.charAt(p) != ',') {
      return null; // "name=value": a parameter, parsed by the caller
    }
    pos = end;
    return s.substring(start, end);
  }

  private String value() throws TokenException {
    if (pos < s.length() && s.charAt(pos) == '"') {
      return quoted();
    }
    String v = token();
    int start = pos;
    while (pos < s.length() && s.charAt(pos) == '=') {
      pos++;
    }
    v = v + s.substring(start, pos);
    if (v.isEmpty()) {
      throw malformed("parameter without a value");
    }
    return v;
  }

  private String quoted() throws TokenException {
    pos++; // opening quote
    StringBuilder out = new StringBuilder();
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c == '\\') {
        if (pos == s.length()) {
          break;
        }
        c = s.charAt(pos++);
      }
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        throw malformed("control character in quoted string");
      }
      out.append(c);
    }
    throw malformed("unterminated quoted string");
  }

  private String token() {
    int start = pos;
    while (pos < s.length() && isTchar(s.charAt(pos))) {
      pos++;
    }
    return s.substring(start, pos);
  }

  private boolean skipOwsAndCommas() {
    boolean comma = false;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ',') {
        comma = true;
      } else if (c != ' ' && c != '\t') {
        break;
      }
      pos++;
    }
    return comma;
  }

  private void skipWs() {
    while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
      pos++;
    }
  }

  /** tchar, RFC 9110 section 5.6.2. */
  private static boolean isTchar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static boolean isToken68Char(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~+/".indexOf(c) >= 0;
  }

  private static TokenException malformed(String what) {
    return new TokenException(TokenException.Reason.MALFORMED, "authentication header: " + what);
  }
}
