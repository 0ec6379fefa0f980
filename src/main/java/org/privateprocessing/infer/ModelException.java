package org.privateprocessing.infer;

import java.util.Objects;

/**
 * A model could not answer. The message names the cause (and an HTTP status) only: never any chat
 * content, nor any part of what a model server sent, so it is safe to log.
 */
public final class ModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a model could not answer. */
  public enum Reason {
    /** The model server could not be reached (connection refused, reset, TLS failure). */
    CONNECT,
    /** The model server did not answer within the request timeout. */
    TIMEOUT,
    /** The model server answered with a status other than 200. */
    HTTP_STATUS,
    /** The answer is not the expected JSON, or its content has not the expected shape. */
    MALFORMED,
    /** The answer has no choices, or an empty or blank content. */
    EMPTY,
    /** The answer, or its content, is larger than allowed. */
    OVERSIZED,
    /** The model stopped at its token budget, so its answer is cut short. */
    TRUNCATED,
    /** The calling thread was interrupted while waiting. */
    INTERRUPTED,
    /**
     * A streamed answer ended early: the stream closed without its end marker, or the server
     * reported an error in it after it began to answer.
     */
    INCOMPLETE
  }

  private final Reason reason;
  private final int status;

  public ModelException(Reason reason, String message) {
    this(reason, -1, message, null);
  }

  public ModelException(Reason reason, int status, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.status = status;
  }

  public Reason reason() {
    return reason;
  }

  /** The HTTP status for {@link Reason#HTTP_STATUS}, else -1. */
  public int status() {
    return status;
  }

  /**
   * The cause and status only, e.g. {@code HTTP_STATUS 500} or {@code TIMEOUT}: what may be logged.
   */
  public String summary() {
    return status >= 0 ? reason + " " + status : reason.name();
  }
}
