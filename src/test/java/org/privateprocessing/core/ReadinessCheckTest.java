package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.issuer.TestTokens;
import org.privateprocessing.token.TokenTypes;

class ReadinessCheckTest {
  @Test
  @DisplayName("a check is named in lower-case words from the code")
  void names() {
    assertThat(ReadinessCheck.of("log store writable", Optional::empty).name())
        .isEqualTo("log store writable");
    for (String bad : new String[] {"", "Log", "a/b", "x".repeat(80), "ends with space "}) {
      assertThatThrownBy(() -> ReadinessCheck.of(bad, Optional::empty))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("a synchronous check fails with what is missing, and passes when nothing is")
  void synchronousChecks() {
    Future<Void> down =
        ReadinessCheck.of("thing ready", () -> Optional.of("no thing")).probe().get();
    assertThat(down.failed()).isTrue();
    assertThat(down.cause()).hasMessage("no thing");
    assertThat(ReadinessCheck.of("thing ready", Optional::empty).probe().get().succeeded())
        .isTrue();
  }

  @Test
  @DisplayName("issuer keys are loaded while each type has a current key, and not once they expire")
  void issuerKeys() {
    TestTokens.MutableClock clock = new TestTokens.MutableClock();
    var keys = TestTokens.keys(clock, TokenTypes.BLIND_RSA_2048, TokenTypes.VOPRF_P384);
    assertThat(ReadinessCheck.missingIssuerKeys(keys, clock.instant())).isEmpty();
    assertThat(ReadinessCheck.issuerKeys(keys, clock).probe().get().succeeded()).isTrue();
    // Far past every key's retirement, with no rotation: nothing current.
    clock.now = clock.now.plus(Duration.ofDays(3650));
    assertThat(ReadinessCheck.missingIssuerKeys(keys, clock.instant()))
        .hasValueSatisfying(m -> assertThat(m).contains("token type(s) [2, 1]"));
  }

  @Test
  @DisplayName("a service that does not answer is down, named, with the cause and no stack trace")
  void answers() {
    Future<Void> down =
        ReadinessCheck.answers(
                "log reachable",
                () -> Future.failedFuture(new java.net.ConnectException("Connection refused")),
                "the transparency log at http://127.0.0.1:1")
            .probe()
            .get();
    assertThat(down.cause())
        .hasMessage(
            "the transparency log at http://127.0.0.1:1 does not answer: Connection refused;"
                + " is it running?");
    assertThat(
            ReadinessCheck.answers("log reachable", () -> Future.succeededFuture("x"), "it")
                .probe()
                .get()
                .succeeded())
        .isTrue();
  }

  @Test
  @DisplayName("the in-memory spent-token store is down while full, up again once keys retire")
  void spentTokensProbe() {
    TestTokens.MutableClock clock = new TestTokens.MutableClock();
    InMemorySpentTokens spent = new InMemorySpentTokens(1, clock);
    ReadinessCheck check = ReadinessCheck.spentTokens(spent);
    assertThat(check.probe().get().succeeded()).isTrue();
    spent.spend(new byte[32], new byte[32], clock.instant().plusSeconds(10));
    Future<Void> full = check.probe().get();
    assertThat(full.failed()).isTrue();
    assertThat(full.cause().getMessage()).contains("spent-token store is full");
    clock.now = clock.now.plus(Duration.ofSeconds(11));
    assertThat(check.probe().get().succeeded()).isTrue();
  }
}
