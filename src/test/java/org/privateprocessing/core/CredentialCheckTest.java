package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.issuer.IssuerKeys;
import org.privateprocessing.issuer.TestTokens;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.PrivateTokenChallenge;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenTypes;

class CredentialCheckTest {
  private final TestTokens.MutableClock clock = new TestTokens.MutableClock();
  private final IssuerKeys keys =
      TestTokens.keys(clock, TokenTypes.BLIND_RSA_2048, TokenTypes.VOPRF_P384);
  private final InMemorySpentTokens spent = new InMemorySpentTokens(1_000, clock);
  private final CredentialCheck check =
      new CredentialCheck("issuer.test", "gateway.test", keys, spent, clock);

  private Token mint(int type) throws Exception {
    TokenChallenge challenge =
        check.challenges().stream().filter(c -> c.tokenType() == type).findFirst().orElseThrow();
    return TestTokens.mint(keys, challenge, clock.instant());
  }

  private static Optional<String> header(Token token) {
    return Optional.of(PrivateTokenAuthorization.header(token));
  }

  /** The in-memory store answers at once, so every check's future is already complete. */
  private static void pass(CredentialCheck c, Optional<String> authorization) {
    io.vertx.core.Future<Void> f = c.check(authorization);
    assertThat(f.isComplete()).isTrue();
    if (f.failed()) {
      throw new AssertionError("refused: " + f.cause().getMessage());
    }
  }

  private static PipelineException refusal(CredentialCheck c, Optional<String> authorization) {
    io.vertx.core.Future<Void> f = c.check(authorization);
    assertThat(f.isComplete()).isTrue();
    assertThat(f.failed()).as("expected a refusal").isTrue();
    assertThat(f.cause()).isInstanceOf(PipelineException.class);
    return (PipelineException) f.cause();
  }

  private PipelineException refusal(Optional<String> authorization) {
    return refusal(check, authorization);
  }

