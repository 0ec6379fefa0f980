package org.privateprocessing.issuer;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.privateprocessing.core.VerificationKeys;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenIssuance;

/** Issuer keys and tokens minted in-process, the way a client and issuer would, for tests. */
public final class TestTokens {
  public static final SecureRandom RANDOM = new SecureRandom();

  private TestTokens() {}

  /** A clock tests can move. */
  public static final class MutableClock extends Clock {
    public Instant now = Instant.parse("2026-11-24T12:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  public static IssuerKeys keys(Clock clock, Integer... types) {
    return IssuerKeys.generate(
        List.of(types), Duration.ofHours(1), Duration.ofMinutes(10), RANDOM, clock.instant());
  }

  /** Blinds, has the current key issue, unblinds: a valid token for {@code challenge}. */
  public static Token mint(IssuerKeys keys, TokenChallenge challenge, Instant now)
      throws Exception {
    VerificationKeys.Entry key = keys.current(challenge.tokenType(), now).orElseThrow();
    TokenIssuance.Pending pending = TokenIssuance.begin(key.key().tokenKey(), challenge, RANDOM);
    return pending.finish(key.key().issue(pending.request()));
  }
}
