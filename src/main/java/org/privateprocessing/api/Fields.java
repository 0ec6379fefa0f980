package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Field readers shared by the parsers of this package. Each names the field by its path and never
 * puts the value in the reason. Absent and {@code null} members are treated alike.
 */
final class Fields {
  private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})+");

  private Fields() {}

  static String path(String parent, String name) {
    return parent.equals("$") ? name : parent + "." + name;
  }

  static JsonNode member(JsonNode object, String name) {
    JsonNode n = object.get(name);
    return n == null || n.isNull() ? null : n;
  }

  /**
   * Refuses an object with a member not in {@code allowed}. The refusal names the member by its
   * position in the object (1 for the first), never by its name: a name a client made up is request
   * content like any value.
   *
   * @param allowed the member names the wire type defines, in the order the reason lists them
   */
  static void requireOnly(JsonNode object, String path, List<String> allowed)
      throws InvalidRequestException {
    int position = 0;
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      position++;
      if (!allowed.contains(names.next())) {
        throw new InvalidRequestException(
            path,
            "unknown member at position "
                + position
                + " (allowed here: "
                + String.join(", ", allowed)
                + ")");
      }
    }
  }

  /** {@link #requireObject} then {@link #requireOnly}: an object with only the given members. */
  static JsonNode requireObjectWithOnly(JsonNode node, String path, List<String> allowed)
      throws InvalidRequestException {
    requireOnly(requireObject(node, path), path, allowed);
    return node;
  }

  static JsonNode requireObject(JsonNode node, String path) throws InvalidRequestException {
    if (node == null) {
      throw new InvalidRequestException(path, "is required");
    }
    if (!node.isObject()) {
      throw new InvalidRequestException(path, "must be an object");
    }
    return node;
  }

  static JsonNode requireArray(JsonNode node, String path) throws InvalidRequestException {
    if (node == null) {
      throw new InvalidRequestException(path, "is required");
    }
    if (!node.isArray()) {
      throw new InvalidRequestException(path, "must be an array");
    }
    return node;
  }

  /** A required string of {@code min..max} characters (code points). */
  static String requiredString(JsonNode object, String name, String parent, int min, int max)
      throws InvalidRequestException {
    String path = path(parent, name);
    JsonNode n = member(object, name);
    if (n == null) {
      throw new InvalidRequestException(path, "is required");
    }
    return checkString(n, path, min, max);
  }

  /** An optional string of at most {@code max} characters; null when absent. */
  static String optionalString(JsonNode object, String name, String parent, int max)
      throws InvalidRequestException {
    JsonNode n = member(object, name);
    return n == null ? null : checkString(n, path(parent, name), 0, max);
  }

  private static String checkString(JsonNode n, String path, int min, int max)
      throws InvalidRequestException {
    String range = min <= 0 ? "at most " + max : min + " to " + max;
    if (!n.isTextual()) {
      throw new InvalidRequestException(path, "must be a string of " + range + " characters");
    }
    String s = n.textValue();
    int length = s.codePointCount(0, s.length());
    if (length < min || length > max) {
      throw new InvalidRequestException(path, "must be a string of " + range + " characters");
    }
    return s;
  }

  static boolean optionalBoolean(JsonNode object, String name, String parent, boolean dflt)
      throws InvalidRequestException {
    JsonNode n = member(object, name);
    if (n == null) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw new InvalidRequestException(path(parent, name), "must be true or false");
    }
    return n.booleanValue();
  }

  /** An integer in {@code min..max}; {@code dflt} when absent. */
  static int optionalInt(JsonNode object, String name, String parent, int min, int max, int dflt)
      throws InvalidRequestException {
    JsonNode n = member(object, name);
    if (n == null) {
      return dflt;
    }
    return checkInt(n, path(parent, name), min, max);
  }

  static int requiredInt(JsonNode object, String name, String parent, int min, int max)
      throws InvalidRequestException {
    JsonNode n = member(object, name);
    if (n == null) {
      throw new InvalidRequestException(path(parent, name), "is required");
    }
    return checkInt(n, path(parent, name), min, max);
  }

  private static int checkInt(JsonNode n, String path, int min, int max)
      throws InvalidRequestException {
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
      throw new InvalidRequestException(path, "must be an integer from " + min + " to " + max);
    }
    return n.intValue();
  }

  /** An optional ISO-8601 date-time with offset, e.g. {@code 2026-11-24T10:00:00Z}. */
  static String optionalInstant(JsonNode object, String name, String parent)
      throws InvalidRequestException {
    String path = path(parent, name);
    JsonNode n = member(object, name);
    if (n == null) {
      return null;
    }
    String reason = "must be an ISO-8601 date-time with offset, e.g. 2026-11-24T10:00:00Z";
    if (!n.isTextual() || n.textValue().length() > 64) {
      throw new InvalidRequestException(path, reason);
    }
    if (!isOffsetDateTime(n.textValue())) {
      throw new InvalidRequestException(path, reason);
    }
    return n.textValue();
  }

  /**
   * Whether {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} accepts the text. The usual shape,
   * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+HH:MM|-HH:MM)}, is checked by hand (the formatter costs
   * several microseconds per call, and a chat carries a time on every message); any other shape
   * goes to the formatter, so what is accepted is exactly what it accepts.
   */
  static boolean isOffsetDateTime(String t) {
    Boolean usual = usualOffsetDateTime(t);
    if (usual != null) {
      return usual;
    }
    try {
      OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** Valid or not for the usual shape; null when the text has another shape. */
  private static Boolean usualOffsetDateTime(String t) {
    int len = t.length();
    if (len < 20
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != 'T'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (t.charAt(i) == '.') {
      int start = ++i;
      while (i < len && i - start < 10 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
      }
      int count = i - start;
      if (count < 1 || count > 9) {
        return null;
      }
      nanos = digits(t, start, count);
      for (int k = count; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == len - 1 && t.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == len - 6
        && (t.charAt(i) == '+' || t.charAt(i) == '-')
        && t.charAt(i + 3) == ':') {
      int oh = digits(t, i + 1, 2);
      int om = digits(t, i + 4, 2);
      if ((oh | om) < 0) {
        return null;
      }
      if (om > 59) {
        return false; // ZoneOffset below checks the +-18:00 range, not the minutes
      }
      offsetSeconds = (t.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    try {
      java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos);
      java.time.ZoneOffset.ofTotalSeconds(offsetSeconds);
      return true;
    } catch (java.time.DateTimeException e) {
      return false;
    }
  }

  /** The decimal value of {@code count} ASCII digits at {@code from}; -1 if any is not one. */
  private static int digits(String t, int from, int count) {
    int v = 0;
    for (int k = from; k < from + count; k++) {
      char c = t.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** An optional even-length hex string (a measurement). */
  static String optionalHex(JsonNode object, String name, String parent, int maxChars)
      throws InvalidRequestException {
    JsonNode n = member(object, name);
    if (n == null) {
      return null;
    }
    String path = path(parent, name);
    if (!n.isTextual()
        || n.textValue().length() > maxChars
        || !HEX.matcher(n.textValue()).matches()) {
      throw new InvalidRequestException(
          path, "must be a hex string of at most " + maxChars + " digits");
    }
    return n.textValue();
  }
}