  private void assertRefused(Optional<String> authorization, String slug) throws Exception {
    int before = spent.size();
    PipelineException e = refusal(authorization);
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.problem().type()).endsWith(slug);
    // A fresh challenge per accepted type, with the current token key, parseable as RFC 9577 says.
    List<PrivateTokenChallenge> challenges =
        PrivateTokenChallenge.parseWwwAuthenticate(e.headers().get("www-authenticate"));
    assertThat(challenges)
        .extracting(c -> c.challenge().tokenType())
        .containsExactly(TokenTypes.BLIND_RSA_2048, TokenTypes.VOPRF_P384);
    assertThat(challenges.get(0).challenge().encode())
        .isEqualTo(check.challenges().get(0).encode());
    assertThat(spent.size()).as("a refused attempt spends nothing").isEqualTo(before);
  }

  @Test
  @DisplayName("a valid token of either type passes once and is refused as a replay after")
  void validTokensPassOnce() throws Exception {
    for (int type : List.of(TokenTypes.BLIND_RSA_2048, TokenTypes.VOPRF_P384)) {
      Token token = mint(type);
      pass(check, header(token));
      assertRefused(header(token), "token-replayed");
    }
    assertThat(spent.size()).isEqualTo(2);
  }

  @Test
  @DisplayName("missing, malformed base64, truncated and unknown-type tokens are refused with 401")
  void malformedTokensAreRefused() throws Exception {
    assertRefused(Optional.empty(), "missing-token");
    assertRefused(Optional.of("PrivateToken token=\"***not base64***\""), "malformed-token");
    assertRefused(Optional.of("Bearer abc"), "malformed-token");
    byte[] encoded = mint(TokenTypes.BLIND_RSA_2048).encode();
    String truncated =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(java.util.Arrays.copyOf(encoded, 100));
    assertRefused(Optional.of("PrivateToken token=\"" + truncated + "\""), "malformed-token");
    byte[] unknownType = encoded.clone();
    unknownType[1] = 0x07;
    assertRefused(
        Optional.of(
            "PrivateToken token=\"" + Base64.getUrlEncoder().encodeToString(unknownType) + "\""),
        "token");
  }

  @Test
  @DisplayName("a token under another issuer's key is refused as an unknown key")
  void unknownKeyIsRefused() throws Exception {
    IssuerKeys other = TestTokens.keys(clock, TokenTypes.BLIND_RSA_2048);
    Token foreign = TestTokens.mint(other, check.challenges().get(0), clock.instant());
    assertRefused(header(foreign), "unknown-token-key");
  }

  @Test
  @DisplayName("a token made for another challenge (another origin) is refused")
  void wrongChallengeIsRefused() throws Exception {
    TokenChallenge elsewhere =
        new TokenChallenge(
            TokenTypes.BLIND_RSA_2048, "issuer.test", new byte[0], List.of("other.origin"));
    assertRefused(header(TestTokens.mint(keys, elsewhere, clock.instant())), "wrong-challenge");
  }

  @Test
  @DisplayName("a token whose authenticator was altered is refused, for both types")
  void forgedTokensAreRefused() throws Exception {
    for (int type : List.of(TokenTypes.BLIND_RSA_2048, TokenTypes.VOPRF_P384)) {
      Token token = mint(type);
      byte[] auth = token.authenticator();
      auth[auth.length - 1] ^= 1;
      Token forged =
          new Token(
              token.tokenType(), token.nonce(), token.challengeDigest(), token.tokenKeyId(), auth);
      assertRefused(header(forged), "invalid-token");
      // The genuine token was not spent by the forgery that shares its nonce.
      pass(check, header(token));
    }
  }

  @Test
  @DisplayName(
      "a token under a retired key is refused; one under the previous key within grace passes")
  void keyRotationHasGraceThenRetires() throws Exception {
    Token early = mint(TokenTypes.BLIND_RSA_2048);
    Token late = mint(TokenTypes.BLIND_RSA_2048);
    clock.now = clock.now.plus(Duration.ofHours(1)).plusSeconds(1);
    keys.rotate(clock.now);
    pass(check, header(early));
    clock.now = clock.now.plus(Duration.ofMinutes(10));
    keys.rotate(clock.now);
    assertRefused(header(late), "unknown-token-key");
    pass(check, header(mint(TokenTypes.BLIND_RSA_2048)));
  }

  @Test
  @DisplayName("spent entries are forgotten once their key retires, so the store stays bounded")
  void spentEntriesExpireWithTheirKey() throws Exception {
    pass(check, header(mint(TokenTypes.BLIND_RSA_2048)));
    assertThat(spent.size()).isEqualTo(1);
    clock.now = clock.now.plus(Duration.ofHours(2));
    keys.rotate(clock.now);
    pass(check, header(mint(TokenTypes.BLIND_RSA_2048)));
    assertThat(spent.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("a full spent-token store refuses with 503 rather than growing")
  void fullStoreRefuses() throws Exception {
    InMemorySpentTokens tiny = new InMemorySpentTokens(1, clock);
    CredentialCheck small = new CredentialCheck("issuer.test", "gateway.test", keys, tiny, clock);
    pass(small, header(TestTokens.mint(keys, small.challenges().get(0), clock.instant())));
    Token next = TestTokens.mint(keys, small.challenges().get(0), clock.instant());
    PipelineException e = refusal(small, header(next));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.headers()).containsKey("retry-after");
  }

  @Test
  @DisplayName(
      "a store that fails (a cluster that does not answer) refuses with 503 and the token stays unspent")
  void failingStoreRefusesWithUnavailable() throws Exception {
    SpentTokens broken =
        (id, nonce, forgetAfter) ->
            io.vertx.core.Future.failedFuture(new IllegalStateException("no cluster"));
    CredentialCheck c = new CredentialCheck("issuer.test", "gateway.test", keys, broken, clock);
    PipelineException e =
        refusal(c, header(TestTokens.mint(keys, c.challenges().get(0), clock.instant())));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.getMessage()).doesNotContain("no cluster");
  }

  @Test
  @DisplayName("the checks run before the store is asked: a forged token never reaches it")
  void storeIsAskedOnlyForValidTokens() throws Exception {
    int[] asked = {0};
    SpentTokens counting =
        (id, nonce, forgetAfter) -> {
          asked[0]++;
          return io.vertx.core.Future.succeededFuture(true);
        };
    CredentialCheck c = new CredentialCheck("issuer.test", "gateway.test", keys, counting, clock);
    Token token = TestTokens.mint(keys, c.challenges().get(0), clock.instant());
    byte[] auth = token.authenticator();
    auth[0] ^= 1;
    refusal(
        c,
        header(
            new Token(
                token.tokenType(),
                token.nonce(),
                token.challengeDigest(),
                token.tokenKeyId(),
                auth)));
    assertThat(asked[0]).isZero();
    pass(c, header(token));
    assertThat(asked[0]).isEqualTo(1);
  }
}
