package org.privateprocessing.pipeline;

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
 * The gateway's Privacy Pass check (RFC 9577 section 2.2, RFC 9578 sections 5.4 and 6.4): the
 * {@code Authorization: PrivateToken} header of a request must carry a token of a type this
 * gateway accepts, under a live issuer key, for this gateway's own challenge, with a valid
 * authenticator, never redeemed before. Checks run cheapest first and the token is recorded as
 * spent only when all pass, so a refused attempt spends and counts nothing.
 *
 * <p>The challenge has an empty redemption context so that clients can fetch tokens ahead of time
 * (RFC 9577 section 2.1.1); its origin info names this gateway, so tokens for other origins fail.
 */
public final class CredentialCheck {
  private final IssuerKeys keys;
  private final SpentTokens spent;
  private final Clock clock;
  private final Map<Integer, TokenChallenge> challenges = new LinkedHashMap<>();
  private final Map<Integer, byte[]> digests = new LinkedHashMap<>();

  public CredentialCheck(String issuerName, String origin, IssuerKeys keys, SpentTokens spent, Clock clock) {
    this.keys = keys;
    this.spent = spent;
    this.clock = clock;
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

  /** Passes, having spent the token, or throws a 401 carrying fresh challenges. */
  public void check(Optional<String> authorization) throws PipelineException {
    if (authorization.isEmpty()) {
      throw unauthorized("missing-token", "this request needs an Authorization: PrivateToken header");
    }
    Token token;
    try {
      token = PrivateTokenAuthorization.parse(authorization.get());
    } catch (TokenException e) {
      throw unauthorized("malformed-token", "the PrivateToken credential could not be read: " + e.getMessage());
    }
    byte[] expectedDigest = digests.get(token.tokenType());
    if (expectedDigest == null) {
      throw unauthorized("unsupported-token-type", "token type " + token.tokenType() + " is not accepted here");
    }
    Instant now = clock.instant();
    Optional<IssuerKeys.Entry> key = keys.byKeyId(token.tokenKeyId(), now);
    if (key.isEmpty() || key.get().key().tokenType() != token.tokenType()) {
      throw unauthorized("unknown-token-key", "the token is for an unknown or retired issuer key");
    }
    if (!MessageDigest.isEqual(expectedDigest, token.challengeDigest())) {
      throw unauthorized("wrong-challenge", "the token was issued for another challenge");
    }
    if (!key.get().key().verify(token)) {
      throw unauthorized("invalid-token", "the token's authenticator does not verify");
    }
    boolean fresh;
    try {
      fresh = spent.spend(token.tokenKeyId(), token.nonce(), key.get().retiredAt());
    } catch (InMemorySpentTokens.FullException full) {
      throw PipelineException.unavailable("the gateway cannot record more tokens right now", 5);
    }
    if (!fresh) {
      throw unauthorized("token-replayed", "this token has already been spent");
    }
  }

  /** 401 with a {@code WWW-Authenticate: PrivateToken} challenge per accepted type (RFC 9577 2.1). */
  PipelineException unauthorized(String slug, String detail) {
    Instant now = clock.instant();
    List<String> values = new ArrayList<>();
    for (TokenChallenge challenge : challenges.values()) {
      keys.current(challenge.tokenType(), now).ifPresent(entry ->
          values.add(new PrivateTokenChallenge(challenge, entry.key().tokenKey(), null).toHeaderValue()));
    }
    Map<String, String> headers = values.isEmpty() ? Map.of() : Map.of("www-authenticate", String.join(", ", values));
    return new PipelineException(401, slug, "Unauthorized", detail, headers);
  }
}
