package org.privateprocessing.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenIssuance;
import org.privateprocessing.token.TokenTypes;

/**
 * Throttling of wrong issuer credentials, on a clock the test moves: the throttle alone, then the
 * issuer service with its accounts and issuance limits.
 */
class FailedAuthThrottleTest {
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

  /** 3 wrong tries per source, then one per 10 s; 20 in all, then one per second. */
  private static final FailedAuthThrottle.Limits SMALL =
      new FailedAuthThrottle.Limits(
          3, Duration.ofSeconds(10), 20, Duration.ofSeconds(1), Duration.ofDays(1), 100);

  private static final String A = "198.51.100.7";
  private static final String B = "203.0.113.9";

  private static IssuerKeys keys;

  @BeforeAll
  static void keys() {
    keys = TestTokens.keys(new TestTokens.MutableClock(), TokenTypes.VOPRF_P384);
  }

  @Test
  @DisplayName("N wrong tries from a source, then it waits the interval; other sources do not")
  void perSourceBudget() {
    FailedAuthThrottle t = new FailedAuthThrottle(SMALL);
    for (int i = 0; i < 3; i++) {
      assertThat(t.waitSeconds(A, null, T0)).isZero();
      t.failed(A, T0);
    }
    assertThat(t.waitSeconds(A, null, T0)).isEqualTo(10);
    assertThat(t.waitSeconds(A, null, T0.plusSeconds(4))).isEqualTo(6);
    assertThat(t.waitSeconds(B, null, T0)).isZero();
    // The limit resets: one more try per interval, the whole budget after burst x interval.
    assertThat(t.waitSeconds(A, null, T0.plusSeconds(10))).isZero();
    t.failed(A, T0.plusSeconds(10));
    assertThat(t.waitSeconds(A, null, T0.plusSeconds(10))).isEqualTo(10);
    assertThat(t.waitSeconds(A, null, T0.plusSeconds(40))).isZero();
    for (int i = 0; i < 3; i++) {
      t.failed(A, T0.plusSeconds(40));
    }
    assertThat(t.waitSeconds(A, null, T0.plusSeconds(40))).isPositive();
  }

  @Test
  @DisplayName(
      "past the total budget every source waits, except an account from a source it succeeded"
          + " from before; a known pair does not lift its own source's budget")
  void totalBudgetSparesKnownPairs() {
    FailedAuthThrottle t = new FailedAuthThrottle(SMALL);
    t.succeeded("alice", A, T0);
    // Twenty wrong tries spread over 10 sources, 2 each: no source over its own budget.
    for (int i = 0; i < 20; i++) {
      t.failed("192.0.2." + (i % 10), T0);
    }
    assertThat(t.waitSeconds("192.0.2.99", null, T0)).isEqualTo(1);
    assertThat(t.waitSeconds(B, "alice", T0)).as("alice from a new source").isEqualTo(1);
    assertThat(t.waitSeconds(A, "alice", T0)).as("alice from her own source").isZero();
    assertThat(t.waitSeconds(A, null, T0)).as("a wrong credential from alice's source").isOne();
    Instant later = T0.plus(Duration.ofDays(2));
    for (int i = 0; i < 20; i++) {
      t.failed("192.0.2." + (i % 10), later);
    }
    assertThat(t.waitSeconds(A, "alice", later)).as("a known pair expires").isOne();
    for (int i = 0; i < 3; i++) {
      t.failed(A, T0);
    }
    assertThat(t.waitSeconds(A, "alice", T0)).as("her own source over its budget").isPositive();
  }

