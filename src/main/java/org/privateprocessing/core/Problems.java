package org.privateprocessing.core;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.privateprocessing.api.InvalidRequestException;
import org.privateprocessing.api.Problem;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.bhttp.BinaryHttpException;
import org.privateprocessing.tlog.TlogException;
import org.privateprocessing.token.TokenException;

/**
 * The one place where exceptions become problem responses (RFC 9457), each an entry of the
 * catalogue {@link ProblemType}. Exceptions carry only structural facts (which field, which check),
 * never request content, so their messages are safe to return; anything unexpected becomes a
 * generic 500 whose detail says nothing of the input. Which protocol failure is which problem is
 * decided below, one function per place that reads a protocol message.
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
      return PipelineException.of(
          outerLayer(e.reason()), "Oblivious HTTP message refused: " + e.getMessage());
    }
    if (t instanceof BinaryHttpException e) {
      return PipelineException.of(
          binaryHttp(e.reason()), "malformed Binary HTTP message: " + e.getMessage());
    }
    if (t instanceof InvalidRequestException e) {
      return PipelineException.of(ProblemType.INVALID_REQUEST, e.getMessage());
    }
    if (t instanceof ReplyException r) {
      return fromReply(r);
    }
    // Log only the type: an unexpected exception's message might quote input. A token, log or
    // attestation failure lands here only when a stage did not refuse it where it read the input
    // (with the functions below): then it is this server's own data that failed.
    LOG.log(Level.WARNING, "internal error of type {0}", t.getClass().getName());
    return PipelineException.of(ProblemType.INTERNAL, "the request could not be processed");
  }

  public static Problem toProblem(Throwable t) {
    return toPipelineException(t).problem();
  }

  /** Fails an event-bus request with the problem as message and the HTTP status as failure code. */
  public static void fail(Message<?> message, Throwable t) {
    PipelineException p = toPipelineException(t);
    message.fail(p.status(), new String(p.problem().encode(), StandardCharsets.UTF_8));
  }

  /**
   * Reads a failed event-bus reply back into an exception: a stage's own refusal travels as its
   * problem JSON; no handler or a timeout means the enclave is gone or overloaded (503, retry).
   */
  public static PipelineException fromReply(ReplyException r) {
    if (r.failureType() == ReplyFailure.NO_HANDLERS) {
      return PipelineException.of(
          ProblemType.UNAVAILABLE, "no enclave is serving this id right now");
    }
    if (r.failureType() == ReplyFailure.TIMEOUT) {
      return PipelineException.of(ProblemType.UNAVAILABLE, "the enclave did not answer in time");
    }
    if (r.failureType() == ReplyFailure.RECIPIENT_FAILURE && r.getMessage() != null) {
      try {
        Problem p = Problem.parse(r.getMessage().getBytes(StandardCharsets.UTF_8));
        String slug =
            p.type().startsWith(Problem.TYPE_PREFIX)
                ? p.type().substring(Problem.TYPE_PREFIX.length())
                : "";
        Optional<ProblemType> known =
            ProblemType.bySlug(slug).filter(type -> type.status() == p.status());
        // A refusal that asks for a retry (an enclave over capacity) keeps that advice, which
        // the body cannot carry, at the shortest wait.
        if (known.isPresent()) {
          return known.get().carriesRetryAfter()
              ? PipelineException.retryAfter(known.get(), p.detail(), 1)
              : PipelineException.of(known.get(), p.detail());
        }
        if (!slug.isEmpty()) {
          return PipelineException.relayed(p, slug, p.status() == 503 ? 1 : 0);
        }
      } catch (InvalidRequestException | IllegalArgumentException notAProblem) {
        // fall through: a failure we did not produce ourselves
      }
    }
    LOG.log(
        Level.WARNING,
        "unexpected event-bus failure {0} code {1}",
        new Object[] {r.failureType(), r.failureCode()});
    return PipelineException.of(ProblemType.UPSTREAM, "a pipeline stage failed");
  }

  // Every reason of every ProtocolException that can meet a request, mapped to the catalogue here
  // and only here. Each is a switch over the reason enum without a default, so a new reason does
  // not compile until someone decides its problem. One reason can mean two problems: a malformed
  // token is a 401 at the gateway and a malformed token request a 400 at the issuer, so each
  // place that reads a protocol message has its own function. VOPRF failures reach a stage only
  // as TokenExceptions (token/ rethrows them); SEV-SNP reports and evidence bundles are checked by
  // clients, never in a request (ProblemsTest holds the list).

  /**
   * The gateway's outer Oblivious HTTP layer (RFC 9458), refused in the clear because no key opened
   * it. {@code PrivateProcessingClient} recognises these by their {@code ohttp-} prefix.
   */
  public static ProblemType outerLayer(OhttpException.Reason reason) {
    return switch (reason) {
      case TRUNCATED -> ProblemType.OHTTP_TRUNCATED;
      case MALFORMED -> ProblemType.OHTTP_MALFORMED;
      case UNKNOWN_KEY_ID -> ProblemType.OHTTP_UNKNOWN_KEY_ID;
      case UNSUPPORTED_KEM -> ProblemType.OHTTP_UNSUPPORTED_KEM;
      case UNSUPPORTED_SUITE -> ProblemType.OHTTP_UNSUPPORTED_SUITE;
      case DECRYPTION_FAILED -> ProblemType.OHTTP_DECRYPTION_FAILED;
      case TOO_LARGE -> ProblemType.OHTTP_TOO_LARGE;
    };
  }

  /**
   * An enclave's inner Oblivious HTTP layer, refused inside the outer layer. An unknown key id is
   * the same problem the enclave's header check answers before decryption.
   */
  public static ProblemType innerLayer(OhttpException.Reason reason) {
    return switch (reason) {
      case TRUNCATED -> ProblemType.INNER_TRUNCATED;
      case MALFORMED -> ProblemType.INNER_MALFORMED;
      case UNKNOWN_KEY_ID -> ProblemType.INNER_UNKNOWN_KEY;
      case UNSUPPORTED_KEM -> ProblemType.INNER_UNSUPPORTED_KEM;
      case UNSUPPORTED_SUITE -> ProblemType.INNER_UNSUPPORTED_SUITE;
      case DECRYPTION_FAILED -> ProblemType.INNER_DECRYPTION_FAILED;
      case TOO_LARGE -> ProblemType.INNER_TOO_LARGE;
    };
  }

  /** A decrypted request that is not Binary HTTP (RFC 9292); the detail tells which check. */
  public static ProblemType binaryHttp(BinaryHttpException.Reason reason) {
    return switch (reason) {
      case TRUNCATED, MALFORMED, UNSUPPORTED_FRAMING, TOO_LARGE -> ProblemType.BINARY_HTTP;
    };
  }

  /**
   * A PrivateToken credential presented to the gateway (RFC 9577). A token type no code here knows
   * cannot be read at all, so it is malformed; {@link ProblemType#UNSUPPORTED_TOKEN_TYPE} is for a
   * known type this gateway does not accept.
   */
  public static ProblemType presentedToken(TokenException.Reason reason) {
    return switch (reason) {
      case MALFORMED, TRUNCATED, UNSUPPORTED_TYPE -> ProblemType.MALFORMED_TOKEN;
      case UNKNOWN_KEY, EXPIRED_KEY -> ProblemType.UNKNOWN_TOKEN_KEY;
      case WRONG_CHALLENGE -> ProblemType.WRONG_CHALLENGE;
      case INVALID_SIGNATURE, INVALID_PROOF -> ProblemType.INVALID_TOKEN;
    };
  }

  /**
   * A token request sent to the issuer (RFC 9578). A key that cannot issue (unknown, or no longer
   * valid) sends the client back to the directory; anything else is the request's fault.
   */
  public static ProblemType tokenRequest(TokenException.Reason reason) {
    return switch (reason) {
      case MALFORMED,
          TRUNCATED,
          UNSUPPORTED_TYPE,
          WRONG_CHALLENGE,
          INVALID_SIGNATURE,
          INVALID_PROOF ->
          ProblemType.MALFORMED_TOKEN_REQUEST;
      case UNKNOWN_KEY, EXPIRED_KEY -> ProblemType.UNKNOWN_TRUNCATED_KEY_ID;
    };
  }

  /** An entry sent to the log's {@code POST /entries}; a damaged store is the log's own fault. */
  public static ProblemType logEntry(TlogException.Reason reason) {
    return switch (reason) {
      case MALFORMED,
          TOO_LARGE,
          BAD_PROOF,
          SIZE,
          UNKNOWN_KEY,
          BAD_SIGNATURE,
          NOT_ENOUGH_SIGNATURES ->
          ProblemType.BAD_ENTRY;
      case INCONSISTENT, CORRUPT_STORE -> ProblemType.INTERNAL;
    };
  }

  /** A witness's cosignature line sent to the log; a damaged store is the log's own fault. */
  public static ProblemType cosignature(TlogException.Reason reason) {
    return switch (reason) {
      case MALFORMED,
          TOO_LARGE,
          BAD_PROOF,
          SIZE,
          UNKNOWN_KEY,
          BAD_SIGNATURE,
          NOT_ENOUGH_SIGNATURES ->
          ProblemType.BAD_COSIGNATURE;
      case INCONSISTENT, CORRUPT_STORE -> ProblemType.INTERNAL;
    };
  }

  /**
   * A proof the log was asked for: its only input is sizes and indexes, so a failure that blames
   * the input is a size out of range; one that blames the tree is the log's own fault.
   */
  public static ProblemType proof(TlogException.Reason reason) {
    return switch (reason) {
      case SIZE, MALFORMED, TOO_LARGE -> ProblemType.BAD_SIZE;
      case BAD_PROOF,
          UNKNOWN_KEY,
          BAD_SIGNATURE,
          NOT_ENOUGH_SIGNATURES,
          INCONSISTENT,
          CORRUPT_STORE ->
          ProblemType.INTERNAL;
    };
  }
}
