package org.privateprocessing.tlog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Strict JSON reading and canonical writing for {@link LogEntry}. */
final class EntryJson {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private EntryJson() {}

  static byte[] bytes(ObjectNode o) {
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  static String b64(byte[] b) {
    return B64.encodeToString(b);
  }

  static void text(String s, String field) {
    if (s == null || s.isEmpty() || s.length() > LogEntry.MAX_TEXT) {
      throw new IllegalArgumentException(
          field + " must be 1 to " + LogEntry.MAX_TEXT + " characters");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new IllegalArgumentException(field + " must not contain control characters");
      }
    }
  }

  static void exactly(JsonNode node, String... names) throws TlogException {
    Set<String> want = new TreeSet<>(List.of(names));
    List<String> extra = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (!want.remove(n)) {
        extra.add(shorten(n));
      }
    }
    if (!extra.isEmpty()) {
      throw malformed("log entry has unknown field(s) " + extra);
    }
    if (!want.isEmpty()) {
      throw malformed("log entry is missing field(s) " + want);
    }
  }

  static String string(JsonNode node, String name) throws TlogException {
    JsonNode v = node.get(name);
    if (!v.isTextual()) {
      throw malformed("log entry field '" + name + "' is not a string");
    }
    return v.textValue();
  }

  static Instant instant(JsonNode node, String name) throws TlogException {
    String s = string(node, name);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw malformed(
          "log entry field '" + name + "' is not an RFC 3339 UTC time like 2026-01-31T12:00:00Z");
    }
  }

  /** Base64url without padding, canonical only (re-encoding gives the same string). */
  static byte[] base64(JsonNode node, String name) throws TlogException {
    String s = string(node, name);
    byte[] out;
    try {
      out = Base64.getUrlDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw malformed("log entry field '" + name + "' is not base64url");
    }
    if (!B64.encodeToString(out).equals(s)) {
      throw malformed("log entry field '" + name + "' is not canonical base64url without padding");
    }
    return out;
  }

  static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  // Jackson's messages quote the input; say only where it stopped making sense.
  static String why(JsonProcessingException e) {
    com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
    return at == null ? "unreadable" : "at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  static TlogException malformed(String message) {
    return new TlogException(TlogException.Reason.MALFORMED, message);
  }
}
