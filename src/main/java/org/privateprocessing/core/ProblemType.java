package org.privateprocessing.core;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.privateprocessing.api.Problem;

/**
 * Every problem (RFC 9457) a server of this project answers, declared once: its slug (the problem
 * type is {@code urn:private-processing:problem:<slug>}), its HTTP status, its title, and the
 * {@code Retry-After} it carries. The "Errors" table of {@code docs/PROTOCOL.md} lists the same
 * entries, and {@code ProblemCatalogueDocTest} fails when the two differ.
 *
 * <p>A slug means one thing: it is never answered with two statuses. Stages name an entry ({@code
 * PipelineException.of(ProblemType.BAD_QUERY, detail)}) and never spell a slug, status or title.
 * The order below follows the pipeline: any listener, relay, gateway, enclave, issuer, log.
 */
public enum ProblemType {
  // Any listener (HttpListeners), and the routers inside the outer and inner layers.
  /** No route for this path. */
  NO_SUCH_ENDPOINT(404, "no-such-endpoint", "Not found"),
  /** The path exists, not with this method. */
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  /** The body's media type is not the one the route takes. */
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  /** The body is larger than the listener accepts. */
  BODY_TOO_LARGE(413, "body-too-large", "Content too large"),
  /**
   * The request is not well-formed HTTP (request line, header fields, a request target with a
   * broken percent-escape, chunked framing), or Vert.x refused it before any handler.
   */
  HTTP_REQUEST_REFUSED(400, "http-400", "Request refused"),
  /** The request line (mostly its target) is longer than the listener accepts. */
  URI_TOO_LONG(414, "uri-too-long", "URI too long"),
  /** The header fields together are larger than the listener accepts. */
  HEADERS_TOO_LARGE(431, "headers-too-large", "Request header fields too large"),
  /** Anything unexpected; the detail says nothing of the input. */
  INTERNAL(500, "internal", "Internal error"),
  /** A stage at its in-flight bound ({@link InFlightLimiter}): retry shortly. */
  OVERLOADED(503, "overloaded", "Service unavailable", 1),
  /**
   * The next stage is not there or did not answer (2 s), or a store could not record a request (5
   * s, given by the caller).
   */
  UNAVAILABLE(503, "unavailable", "Service unavailable", 2),
  /** A stage behind this one failed without a problem description of its own. */
  UPSTREAM(502, "upstream", "Bad gateway"),

  // Relay.
  /** The gateway refused the connection or it broke. */
  GATEWAY_UNREACHABLE(502, "gateway-unreachable", "Bad gateway", 5),
  /** The gateway answered with a status or content type the relay does not pass on. */
  BAD_GATEWAY_ANSWER(502, "bad-gateway-answer", "Bad gateway"),
  /** The gateway did not answer within the relay's timeout. */
  GATEWAY_TIMEOUT(504, "gateway-timeout", "Gateway timeout", 2),

  // Gateway, plain: the outer layer cannot be opened, so there is no key to answer privately.
  // PrivateProcessingClient recognises these by the "ohttp-" prefix and status 400.
  /** RFC 9458: the outer request ends early. */
  OHTTP_TRUNCATED(400, "ohttp-truncated", "Bad request"),
  /** RFC 9458: the outer request is structurally invalid. */
  OHTTP_MALFORMED(400, "ohttp-malformed", "Bad request"),
  /** RFC 9458 section 4.3: no gateway key has the request's key id. */
  OHTTP_UNKNOWN_KEY_ID(400, "ohttp-unknown-key-id", "Bad request"),
  /** The outer request's KEM is not its key config's. */
  OHTTP_UNSUPPORTED_KEM(400, "ohttp-unsupported-kem", "Bad request"),
  /** The outer request's KDF/AEAD pair is not offered by its key config. */
  OHTTP_UNSUPPORTED_SUITE(400, "ohttp-unsupported-suite", "Bad request"),
  /** HPKE could not open the outer request (tampered, or sealed to another key). */
  OHTTP_DECRYPTION_FAILED(400, "ohttp-decryption-failed", "Bad request"),
  /** A chunked outer request has a chunk, or a total, above the gateway's limit. */
  OHTTP_TOO_LARGE(400, "ohttp-too-large", "Bad request"),

