package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.issuer.IssuerKeys;
import org.privateprocessing.issuer.TestTokens;
import org.privateprocessing.token.IssuerDirectory;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenException;
import org.privateprocessing.token.TokenTypes;

/** A split gateway's issuer keys, read from the public directory only. */
class RemoteIssuerKeysTest {
  private final TestTokens.MutableClock clock = new TestTokens.MutableClock();
  private final IssuerKeys issuer =
      TestTokens.keys(clock, TokenTypes.BLIND_RSA_2048, TokenTypes.VOPRF_P384);
  private final RemoteIssuerKeys remote = new RemoteIssuerKeys(Duration.ofMinutes(90));

  private IssuerDirectory directory() {
    List<IssuerDirectory.TokenKey> list = new ArrayList<>();
    for (int type : issuer.tokenTypes()) {
      for (VerificationKeys.Entry e : issuer.published(type, clock.instant())) {
        list.add(
            new IssuerDirectory.TokenKey(type, e.key().tokenKey(), e.notBefore().getEpochSecond()));
      }
    }
    return new IssuerDirectory("/token-request", list);
  }

  @Test
  @DisplayName(
      "only publicly verifiable keys are taken, and a gateway on them offers and accepts type 2 only")
  void onlyTypeTwoIsUsed() throws Exception {
    assertThat(remote.update(directory(), clock.instant())).isEqualTo(2);
    assertThat(remote.tokenTypes()).containsExactly(TokenTypes.BLIND_RSA_2048);
    CredentialCheck check =
        new CredentialCheck(
            "issuer.test", "gateway.test", remote, new InMemorySpentTokens(10, clock), clock);
    assertThat(check.challenges())
        .extracting(c -> c.tokenType())
        .containsExactly(TokenTypes.BLIND_RSA_2048);
    Token token = TestTokens.mint(issuer, check.challenges().get(0), clock.instant());
    Future<Void> first = check.check(Optional.of(PrivateTokenAuthorization.header(token)));
    assertThat(first.succeeded()).isTrue();
    assertThat(
            ((PipelineException)
                    check.check(Optional.of(PrivateTokenAuthorization.header(token))).cause())
                .problem()
                .type())
        .endsWith("token-replayed");
  }

  @Test
  @DisplayName(
      "a key dropped from the directory stays accepted until its not-before plus the max age, then retires")
  void droppedKeysLiveOutTheirAge() throws Exception {
    remote.update(directory(), clock.instant());
    VerificationKeys.Entry current =
        remote.current(TokenTypes.BLIND_RSA_2048, clock.instant()).orElseThrow();
    remote.update(new IssuerDirectory("/token-request", List.of()), clock.instant());
    assertThat(remote.byKeyId(current.key().tokenKeyId(), clock.instant())).isPresent();
    assertThat(current.retiredAt()).isEqualTo(current.notBefore().plus(Duration.ofMinutes(90)));
    clock.now = current.retiredAt();
    assertThat(remote.byKeyId(current.key().tokenKeyId(), clock.instant())).isEmpty();
    // The next key, listed beside it in the first directory, has taken over.
    assertThat(remote.current(TokenTypes.BLIND_RSA_2048, clock.instant()))
        .hasValueSatisfying(
            e -> assertThat(e.key().tokenKeyId()).isNotEqualTo(current.key().tokenKeyId()));
  }

  @Test
  @DisplayName("a directory with a malformed type 2 key or too many keys changes nothing")
  void badDirectoriesChangeNothing() throws Exception {
    remote.update(directory(), clock.instant());
    IssuerDirectory bad =
        new IssuerDirectory(
            "/token-request",
            List.of(
                new IssuerDirectory.TokenKey(
                    TokenTypes.BLIND_RSA_2048, new byte[] {1, 2, 3}, null)));
    assertThatThrownBy(() -> remote.update(bad, clock.instant()))
        .isInstanceOf(TokenException.class);
    List<IssuerDirectory.TokenKey> many = new ArrayList<>();
    byte[] key = directory().keysOfType(TokenTypes.BLIND_RSA_2048).get(0).tokenKey();
    for (int i = 0; i <= RemoteIssuerKeys.MAX_KEYS; i++) {
      many.add(new IssuerDirectory.TokenKey(TokenTypes.BLIND_RSA_2048, key, (long) i));
    }
    assertThatThrownBy(() -> remote.update(new IssuerDirectory("/r", many), clock.instant()))
        .isInstanceOf(TokenException.class);
    assertThat(remote.current(TokenTypes.BLIND_RSA_2048, clock.instant())).isPresent();
  }
}
