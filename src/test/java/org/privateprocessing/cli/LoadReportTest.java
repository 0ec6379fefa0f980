package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.client.PrivateProcessingException.Source;

class LoadReportTest {
  private static final long MS = 1_000_000L;

  @Test
  @DisplayName("the JSON line has exactly the agreed keys in the agreed order, failedUnclear last")
  void jsonLineShape() {
    LoadReport report = new LoadReport();
    for (int i = 1; i <= 100; i++) {
      report.sent();
      report.ok(i * MS);
    }
    report.sent();
    report.failed(
        new PrivateProcessingException(
            Source.GATEWAY, 503, "https://x/problems/overloaded", "busy"));
    report.sent();
    report.failed(new IllegalStateException("boom"));
    JsonObject json = new JsonObject(report.jsonLine(10));
    assertThat(List.copyOf(json.fieldNames()))
        .containsExactly(
            "sent",
            "ok",
            "failedClear",
            "rps",
            "p50Ms",
            "p90Ms",
            "p99Ms",
            "maxMs",
            "failedUnclear");
    assertThat(json.getLong("sent")).isEqualTo(102);
    assertThat(json.getLong("ok")).isEqualTo(100);
    assertThat(json.getLong("failedClear")).isEqualTo(1);
    assertThat(json.getLong("failedUnclear")).isEqualTo(1);
    assertThat(json.getDouble("rps")).isEqualTo(10.0);
    assertThat(json.getDouble("p50Ms")).isBetween(49.9, 50.1);
    assertThat(json.getDouble("p90Ms")).isBetween(89.9, 90.1);
    assertThat(json.getDouble("p99Ms")).isBetween(98.9, 99.1);
    assertThat(json.getDouble("maxMs")).isBetween(99.9, 100.1);
    assertThat(report.jsonLine(10)).doesNotContain("\n");
  }

  @Test
  @DisplayName("a typed SDK problem is a clear failure, counted by who refused, status and type")
  void typedProblemsAreClear() {
    LoadReport report = new LoadReport();
    report.failed(
        new PrivateProcessingException(
            Source.GATEWAY, 503, "https://x/problems/overloaded", "busy"));
    report.failed(
        new java.util.concurrent.CompletionException(
            new PrivateProcessingException(Source.RELAY, 0, "relay-unreachable", "down")));
    assertThat(report.failedClearCount()).isEqualTo(2);
    assertThat(report.clearByType())
        .containsEntry("gateway 503 overloaded", 1L)
        .containsEntry("relay relay-unreachable", 1L);
  }

  @Test
  @DisplayName("anything else is unclear, described by its class name only, never its message")
  void otherFailuresAreUnclear() {
    LoadReport report = new LoadReport();
    report.failed(new TimeoutException("secret text"));
    report.failed(new PrivateProcessingException(Source.GATEWAY, 500, "", "no type"));
    assertThat(report.failedUnclearCount()).isEqualTo(2);
    assertThat(report.unclearByKind().keySet())
        .containsExactlyInAnyOrder("TimeoutException", "PrivateProcessingException");
    assertThat(report.summary(1, 1, 1)).doesNotContain("secret text");
  }

  @Test
  @DisplayName(
      "exit 0 needs an answer and no unclear failure; clear failures alone do not fail the run")
  void exitCode() {
    LoadReport empty = new LoadReport();
    assertThat(empty.exitCode()).isEqualTo(1);
    LoadReport fine = new LoadReport();
    fine.ok(MS);
    fine.failedClear("gateway 503 overloaded");
    assertThat(fine.exitCode()).isZero();
    fine.failedUnclear("no answer within the timeout");
    assertThat(fine.exitCode()).isEqualTo(1);
  }

  @Test
  @DisplayName("an empty run reports zeros rather than failing")
  void emptyRun() {
    JsonObject json = new JsonObject(new LoadReport().jsonLine(0));
    assertThat(json.getDouble("rps")).isZero();
    assertThat(json.getDouble("p99Ms")).isZero();
  }
}
