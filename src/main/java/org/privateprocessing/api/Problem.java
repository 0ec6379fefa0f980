package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * An error response body, RFC 9457 "Problem Details for HTTP APIs" ({@value #MEDIA_TYPE}). {@code
 * detail} may be null; it must never carry request content or a stack trace.
 */
public record Problem(String type, String title, int status, String detail) {
  /** RFC 9457 section 3. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** Prefix of this project's problem type URIs. */
  public static final String TYPE_PREFIX = "urn:private-processing:problem:";

  private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

  /**
   * A problem of type {@code urn:private-processing:problem:<slug>}.
   *
   * @param slug lower-case words joined by hyphens, e.g. {@code invalid-request}
   */
  public static Problem of(int status, String slug, String title, String detail) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be from 100 to 599");
    }
    if (slug == null || !SLUG.matcher(slug).matches()) {
      throw new IllegalArgumentException("slug must be lower-case words joined by hyphens");
    }
    return new Problem(TYPE_PREFIX + slug, title, status, detail);
  }

  /** Parses a problem body; {@code type}, {@code title} and {@code status} are required. */
  public static Problem parse(byte[] json) throws InvalidRequestException {
    JsonNode root = Fields.requireObject(Json.read(json), "$");
    return new Problem(
        Fields.requiredString(root, "type", "$", 1, 2048),
        Fields.requiredString(root, "title", "$", 0, 2048),
        Fields.requiredInt(root, "status", "$", 100, 599),
        Fields.optionalString(root, "detail", "$", 1 << 16));
  }

  /** The problem as UTF-8 JSON, null members omitted. */
  public byte[] encode() {
    return Json.write(this);
  }
}
