package org.privateprocessing.pipeline;

import org.privateprocessing.api.Problem;

/**
 * A refusal with an HTTP status, raised by any stage. {@link Problems} turns it, and every other
 * exception, into an RFC 9457 problem in one place. Details never contain request content.
 */
public final class PipelineException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String slug;
  private final String title;
  private final int retryAfterSeconds;

  public PipelineException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, 0);
  }

  public PipelineException(int status, String slug, String title, String detail, int retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static PipelineException badRequest(String slug, String detail) {
    return new PipelineException(400, slug, "Bad request", detail);
  }

  public static PipelineException notFound(String slug, String detail) {
    return new PipelineException(404, slug, "Not found", detail);
  }

  public static PipelineException unavailable(String detail, int retryAfterSeconds) {
    return new PipelineException(503, "unavailable", "Service unavailable", detail, retryAfterSeconds);
  }

  public int status() {
    return status;
  }

  /** Seconds a client should wait before retrying, 0 when not applicable. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public Problem problem() {
    return Problem.of(status, slug, title, getMessage());
  }
}