  // Gateway, encapsulated (and the enclave, for the inner plaintext).
  /** RFC 9292: a decrypted request is not valid Binary HTTP. */
  BINARY_HTTP(400, "binary-http", "Bad request"),
  /** {@code GET /v1/enclaves} with a query other than {@code since=<tree size>}. */
  BAD_QUERY(400, "bad-query", "Bad request"),
  /** No enclave ever announced this id. */
  UNKNOWN_ENCLAVE(404, "unknown-enclave", "Not found"),
  /** The enclave left or its announcements stopped; refused before the token is spent. */
  ENCLAVE_UNAVAILABLE(503, "enclave-unavailable", "Service unavailable", 1),
  /** The transparency log cannot be read, so the listing cannot carry its proofs. */
  LOG_UNAVAILABLE(503, "log-unavailable", "Service unavailable", 5),
  /** RFC 9577: no {@code Authorization: PrivateToken} header. */
  MISSING_TOKEN(401, "missing-token", "Unauthorized"),
  /** The PrivateToken credential cannot be read (including a token type no code here knows). */
  MALFORMED_TOKEN(401, "malformed-token", "Unauthorized"),
  /** A token type this gateway does not accept. */
  UNSUPPORTED_TOKEN_TYPE(401, "unsupported-token-type", "Unauthorized"),
  /** The token's key is unknown or retired. */
  UNKNOWN_TOKEN_KEY(401, "unknown-token-key", "Unauthorized"),
  /** RFC 9577 section 2.2.2: the token was made for another challenge. */
  WRONG_CHALLENGE(401, "wrong-challenge", "Unauthorized"),
  /** The token's authenticator does not verify. */
  INVALID_TOKEN(401, "invalid-token", "Unauthorized"),
  /** The token was spent before. */
  TOKEN_REPLAYED(401, "token-replayed", "Unauthorized"),
  /**
   * The spent-token store (file, Redis) cannot record the token now: full, failing or not
   * answering. Refused before the enclave sees anything; fail closed, never accepted unchecked.
   */
  SPENT_TOKEN_STORE_UNAVAILABLE(503, "spent-token-store-unavailable", "Service unavailable", 5),

  // Enclave: its refusals travel encapsulated (twice once the inner layer is open).
  /** An event-bus message to the enclave's handshake is not an inner request. */
  BAD_ENVELOPE(400, "bad-envelope", "Bad request"),
  /** The inner request is shorter than its 7-byte header. */
  INNER_TRUNCATED(400, "inner-truncated", "Bad request"),
  /** The inner request is structurally invalid. */
  INNER_MALFORMED(400, "inner-malformed", "Bad request"),
  /** The inner request is sealed to a key id that is not a live key of this enclave. */
  INNER_UNKNOWN_KEY(400, "inner-unknown-key", "Bad request"),
  /** The inner request's KEM is not its key config's. */
  INNER_UNSUPPORTED_KEM(400, "inner-unsupported-kem", "Bad request"),
  /** The inner request's KEM or symmetric suite does not match the key config. */
  INNER_UNSUPPORTED_SUITE(400, "inner-unsupported-suite", "Bad request"),
  /** HPKE could not open the inner request. */
  INNER_DECRYPTION_FAILED(400, "inner-decryption-failed", "Bad request"),
  /** A chunked inner request has a chunk, or a total, above the enclave's limit. */
  INNER_TOO_LARGE(400, "inner-too-large", "Bad request"),
  /** The enclave API's JSON is invalid; the detail names the field. */
  INVALID_REQUEST(400, "invalid-request", "Bad request"),
  /** The chat opted out of AI features. */
  ADVANCED_CHAT_PRIVACY(403, "advanced-chat-privacy", "Forbidden"),
  /** An RA-TLS session binding request whose body is not the 32-byte client nonce. */
  BAD_SESSION_NONCE(400, "bad-session-nonce", "Bad request"),

