package org.privateprocessing.client;

import org.privateprocessing.api.Problem;

/**
 * Why a private request did not produce an answer: where it was refused, the HTTP status (0 when
 * the client refused before sending) and the problem's type and detail as the server sent them.
 */
public final class PrivateProcessingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Which party refused. */
  public enum Source {
    CLIENT,
    RELAY,
    GATEWAY,
    ENCLAVE,
    ISSUER
  }

  private final Source source;
  private final int status;
  private final String type;

  public PrivateProcessingException(Source source, int status, String type, String detail) {
    super(detail);
    this.source = source;
    this.status = status;
    this.type = type;
  }

  static PrivateProcessingException of(Source source, Problem problem) {
    return new PrivateProcessingException(
        source, problem.status(), problem.type(), problem.detail());
  }

  /**
   * A refusal read from a response: its problem body when it has one (RFC 9457), otherwise the bare
   * status, described by {@code who} ("the relay", "the issuer" ...).
   */
  static PrivateProcessingException fromResponse(
      Source source, String who, int status, String contentType, byte[] body) {
    if (body != null
        && Problem.MEDIA_TYPE.equals(org.privateprocessing.ohttp.MediaTypes.essence(contentType))) {
      try {
        return of(source, Problem.parse(body));
      } catch (org.privateprocessing.api.InvalidRequestException notAProblem) {
        // described by its status below
      }
    }
    return new PrivateProcessingException(
        source,
        status,
        "http-" + status,
        who + " answered HTTP " + status + " without a problem description");
  }

  public Source source() {
    return source;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  /** One line for a person: who refused, the status and why. */
  public String describe() {
    if (status == 0 && type != null && type.endsWith("-unreachable")) {
      return getMessage(); // nothing was refused: nothing answered (the message says who)
    }
    return source.name().toLowerCase(java.util.Locale.ROOT)
        + " refused"
        + (status > 0 ? " (HTTP " + status + ")" : "")
        + ": "
        + getMessage();
  }
}
