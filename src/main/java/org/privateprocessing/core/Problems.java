package org.privateprocessing.core;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.privateprocessing.api.InvalidRequestException;
import org.privateprocessing.api.Problem;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.bhttp.BinaryHttpException;

/**
 * The one place where exceptions become problem responses (RFC 9457). Exceptions carry only
 * structural facts (which field, which check), never request content, so their messages are safe to
 * return; anything unexpected becomes a generic 500 whose detail says nothing of the input.
 */
public final class Problems {
  private static final Logger LOG = Logger.getLogger(Problems.class.getName());

  private Problems() {}

  /** Maps any failure of a stage to the exception that describes it to a client. */
  public static PipelineException toPipelineException(Throwable t) {
    if (t instanceof PipelineException p) {
      return p;
    }
    if (t instanceof OhttpException e) {
      return PipelineException.badRequest(
          "ohttp-" + slug(e.reason().name()), "Oblivious HTTP message refused: " + e.getMessage());
    }
    if (t instanceof BinaryHttpException e) {
      return PipelineException.badRequest(
          "binary-http", "malformed Binary HTTP message: " + e.getMessage());
    }
    if (t instanceof InvalidRequestException e) {
      return PipelineException.badRequest("invalid-request", e.getMessage());
    }
    if (t instanceof ReplyException r) {
      return fromReply(r);
    }
    // Log only the type: an unexpected exception's message might quote input.
    LOG.log(Level.WARNING, "internal error of type {0}", t.getClass().getName());
    return new PipelineException(
        500, "internal", "Internal error", "the request could not be processed");
  }

  public static Problem toProblem(Throwable t) {
    return toPipelineException(t).problem();
  }

  /** Fails an event-bus request with the problem as message and the HTTP status as failure code. */
  public static void fail(Message<?> message, Throwable t) {
    PipelineException p = toPipelineException(t);
    message.fail(
        p.status(), new String(p.problem().encode(), java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Reads a failed event-bus reply back into an exception: a stage's own refusal travels as its
   * problem JSON; no handler or a timeout means the enclave is gone or overloaded (503, retry).
   */
  public static PipelineException fromReply(ReplyException r) {
    if (r.failureType() == ReplyFailure.NO_HANDLERS) {
      return PipelineException.unavailable("no enclave is serving this id right now", 2);
    }
    if (r.failureType() == ReplyFailure.TIMEOUT) {
      return PipelineException.unavailable("the enclave did not answer in time", 2);
    }
    if (r.failureType() == ReplyFailure.RECIPIENT_FAILURE && r.getMessage() != null) {
      try {
        Problem p = Problem.parse(r.getMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String type = p.type();
        String slug =
            type.startsWith(Problem.TYPE_PREFIX)
                ? type.substring(Problem.TYPE_PREFIX.length())
                : "upstream";
        // A 503 (an enclave over capacity) keeps its advice to retry, which the body cannot carry.
        return new PipelineException(
            p.status(), slug, p.title(), p.detail(), p.status() == 503 ? 1 : 0);
      } catch (InvalidRequestException notAProblem) {
        // fall through: a failure we did not produce ourselves
      }
    }
    LOG.log(
        Level.WARNING,
        "unexpected event-bus failure {0} code {1}",
        new Object[] {r.failureType(), r.failureCode()});
    return new PipelineException(502, "upstream", "Bad gateway", "a pipeline stage failed");
  }

  private static String slug(String enumName) {
    return enumName.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