  // Issuer (and the log's append, whose credential is a signature).
  /** No or unknown credential; the caller adds its {@code WWW-Authenticate}. */
  UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
  /** RFC 9578: the token request cannot be read or is not for a type issued here. */
  MALFORMED_TOKEN_REQUEST(400, "malformed-token-request", "Bad request"),
  /** RFC 9578: no current key has the request's {@code truncated_token_key_id}. */
  UNKNOWN_TRUNCATED_KEY_ID(400, "unknown-truncated-key-id", "Bad request"),
  /**
   * The store of the accounts' issuance windows (file, Redis) cannot count this issuance now;
   * nothing is issued uncounted.
   */
  ISSUANCE_STORE_UNAVAILABLE(503, "issuance-store-unavailable", "Service unavailable", 5),
  /** The account reached its issuance limit; the caller computes the wait. */
  RATE_LIMITED(429, "rate-limited", "Too many requests", ProblemType.RETRY_AFTER_COMPUTED),
  /**
   * Too many failed authentications from this source (or from everywhere); the caller computes the
   * wait. Refused before the credential is judged, so a guess made now is never confirmed.
   */
  AUTHENTICATION_THROTTLED(
      429, "authentication-throttled", "Too many requests", ProblemType.RETRY_AFTER_COMPUTED),

  // Transparency log server.
  /** A query parameter is not a decimal number or not base64url. */
  BAD_PARAMETER(400, "bad-parameter", "Bad request"),
  /** {@code GET /entries} outside the tree or over a page. */
  BAD_RANGE(400, "bad-range", "Bad request"),
  /** A tree size or index outside the tree. */
  BAD_SIZE(400, "bad-size", "Bad request"),
  /** An inclusion proof request without exactly one of index and hash. */
  BAD_PROOF_REQUEST(400, "bad-proof-request", "Bad request"),
  /** No leaf with this hash below the size. */
  NO_SUCH_LEAF(404, "no-such-leaf", "Not found"),
  /** A lookup without exactly one well-formed key. */
  BAD_LOOKUP(400, "bad-lookup", "Bad request"),
  /** No entry matches the lookup. */
  NOT_IN_LOG(404, "not-in-log", "Not found"),
  /** The appended body is not a valid log entry. */
  BAD_ENTRY(400, "bad-entry", "Bad request"),
  /** The append is signed with a key name not configured as a publisher. */
  UNKNOWN_PUBLISHER(403, "unknown-publisher", "Forbidden"),
  /** A cosignature line that does not parse or does not verify over the current checkpoint. */
  BAD_COSIGNATURE(400, "bad-cosignature", "Bad request"),
  /** A cosignature from a key name and id not configured as a witness. */
  UNKNOWN_WITNESS(403, "unknown-witness", "Forbidden");

  /**
   * The {@code Retry-After} of {@link #UNAVAILABLE} when a store could not record a request (the
   * gateway's spent tokens, the log's entries and cosignatures): longer than its default, since a
   * store recovers more slowly than an enclave restarts.
   */
  public static final int STORE_RETRY_AFTER_SECONDS = 5;

  /**
   * {@link #retryAfterSeconds()} of an entry that carries {@code Retry-After} with a wait only the
   * caller knows ({@link PipelineException#retryAfter}).
   */
  public static final int RETRY_AFTER_COMPUTED = -1;

  private static final Map<String, ProblemType> BY_SLUG =
      Stream.of(values()).collect(Collectors.toUnmodifiableMap(t -> t.slug, Function.identity()));

  private final int status;
  private final String slug;
  private final String title;
  private final int retryAfterSeconds;

  ProblemType(int status, String slug, String title) {
    this(status, slug, title, 0);
  }

  ProblemType(int status, String slug, String title, int retryAfterSeconds) {
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  /** Lower-case words joined by hyphens, unique in the catalogue. */
  public String slug() {
    return slug;
  }

  /** RFC 9457 section 3.1.4: the same for every occurrence of this type. */
  public String title() {
    return title;
  }

  /** {@code urn:private-processing:problem:<slug>}. */
  public String uri() {
    return Problem.TYPE_PREFIX + slug;
  }

  /**
   * The {@code Retry-After} seconds answered by default: 0 when this problem carries none, {@link
   * #RETRY_AFTER_COMPUTED} when the caller must give it.
   */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Whether responses of this type carry {@code Retry-After}. */
  public boolean carriesRetryAfter() {
    return retryAfterSeconds != 0;
  }

  /** The entry with this slug, if the catalogue has one. */
  public static Optional<ProblemType> bySlug(String slug) {
    return Optional.ofNullable(slug == null ? null : BY_SLUG.get(slug));
  }
}
