package org.privateprocessing.core;

import io.vertx.core.Future;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.PrivateTokenChallenge;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenException;

/**
 * The Privacy Pass check (RFC 9577 section 2.2, RFC 9578 sections 5.4 and 6.4) of every listener
 * that admits callers by token: the gateway's outer layer, and the enclave's RA-TLS listener. The
 * {@code Authorization: PrivateToken} header of a request must carry a token of a type accepted
 * here, under a live issuer key, for this origin's challenge, with a valid authenticator, never
 * redeemed before. Checks run cheapest first and the token is recorded as spent only when all pass,
 * so a refused attempt spends and counts nothing. The checks are synchronous ({@link #verify});
 * only the spend is asynchronous ({@link #spend}), because a cluster-wide store is a round trip.
 *
 * <p>The challenge has an empty redemption context so that clients can fetch tokens ahead of time
 * (RFC 9577 section 2.1.1); its origin info names the gateway, so tokens for other origins fail.
 * The enclave's RA-TLS listener checks the same challenge against the same {@link SpentTokens}, so
 * one token buys one request on either path, never one on each.
 */
public final class CredentialCheck {
  private final VerificationKeys keys;
  private final SpentTokens spent;
  private final Clock clock;
  private final NodeMetrics metrics;
  private final Map<Integer, TokenChallenge> challenges = new LinkedHashMap<>();
  private final Map<Integer, byte[]> digests = new LinkedHashMap<>();

  public CredentialCheck(
      String issuerName, String origin, VerificationKeys keys, SpentTokens spent, Clock clock) {
    this(issuerName, origin, keys, spent, clock, NodeMetrics.NONE);
  }

  /**
   * @param metrics counts each token redeemed, and each refused by the problem type it got
   */
  public CredentialCheck(
      String issuerName,
      String origin,
      VerificationKeys keys,
      SpentTokens spent,
      Clock clock,
      NodeMetrics metrics) {
    this.keys = keys;
    this.spent = spent;
    this.clock = clock;
    this.metrics = metrics;
    for (int type : keys.tokenTypes()) {
      TokenChallenge challenge = new TokenChallenge(type, issuerName, new byte[0], List.of(origin));
      challenges.put(type, challenge);
      digests.put(type, challenge.digest());
    }
  }

  /** This gateway's challenges, preferred type first (as the issuer lists its types). */
  public List<TokenChallenge> challenges() {
    return List.copyOf(challenges.values());
  }

  /**
   * Completes once the token has been checked and spent; fails with a 401 carrying fresh
   * challenges, or a 503 when the spent-token store cannot record it now. Never blocks.
   */
  public Future<Void> check(Optional<String> authorization) {
    Verified ok;
    try {
      ok = verify(authorization);
    } catch (PipelineException e) {
      return Future.failedFuture(e);
    }
    return spend(ok);
  }

  /**
   * Records a verified token as spent: completes when it was fresh; fails with a 401 {@code
   * token-replayed} when it was spent before (on any path sharing the store), or a 503 when the
   * store cannot record it now. Never blocks.
   */
  public Future<Void> spend(Verified ok) {
    return spendUncounted(ok)
        .andThen(
            done -> {
              if (done.succeeded()) {
                metrics.tokens(NodeMetrics.TokenOutcome.REDEEMED, null, 1);
              } else {
                refused(done.cause());
              }
            });
  }

  private void refused(Throwable t) {
    metrics.tokens(
        NodeMetrics.TokenOutcome.REFUSED,
        t instanceof PipelineException e ? e.type().orElse(ProblemType.INTERNAL) : null,
        1);
  }

  private Future<Void> spendUncounted(Verified ok) {
    return spent
        .redeem(ok.token().tokenKeyId(), ok.token().nonce(), ok.key().retiredAt())
        .recover(
            t ->
                Future.failedFuture(
                    PipelineException.of(
                        ProblemType.SPENT_TOKEN_STORE_UNAVAILABLE,
                        "the spent-token store cannot record this token right now; nothing was"
                            + " spent, try again shortly")))
        .compose(
            fresh ->
                fresh
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        unauthorized(
                            ProblemType.TOKEN_REPLAYED, "this token has already been spent")));
  }

  /**
   * A token that passed every check but the spend, and the key it verified under. Only {@link
   * #verify} makes one.
   */
  public static final class Verified {
    private final Token token;
    private final VerificationKeys.Entry key;

    private Verified(Token token, VerificationKeys.Entry key) {
      this.token = token;
      this.key = key;
    }

    Token token() {
      return token;
    }

    VerificationKeys.Entry key() {
      return key;
    }
  }

  /**
   * Every check but the spend, synchronously and cheaply (one signature verification), so a
   * listener can refuse a caller before it reads the body.
   *
   * @return the token that passed them, to {@link #spend}
   * @throws PipelineException a 401 naming the failed check, with fresh challenges
   */
  public Verified verify(Optional<String> authorization) throws PipelineException {
    try {
      return verifyUncounted(authorization);
    } catch (PipelineException e) {
      refused(e);
      throw e;
    }
  }

  private Verified verifyUncounted(Optional<String> authorization) throws PipelineException {
    if (authorization.isEmpty()) {
      throw unauthorized(
          ProblemType.MISSING_TOKEN, "this request needs an Authorization: PrivateToken header");
    }
    Token token;
    try {
      token = PrivateTokenAuthorization.parse(authorization.get());
    } catch (TokenException e) {
      throw unauthorized(
          Problems.presentedToken(e.reason()),
          "the PrivateToken credential could not be read: " + e.getMessage());
    }
    byte[] expectedDigest = digests.get(token.tokenType());
    if (expectedDigest == null) {
      throw unauthorized(
          ProblemType.UNSUPPORTED_TOKEN_TYPE,
          "token type " + token.tokenType() + " is not accepted here");
    }
    Instant now = clock.instant();
    Optional<VerificationKeys.Entry> key = keys.byKeyId(token.tokenKeyId(), now);
    if (key.isEmpty() || key.get().key().tokenType() != token.tokenType()) {
      throw unauthorized(
          ProblemType.UNKNOWN_TOKEN_KEY, "the token is for an unknown or retired issuer key");
    }
    if (!MessageDigest.isEqual(expectedDigest, token.challengeDigest())) {
      throw unauthorized(ProblemType.WRONG_CHALLENGE, "the token was issued for another challenge");
    }
    if (!key.get().key().verify(token)) {
      throw unauthorized(ProblemType.INVALID_TOKEN, "the token's authenticator does not verify");
    }
    return new Verified(token, key.get());
  }

  /**
   * 401 with a {@code WWW-Authenticate: PrivateToken} challenge per accepted type (RFC 9577 2.1).
   */
  PipelineException unauthorized(ProblemType type, String detail) {
    Instant now = clock.instant();
    List<String> values = new ArrayList<>();
    for (TokenChallenge challenge : challenges.values()) {
      keys.current(challenge.tokenType(), now)
          .ifPresent(
              entry ->
                  values.add(
                      new PrivateTokenChallenge(challenge, entry.key().tokenKey(), null)
                          .toHeaderValue()));
    }
    Map<String, String> headers =
        values.isEmpty() ? Map.of() : Map.of("www-authenticate", String.join(", ", values));
    return PipelineException.of(type, detail, headers);
  }
}
