package org.privateprocessing.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.privateprocessing.api.Problem;

/**
 * A refusal with an HTTP status, raised by any stage. Its slug, status and title come from one
 * {@link ProblemType} of the catalogue; {@link Problems} turns it, and every other exception, into
 * an RFC 9457 problem in one place. Details never contain request content; the extra headers are
 * protocol headers ({@code Retry-After}, {@code WWW-Authenticate}).
 */
public final class PipelineException extends Exception {
  private static final long serialVersionUID = 1L;

  private static final String RETRY_AFTER = "retry-after";

  private final int status;
  private final String slug;
  private final String title;
  private final Map<String, String> headers;

  private PipelineException(
      int status, String slug, String title, String detail, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /**
   * A refusal of this type, with its default {@code Retry-After} when it carries one.
   *
   * @param detail what failed, naming fields and checks, never request content
   * @throws IllegalArgumentException for a type whose wait only the caller knows ({@link
   *     ProblemType#RETRY_AFTER_COMPUTED}): use {@link #retryAfter}
   */
  public static PipelineException of(ProblemType type, String detail) {
    return of(type, detail, Map.of());
  }

  /**
   * As {@link #of(ProblemType, String)}, with protocol headers such as {@code WWW-Authenticate}
   * (lower-case names). {@code Retry-After} is not among them: it comes from the type, or from
   * {@link #retryAfter}.
   */
  public static PipelineException of(ProblemType type, String detail, Map<String, String> headers) {
    if (type.retryAfterSeconds() == ProblemType.RETRY_AFTER_COMPUTED) {
      throw new IllegalArgumentException(type + " needs the caller's Retry-After: use retryAfter");
    }
    if (headers.containsKey(RETRY_AFTER)) {
      throw new IllegalArgumentException("Retry-After comes from the problem type");
    }
    Map<String, String> all = new LinkedHashMap<>();
    if (type.retryAfterSeconds() > 0) {
      all.put(RETRY_AFTER, Integer.toString(type.retryAfterSeconds()));
    }
    all.putAll(headers);
    return new PipelineException(type.status(), type.slug(), type.title(), detail, all);
  }

  /**
   * A refusal of a type that carries {@code Retry-After}, with a wait other than its default: the
   * issuer's until a slot frees, a store's longer pause.
   *
   * @throws IllegalArgumentException when the type carries no {@code Retry-After} or {@code
   *     seconds} is not positive
   */
  public static PipelineException retryAfter(ProblemType type, String detail, long seconds) {
    if (!type.carriesRetryAfter()) {
      throw new IllegalArgumentException(type + " carries no Retry-After");
    }
    if (seconds < 1) {
      throw new IllegalArgumentException("Retry-After must be at least 1 s: " + seconds);
    }
    return new PipelineException(
        type.status(),
        type.slug(),
        type.title(),
        detail,
        Map.of(RETRY_AFTER, Long.toString(seconds)));
  }

  /**
   * A problem another stage of this pipeline answered with a slug this build's catalogue lacks (an
   * enclave newer than its gateway), passed on as it came rather than hidden behind a 502.
   *
   * @throws IllegalArgumentException when the slug or status is not well-formed
   */
  static PipelineException relayed(Problem problem, String slug, int retryAfterSeconds) {
    Problem.of(problem.status(), slug, problem.title(), problem.detail()); // validates
    return new PipelineException(
        problem.status(),
        slug,
        problem.title(),
        problem.detail(),
        retryAfterSeconds > 0
            ? Map.of(RETRY_AFTER, Integer.toString(retryAfterSeconds))
            : Map.of());
  }

  public int status() {
    return status;
  }

  /**
   * The catalogue's type of this refusal; empty for a problem relayed from another stage with a
   * slug this build does not know.
   */
  public Optional<ProblemType> type() {
    return ProblemType.bySlug(slug).filter(t -> t.status() == status);
  }

  /** Whether this refusal is of {@code type}. */
  public boolean is(ProblemType type) {
    return status == type.status() && slug.equals(type.slug());
  }

  /** Headers the response must carry besides the problem body (lower-case names). */
  public Map<String, String> headers() {
    return headers;
  }

  public Problem problem() {
    return Problem.of(status, slug, title, getMessage());
  }
}
