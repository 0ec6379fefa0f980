package org.privateprocessing.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.Status;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  @Test
  @DisplayName("ready (200) only when the roles have started and every check is up")
  void readyWhenAllUp() {
    Readiness.Report report =
        Readiness.decide(
            true,
            List.of(
                Readiness.Outcome.up("issuer/issuer keys loaded"),
                Readiness.Outcome.up("issuer/log reachable")));
    assertThat(report.status()).isEqualTo(200);
    assertThat(report.ready()).isTrue();
    assertThat(report.body())
        .isEqualTo(
            new JsonObject(
                "{\"status\":\"UP\",\"checks\":["
                    + "{\"id\":\"node/roles started\",\"status\":\"UP\"},"
                    + "{\"id\":\"issuer/issuer keys loaded\",\"status\":\"UP\"},"
                    + "{\"id\":\"issuer/log reachable\",\"status\":\"UP\"}]}"));
  }

  @Test
  @DisplayName("one check down makes the node not ready (503), naming the check and why")
  void oneDownIsNotReady() {
    Readiness.Report report =
        Readiness.decide(
            true,
            List.of(
                Readiness.Outcome.up("issuer/issuer keys loaded"),
                Readiness.Outcome.down("issuer/log reachable", "the log does not answer")));
    assertThat(report.status()).isEqualTo(503);
    assertThat(report.body().getString("status")).isEqualTo("DOWN");
    assertThat(report.body().getJsonArray("checks").getJsonObject(2))
        .isEqualTo(
            new JsonObject()
                .put("id", "issuer/log reachable")
                .put("status", "DOWN")
                .put("reason", "the log does not answer"));
  }

  @Test
  @DisplayName("before the roles have started the node is not ready, whatever the checks say")
  void notReadyWhileStarting() {
    Readiness.Report report = Readiness.decide(false, List.of());
    assertThat(report.status()).isEqualTo(503);
    assertThat(report.body().getJsonArray("checks").getJsonObject(0).getString("reason"))
        .isEqualTo("the node's roles are still starting");
  }

  @Test
  @DisplayName("live is always 200 UP: the listener's event loop answered")
  void live() {
    assertThat(Readiness.live().status()).isEqualTo(200);
    assertThat(Readiness.live().body()).isEqualTo(new JsonObject().put("status", "UP"));
  }

  @Test
  @DisplayName(
      "Vert.x's grouped results flatten to role/check, with reasons, timeouts and failures")
  void flattensVertxResults() {
    CheckResult root =
        new CheckResult()
            .setChecks(
                List.of(
                    new CheckResult()
                        .setId("gateway")
                        .setChecks(
                            List.of(
                                CheckResult.from("enclave available", Status.OK()),
                                CheckResult.from(
                                    "log reachable",
                                    Status.KO(new JsonObject().put("reason", "no log"))),
                                CheckResult.from(
                                    "spent-token store reachable",
                                    new IllegalStateException("Timeout")),
                                CheckResult.from(
                                    "issuer keys loaded", new IllegalStateException("boom")))),
                    CheckResult.from("bare", Status.KO())));
    assertThat(Readiness.outcomes(root))
        .containsExactly(
            Readiness.Outcome.up("gateway/enclave available"),
            Readiness.Outcome.down("gateway/log reachable", "no log"),
            Readiness.Outcome.down(
                "gateway/spent-token store reachable",
                "the check did not answer within " + AdminListener.CHECK_TIMEOUT_MS + " ms"),
            Readiness.Outcome.down("gateway/issuer keys loaded", "the check failed: boom"),
            Readiness.Outcome.down("bare", "the check did not answer"));
  }

  @Test
  @DisplayName("a down outcome always carries a reason; an up one never does")
  void outcomeReasons() {
    assertThat(new Readiness.Outcome("x", false, null).reason()).isNotBlank();
    assertThat(new Readiness.Outcome("x", true, "ignored").reason()).isNull();
  }
}