  @Test
  @DisplayName("memory stays bounded: at most maxTracked sources and pairs, oldest forgotten")
  void memoryBound() {
    FailedAuthThrottle t =
        new FailedAuthThrottle(
            new FailedAuthThrottle.Limits(
                3,
                Duration.ofSeconds(10),
                1_000_000,
                Duration.ofMillis(1),
                Duration.ofDays(1),
                100));
    for (int i = 0; i < 3; i++) {
      t.failed("10.0.0.0", T0);
    }
    assertThat(t.waitSeconds("10.0.0.0", null, T0)).isPositive();
    for (int i = 0; i < 10_000; i++) {
      t.failed("10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff), T0);
      t.succeeded("account-" + i, "10.0.0.1", T0);
    }
    assertThat(t.tracked()).isEqualTo(200);
    // The newest source is still remembered; the first one was forgotten.
    t.failed("10.0.39.15", T0);
    t.failed("10.0.39.15", T0);
    assertThat(t.waitSeconds("10.0.39.15", null, T0)).isPositive();
    // The first, throttled source was forgotten: it starts again with a full budget (the total
    // budget, one timestamp, is what bounds an attacker with more sources than are tracked).
    assertThat(t.waitSeconds("10.0.0.0", null, T0)).isZero();
  }

  @Test
  @DisplayName("sources: an IPv4 address, an IPv6 /64, a mapped IPv4 as IPv4")
  void sourceKeys() {
    assertThat(FailedAuthThrottle.sourceKey("192.0.2.1")).isEqualTo("192.0.2.1");
    assertThat(FailedAuthThrottle.sourceKey("2001:db8:1:2:3:4:5:6"))
        .isEqualTo(FailedAuthThrottle.sourceKey("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(FailedAuthThrottle.sourceKey("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3::/64");
    assertThat(FailedAuthThrottle.sourceKey("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
    assertThat(FailedAuthThrottle.sourceKey(null)).isEqualTo("unknown");
  }

  @Test
  @DisplayName("settings: defaults, a config section, and refusals of nonsense")
  void limitsFromJson() {
    assertThat(FailedAuthThrottle.Limits.fromJson(null))
        .isEqualTo(FailedAuthThrottle.Limits.DEFAULTS);
    FailedAuthThrottle.Limits l =
        FailedAuthThrottle.Limits.fromJson(
            new JsonObject().put("perSource", 5).put("perSourceIntervalMs", 2_000));
    assertThat(l.perSourceBurst()).isEqualTo(5);
    assertThat(l.perSourceInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(l.totalBurst()).isEqualTo(FailedAuthThrottle.Limits.DEFAULTS.totalBurst());
    assertThatThrownBy(
            () -> FailedAuthThrottle.Limits.fromJson(new JsonObject().put("perSource", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("issuer.failedAuthentications");
    assertThatThrownBy(
            () -> FailedAuthThrottle.Limits.fromJson(new JsonObject().put("totalIntervalMs", 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- the issuer service, with accounts and issuance limits ---

  private static IssuerService service(TestTokens.MutableClock clock, int tokensPerWindow) {
    IssuerOptions options =
        IssuerOptions.fromJson(
            new JsonObject()
                .put("tokenTypes", new io.vertx.core.json.JsonArray().add(1))
                .put("tokensPerWindow", tokensPerWindow)
                .put(
                    "accounts",
                    new io.vertx.core.json.JsonArray()
                        .add(
                            new JsonObject()
                                .put("id", "demo")
                                .put("credentialSha256", IssuerOptions.sha256Hex("demo")))
                        .add(
                            new JsonObject()
                                .put("id", "other")
                                .put("credentialSha256", IssuerOptions.sha256Hex("other"))))
                .put(
                    "failedAuthentications",
                    new JsonObject()
                        .put("perSource", 3)
                        .put("perSourceIntervalMs", 10_000)
                        .put("total", 20)
                        .put("totalIntervalMs", 1_000)
                        .put("maxTracked", 50)));
    return new IssuerService(options, keys, clock);
  }

  private static byte[] tokenRequest(Instant now) throws Exception {
    var key = keys.current(TokenTypes.VOPRF_P384, now).orElseThrow();
    TokenChallenge challenge =
        new TokenChallenge(
            TokenTypes.VOPRF_P384, "issuer.test", new byte[0], List.of("gateway.test"));
    return TokenIssuance.begin(key.key().tokenKey(), challenge, TestTokens.RANDOM)
        .request()
        .encode();
  }

  private static PipelineException refusal(
      IssuerService s, String authorization, byte[] body, String source) {
    try {
      s.issue(Optional.ofNullable(authorization), body, source);
    } catch (PipelineException e) {
      return e;
    }
    throw new AssertionError("issued");
  }

  @Test
  @DisplayName(
      "the issuer: 3 wrong credentials from a source are 401s, the 4th is a 429 with Retry-After"
          + " and is not judged (a right one from that source waits too); other sources still"
          + " get tokens, and the limit resets")
  void serviceThrottlesWrongCredentials() throws Exception {
    TestTokens.MutableClock clock = new TestTokens.MutableClock();
    IssuerService s = service(clock, 100);
    byte[] body = tokenRequest(clock.instant());
    for (int i = 0; i < 3; i++) {
      assertThat(refusal(s, "Bearer guess-" + i, body, A).is(ProblemType.UNAUTHORIZED)).isTrue();
    }
    PipelineException throttled = refusal(s, "Bearer guess-3", body, A);
    assertThat(throttled.is(ProblemType.AUTHENTICATION_THROTTLED)).isTrue();
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.headers()).containsEntry("retry-after", "10");
    assertThat(refusal(s, "Bearer demo", body, A).is(ProblemType.AUTHENTICATION_THROTTLED))
        .as("no answer tells the guesser a credential is right")
        .isTrue();
    // No credential at all is a challenge, not a guess: it spends nothing.
    for (int i = 0; i < 10; i++) {
      assertThat(refusal(s, null, body, B).is(ProblemType.UNAUTHORIZED)).isTrue();
    }
    assertThat(s.issue(Optional.of("Bearer demo"), tokenRequest(clock.instant()), B)).isNotNull();
    clock.now = clock.now.plusSeconds(10);
    assertThat(s.issue(Optional.of("Bearer demo"), tokenRequest(clock.instant()), A))
        .as("after the interval")
        .isNotNull();
  }

  @Test
  @DisplayName(
      "failed authentications never spend an account's issuance allowance, and under a spread"
          + " guessing attack the owner keeps getting tokens from where she got them before")
  void ownerKeepsAllowance() throws Exception {
    TestTokens.MutableClock clock = new TestTokens.MutableClock();
    IssuerService s = service(clock, 3);
    assertThat(s.issue(Optional.of("Bearer demo"), tokenRequest(clock.instant()), A)).isNotNull();
    // 20 wrong tries from 10 sources: the total budget is spent.
    for (int i = 0; i < 20; i++) {
      refusal(s, "Bearer guess-" + i, tokenRequest(clock.instant()), "192.0.2." + (i % 10));
    }
    assertThat(
            refusal(s, "Bearer other", tokenRequest(clock.instant()), B)
                .is(ProblemType.AUTHENTICATION_THROTTLED))
        .as("a first-time source waits while everyone is over budget")
        .isTrue();
    // The owner, from her known source: her remaining two tokens, then her own limit.
    assertThat(s.issue(Optional.of("Bearer demo"), tokenRequest(clock.instant()), A)).isNotNull();
    assertThat(s.issue(Optional.of("Bearer demo"), tokenRequest(clock.instant()), A)).isNotNull();
    assertThat(
            refusal(s, "Bearer demo", tokenRequest(clock.instant()), A)
                .is(ProblemType.RATE_LIMITED))
        .isTrue();
    clock.now = clock.now.plusSeconds(30);
    assertThat(s.issue(Optional.of("Bearer other"), tokenRequest(clock.instant()), B))
        .as("the total budget refilled")
        .isNotNull();
  }

  @Test
  @DisplayName("the service's tracking stays within maxTracked under many sources and accounts")
  void serviceMemoryBound() throws Exception {
    TestTokens.MutableClock clock = new TestTokens.MutableClock();
    IssuerService s = service(clock, 1_000);
    for (int i = 0; i < 1_000; i++) {
      clock.now = clock.now.plusSeconds(1);
      refusal(s, "Bearer guess", new byte[0], "10.1." + (i >> 8) + "." + (i & 0xff));
    }
    assertThat(s.throttleTracked()).isEqualTo(50);
  }
}
