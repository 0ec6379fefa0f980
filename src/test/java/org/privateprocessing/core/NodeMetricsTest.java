package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.issuer.TestTokens;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.TokenTypes;

class NodeMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final NodeMetrics metrics = NodeMetrics.create(registry);

  private double requests(String stage, String outcome, String problem) {
    var c =
        registry
            .find("pp.requests")
            .tag("stage", stage)
            .tag("outcome", outcome)
            .tag("problem", problem)
            .counter();
    return c == null ? 0 : c.count();
  }

  private double inFlight(String stage) {
    return registry.get("pp.requests.in.flight").tag("stage", stage).gauge().value();
  }

  @Test
  @DisplayName("an exchange is in flight until it ends, and ends once whoever ends it again")
  void exchangeEndsOnce() {
    NodeMetrics.Exchange a = metrics.begin(NodeMetrics.Stage.RELAY);
    NodeMetrics.Exchange b = metrics.begin(NodeMetrics.Stage.RELAY);
    assertThat(inFlight("relay")).isEqualTo(2);
    a.end(200);
    a.end(500);
    a.end(NodeMetrics.Outcome.ABANDONED);
    assertThat(inFlight("relay")).isEqualTo(1);
    assertThat(requests("relay", "ok", "none")).isEqualTo(1);
    assertThat(requests("relay", "failed", "none")).isZero();
    b.end(NodeMetrics.Outcome.ABANDONED);
    assertThat(inFlight("relay")).isZero();
    assertThat(requests("relay", "abandoned", "none")).isEqualTo(1);
    assertThat(registry.get("pp.request.duration").tag("stage", "relay").timers())
        .extracting(t -> t.count())
        .containsExactlyInAnyOrder(1L, 1L);
    assertThat(a.ended()).isTrue();
  }

  @Test
  @DisplayName("a problem answered is counted under its slug and its status's outcome")
  void problemsByType() {
    NodeMetrics.Exchange e = metrics.begin(NodeMetrics.Stage.GATEWAY);
    e.problem(Optional.of(ProblemType.TOKEN_REPLAYED), 401);
    // The HTTP status of a sealed answer is 200; the problem's decides the outcome.
    e.end(200);
    assertThat(requests("gateway", "refused", "token-replayed")).isEqualTo(1);

    NodeMetrics.Exchange f = metrics.begin(NodeMetrics.Stage.GATEWAY);
    f.problem(Optional.of(ProblemType.INTERNAL), ProblemType.INTERNAL.status());
    f.end(500);
    assertThat(requests("gateway", "failed", ProblemType.INTERNAL.slug())).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "a relayed problem of a type this build lacks is counted as 'other', not by its slug")
  void unknownProblemsAreOther() {
    NodeMetrics.Exchange e = metrics.begin(NodeMetrics.Stage.GATEWAY);
    e.problem(Optional.empty(), 422);
    e.end(422);
    assertThat(requests("gateway", "refused", "other")).isEqualTo(1);
  }

  @Test
  @DisplayName("the RA-TLS listener's answers count as answered: their status is the client's")
  void enclaveTlsAnswersArePrivate() {
    NodeMetrics.Exchange answered = metrics.begin(NodeMetrics.Stage.ENCLAVE_TLS);
    answered.end(400);
    NodeMetrics.Exchange refused = metrics.begin(NodeMetrics.Stage.ENCLAVE_TLS);
    refused.problem(Optional.of(ProblemType.MISSING_TOKEN), 401);
    refused.end(401);
    assertThat(requests("enclave-tls", "answered", "none")).isEqualTo(1);
    assertThat(requests("enclave-tls", "refused", "none")).isZero();
    assertThat(requests("enclave-tls", "refused", "missing-token")).isEqualTo(1);
  }

  @Test
  @DisplayName("stage labels are lower case with a dash; outcomes by status class")
  void labels() {
    assertThat(NodeMetrics.Stage.ENCLAVE_TLS.label()).isEqualTo("enclave-tls");
    assertThat(NodeMetrics.Outcome.of(204)).isEqualTo(NodeMetrics.Outcome.OK);
    assertThat(NodeMetrics.Outcome.of(429)).isEqualTo(NodeMetrics.Outcome.REFUSED);
    assertThat(NodeMetrics.Outcome.of(503)).isEqualTo(NodeMetrics.Outcome.FAILED);
  }

  @Test
  @DisplayName("a credential check counts tokens redeemed and refused, by the refusal's type")
  void credentialCheckCountsTokens() throws Exception {
    TestTokens.MutableClock clock = new TestTokens.MutableClock();
    var keys = TestTokens.keys(clock, TokenTypes.BLIND_RSA_2048);
    CredentialCheck check =
        new CredentialCheck(
            "issuer.test",
            "gateway.test",
            keys,
            new InMemorySpentTokens(100, clock),
            clock,
            metrics);
    var token = TestTokens.mint(keys, check.challenges().get(0), clock.instant());
    Optional<String> header = Optional.of(PrivateTokenAuthorization.header(token));
    assertThat(check.check(header).succeeded()).isTrue();
    assertThat(check.check(header).failed()).isTrue();
    assertThat(check.check(Optional.empty()).failed()).isTrue();
    assertThat(registry.get("pp.tokens").tag("outcome", "redeemed").counter().count()).isEqualTo(1);
    assertThat(
            registry
                .get("pp.tokens")
                .tag("outcome", "refused")
                .tag("problem", "token-replayed")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("pp.tokens")
                .tag("outcome", "refused")
                .tag("problem", "missing-token")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  @DisplayName("NONE records nothing: its meters read zero")
  void noneIsSilent() {
    NodeMetrics.NONE.begin(NodeMetrics.Stage.LOG).end(200);
    NodeMetrics.NONE.tokens(NodeMetrics.TokenOutcome.ISSUED, null, 3);
    // A composite registry without children: its meters exist and always read zero.
    assertThat(NodeMetrics.NONE.registry().find("pp.tokens").counters())
        .allSatisfy(c -> assertThat(c.count()).isZero());
    assertThat(NodeMetrics.NONE.registry().find("pp.requests").counters())
        .allSatisfy(c -> assertThat(c.count()).isZero());
  }

  @Test
  @DisplayName(
      "meters looked up once and reused count every request under its own labels, in the registry")
  void reusedMetersKeepCountingPerLabelSet() {
    for (int i = 0; i < 1_000; i++) {
      NodeMetrics.Exchange e = metrics.begin(NodeMetrics.Stage.GATEWAY);
      if (i % 10 == 0) {
        e.problem(Optional.of(ProblemType.TOKEN_REPLAYED), 401);
      } else if (i % 10 == 1) {
        e.problem(Optional.of(ProblemType.INTERNAL), 500);
      }
      e.end(200);
      metrics.tokens(
          i % 10 == 0 ? NodeMetrics.TokenOutcome.REFUSED : NodeMetrics.TokenOutcome.REDEEMED,
          i % 10 == 0 ? ProblemType.TOKEN_REPLAYED : null,
          1);
    }
    assertThat(requests("gateway", "ok", "none")).isEqualTo(800);
    assertThat(requests("gateway", "refused", "token-replayed")).isEqualTo(100);
    assertThat(requests("gateway", "failed", ProblemType.INTERNAL.slug())).isEqualTo(100);
    assertThat(registry.get("pp.request.duration").tag("stage", "gateway").timers())
        .extracting(t -> t.count())
        .containsExactlyInAnyOrder(800L, 100L, 100L);
    assertThat(
            registry.get("pp.tokens").tag("outcome", "redeemed").tag("problem", "none").counter())
        .extracting(c -> c.count())
        .isEqualTo(900.0);
    assertThat(registry.get("pp.tokens").tag("outcome", "refused").counter().count())
        .isEqualTo(100);
    // One series per label set, however many requests: nothing grows with requests served.
    assertThat(registry.find("pp.requests").counters()).hasSize(3);
    assertThat(registry.find("pp.tokens").counters()).hasSize(2);
    assertThat(inFlight("gateway")).isZero();
  }
}
