package org.privateprocessing.relay;

import java.net.ConnectException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.privateprocessing.api.Problem;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.ohttp.MediaTypes;

/**
 * The relay's decisions about a gateway's answers, without Vert.x: which answers reach the client
 * and with what, which answer shows the gateway could not open a request (so {@link
 * GatewayFailover} may try the next one), and which problem a client gets when no gateway answered.
 * {@link RelayVerticle} only wires HTTP to these.
 *
 * <p>What passes: a 200 of the expected media type, or an error status (400 and up) carrying a
 * problem; of it only the status, the content type's essence, a numeric {@code Retry-After} and the
 * body, verbatim. No other gateway header reaches the client (no {@code Set-Cookie}, no server
 * name), so the gateway cannot tag a client through the relay. Anything else the gateway says is a
 * 502: the relay never forwards an answer it cannot vouch is one of the protocol's.
 */
public final class RelayPolicy {
  private RelayPolicy() {}

  /**
   * What the client gets of a gateway answer that passed, besides its body (which passes verbatim):
   * nothing else.
   *
   * @param status the gateway's status
   * @param contentType the essence of the gateway's content type (parameters dropped)
   * @param retryAfter the gateway's {@code Retry-After}, when it was a number of seconds
   */
  public record Passed(int status, String contentType, Optional<String> retryAfter) {}

  /**
   * True for a plain 400 problem: the gateway could not open the outer layer, so it did no work and
   * spent no token (every error after the outer layer opened travels encapsulated, in a 200).
   */
  public static boolean unopened(int status, String contentType) {
    return status == 400 && MediaTypes.essence(contentType).equals(Problem.MEDIA_TYPE);
  }

  /**
   * Decides what of a gateway answer reaches the client.
   *
   * @param status the gateway's status
   * @param contentType the gateway's {@code Content-Type}, or null
   * @param retryAfter the gateway's {@code Retry-After}, or null
   * @param expectedType the media type of a successful answer ({@code message/ohttp-res} to a
   *     request, {@code application/ohttp-keys} to a key fetch)
   * @throws PipelineException 502 {@code bad-gateway-answer} for any answer that is neither a 200
   *     of {@code expectedType} nor an error status with a problem
   */
  public static Passed pass(int status, String contentType, String retryAfter, String expectedType)
      throws PipelineException {
    String type = MediaTypes.essence(contentType);
    boolean ok = status == 200 && type.equals(expectedType);
    // A gateway's plain problem (an outer layer it could not open) holds no content either.
    boolean problem = status >= 400 && type.equals(Problem.MEDIA_TYPE);
    if (!ok && !problem) {
      throw PipelineException.of(
          ProblemType.BAD_GATEWAY_ANSWER,
          "the gateway answered HTTP " + status + " with an unexpected content type");
    }
    return new Passed(status, type, retryAfter(retryAfter));
  }

  /**
   * A {@code Retry-After} that may pass: delay-seconds of at most six digits. Anything else (an
   * HTTP-date, a negative or oversized number, junk) is dropped rather than interpreted.
   */
  public static Optional<String> retryAfter(String value) {
    return value != null && value.matches("\\d{1,6}") ? Optional.of(value) : Optional.empty();
  }

  /**
   * The problem a client gets when no gateway answered: 504 {@code gateway-timeout} ({@code
   * Retry-After: 2}) for a timeout, connect timeouts included; else 502 {@code gateway-unreachable}
   * ({@code Retry-After: 5}). The detail never repeats the failure's message, which may name a
   * gateway's address.
   */
  public static PipelineException unreachable(Throwable t) {
    // By name as well: Vert.x's and Netty's timeouts are not java.util.concurrent's.
    if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
      return PipelineException.of(
          ProblemType.GATEWAY_TIMEOUT, "the gateway did not answer in time; try again");
    }
    String why =
        t instanceof ConnectException
            ? "the gateway is not reachable"
            : "the gateway connection failed";
    return PipelineException.of(ProblemType.GATEWAY_UNREACHABLE, why + "; try again later");
  }

  /**
   * Whether a request announces, in its {@code Content-Length}, a body over {@code maxBodyBytes}:
   * refused before a byte is read or sent on. A missing or unreadable length says nothing (a
   * chunked upload is counted as it passes).
   */
  public static boolean declaredOver(String contentLength, long maxBodyBytes) {
    if (contentLength == null || !contentLength.matches("\\d{1,19}")) {
      return false;
    }
    try {
      return Long.parseLong(contentLength) > maxBodyBytes;
    } catch (NumberFormatException e) {
      return true; // more digits than a long holds
    }
  }
}
