package org.privateprocessing.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.privateprocessing.api.Problem;

/**
 * A refusal with an HTTP status, raised by any stage. {@link Problems} turns it, and every other
 * exception, into an RFC 9457 problem in one place. Details never contain request content; the
 * extra headers are protocol headers ({@code Retry-After}, {@code WWW-Authenticate}).
 */
public final class PipelineException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String slug;
  private final String title;
  private final Map<String, String> headers;

  public PipelineException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, Map.of());
  }

  public PipelineException(
      int status, String slug, String title, String detail, int retryAfterSeconds) {
    this(
        status,
        slug,
        title,
        detail,
        retryAfterSeconds > 0
            ? Map.of("retry-after", Integer.toString(retryAfterSeconds))
            : Map.of());
  }

  public PipelineException(
      int status, String slug, String title, String detail, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  public static PipelineException badRequest(String slug, String detail) {
    return new PipelineException(400, slug, "Bad request", detail);
  }

  public static PipelineException notFound(String slug, String detail) {
    return new PipelineException(404, slug, "Not found", detail);
  }

  public static PipelineException unavailable(String detail, int retryAfterSeconds) {
    return new PipelineException(
        503, "unavailable", "Service unavailable", detail, retryAfterSeconds);
  }

  public int status() {
    return status;
  }

  /** Headers the response must carry besides the problem body (lower-case names). */
  public Map<String, String> headers() {
    return headers;
  }

  public Problem problem() {
    return Problem.of(status, slug, title, getMessage());
  }
}
