package org.privateprocessing.issuer;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.core.Problems;
import org.privateprocessing.core.VerificationKeys;
import org.privateprocessing.token.IssuerDirectory;
import org.privateprocessing.token.MediaTypes;
import org.privateprocessing.token.TokenException;
import org.privateprocessing.token.TokenRequest;
import org.privateprocessing.token.TokenResponse;

/**
 * The issuer (RFC 9578 section 3): authenticates the account, applies its issuance limit and signs
 * a blinded token request. It sees who asks and how often, never the token it helps create: the
 * request is blinded by the client and only the client can unblind the answer. Wrong credentials
 * are throttled per source and in total ({@link FailedAuthThrottle}), apart from the accounts'
 * issuance limits.
 */
public final class IssuerService {
  /** Path of token requests, listed in the directory as {@code issuer-request-uri}. */
  public static final String REQUEST_PATH = "/token-request";

  private final IssuerOptions options;

  /** SHA-256 (hex) of each credential -> its account. */
  private final Map<String, String> accounts;

  private final IssuerKeys keys;

  /** How long issuance waits for the issuance-window store before refusing with 503. */
  static final long WINDOW_STORE_WAIT_MS = 10_000;

  private final IssuanceWindows limiter;
  private final FailedAuthThrottle throttle;
  private final Clock clock;

  /** With issuance windows in this JVM's memory only. */
  public IssuerService(IssuerOptions options, IssuerKeys keys, Clock clock) {
    this(options, keys, new IssuanceLimiter(options.tokensPerWindow(), options.window()), clock);
  }

  /**
   * @param windows where the accounts' issuance windows are counted (memory, file or Redis)
   */
  public IssuerService(
      IssuerOptions options, IssuerKeys keys, IssuanceWindows windows, Clock clock) {
    this.options = options;
    this.accounts = options.accountsByCredential();
    this.keys = keys;
    this.limiter = windows;
    this.throttle = new FailedAuthThrottle(options.failedAuthentications());
    this.clock = clock;
  }

  public IssuerKeys keys() {
    return keys;
  }

  /** The directory: current and next key of every offered type, preferred type first. */
  public byte[] directory() {
    Instant now = clock.instant();
    List<IssuerDirectory.TokenKey> list = new ArrayList<>();
    for (int type : keys.tokenTypes()) {
      for (VerificationKeys.Entry e : keys.published(type, now)) {
        list.add(
            new IssuerDirectory.TokenKey(type, e.key().tokenKey(), e.notBefore().getEpochSecond()));
      }
    }
    return new IssuerDirectory(REQUEST_PATH, list).encode();
  }

  /**
   * Issues one token for an authenticated account. Blocking (RSA signing): run off the event loop.
   * Refusals: 401 (no or unknown bearer), 429 (too many wrong credentials from this source or in
   * all, or the account's limit), 400 (malformed or unknown key).
   *
   * @param source where the request came from ({@link FailedAuthThrottle#sourceKey})
   */
  public TokenResponse issue(Optional<String> authorization, byte[] body, String source)
      throws PipelineException {
    String account = authenticate(authorization, source);
    TokenRequest request;
    try {
      request = TokenRequest.parse(body);
    } catch (TokenException e) {
      throw PipelineException.of(
          Problems.tokenRequest(e.reason()), "token request refused: " + e.getMessage());
    }
    Instant now = clock.instant();
    List<VerificationKeys.Entry> candidates =
        keys.byTruncatedId(request.tokenType(), request.truncatedTokenKeyId(), now);
    if (candidates.isEmpty()) {
      throw PipelineException.of(
          ProblemType.UNKNOWN_TRUNCATED_KEY_ID,
          "no current key of token type "
              + request.tokenType()
              + " has truncated id "
              + request.truncatedTokenKeyId()
              + "; fetch "
              + MediaTypes.ISSUER_DIRECTORY_PATH
              + " again");
    }
    long retryAfter = acquire(account, now);
    if (retryAfter > 0) {
      throw PipelineException.retryAfter(
          ProblemType.RATE_LIMITED,
          "this account reached its limit of "
              + options.tokensPerWindow()
              + " tokens per "
              + options.window().toSeconds()
              + " s",
          retryAfter);
    }
    try {
      return candidates.get(0).key().issue(request);
    } catch (TokenException e) {
      release(account);
      throw PipelineException.of(
          Problems.tokenRequest(e.reason()), "token request refused: " + e.getMessage());
    } catch (RuntimeException e) {
      release(account);
      throw PipelineException.of(
          ProblemType.MALFORMED_TOKEN_REQUEST, "token request refused: " + e.getMessage());
    }
  }

  /**
   * Takes a slot of the account's window, waiting for the store (this runs on a worker thread): 0,
   * or the seconds to wait. A store that fails or does not answer refuses: nothing is issued
   * uncounted.
   */
  private long acquire(String account, Instant now) throws PipelineException {
    try {
      return limiter
          .tryAcquire(account, now)
          .toCompletionStage()
          .toCompletableFuture()
          .get(WINDOW_STORE_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw storeUnavailable();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw storeUnavailable();
    }
  }

  private void release(String account) {
    limiter
        .release(account)
        .onFailure(
            t ->
                java.util.logging.Logger.getLogger(IssuerService.class.getName())
                    .warning(
                        "an issuance slot could not be given back (the account has one fewer"
                            + " in this window): "
                            + t.getMessage()));
  }

  private static PipelineException storeUnavailable() {
    return PipelineException.of(
        ProblemType.ISSUANCE_STORE_UNAVAILABLE,
        "the issuance-window store cannot count this issuance right now; nothing was issued,"
            + " try again shortly");
  }

  /**
   * The account the credential belongs to. The throttle is asked first, so that a credential sent
   * while its source (or everyone) is over budget is not judged: a guess then learns nothing.
   */
  private String authenticate(Optional<String> authorization, String source)
      throws PipelineException {
    String header = authorization.orElse("").trim();
    String account =
        header.length() >= 8 && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? accounts.get(IssuerOptions.sha256Hex(header.substring(7).trim()))
            : null;
    Instant now = clock.instant();
    long wait = throttle.waitSeconds(source, account, now);
    if (wait > 0) {
      throw PipelineException.retryAfter(
          ProblemType.AUTHENTICATION_THROTTLED,
          "too many failed authentications from this address or in all; try again later",
          wait);
    }
    if (account != null) {
      throttle.succeeded(account, source, now);
      return account;
    }
    if (header.isEmpty()) {
      // No credential is how a client learns the scheme (the challenge below), not a guess.
      throw unauthorized("send the account credential as Authorization: Bearer <credential>");
    }
    throttle.failed(source, now);
    throw unauthorized(
        header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? "the account credential is not known to this issuer"
            : "send the account credential as Authorization: Bearer <credential>");
  }

  /** Sources and known account-source pairs the throttle remembers (tests of its bound). */
  int throttleTracked() {
    return throttle.tracked();
  }

  private static PipelineException unauthorized(String detail) {
    return PipelineException.of(
        ProblemType.UNAUTHORIZED,
        detail,
        Map.of("www-authenticate", "Bearer realm=\"private-processing-issuer\""));
  }
}
