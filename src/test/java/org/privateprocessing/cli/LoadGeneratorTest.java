package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.client.PrivateProcessingException.Source;

/** The generator against fake calls (no network): counts, bounds and the waiting policy. */
class LoadGeneratorTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private double run(
      LoadGenerator.Settings settings,
      java.util.function.Supplier<Future<?>> call,
      LoadReport report)
      throws Exception {
    return new LoadGenerator(vertx, settings, call, report, null)
        .run()
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("every request due in the duration is sent once and each gets exactly one outcome")
  void sendsRateTimesDuration() throws Exception {
    LoadReport report = new LoadReport();
    AtomicInteger calls = new AtomicInteger();
    run(
        new LoadGenerator.Settings(200, Duration.ofMillis(500), 0, 8, 5_000),
        () ->
            calls.incrementAndGet() % 10 == 0
                ? Future.failedFuture(
                    new PrivateProcessingException(Source.ENCLAVE, 503, "overloaded", "busy"))
                : Future.succeededFuture(),
        report);
    assertThat(report.sentCount()).isEqualTo(100);
    assertThat(calls.get()).isEqualTo(100);
    assertThat(report.okCount()).isEqualTo(90);
    assertThat(report.failedClearCount()).isEqualTo(10);
    assertThat(report.failedUnclearCount()).isZero();
  }

  @Test
  @DisplayName("--max-requests stops the run before the duration")
  void maxRequestsCaps() throws Exception {
    LoadReport report = new LoadReport();
    run(
        new LoadGenerator.Settings(1_000, Duration.ofHours(1), 25, 4, 5_000),
        Future::succeededFuture,
        report);
    assertThat(report.sentCount()).isEqualTo(25);
    assertThat(report.okCount()).isEqualTo(25);
  }

  @Test
  @DisplayName(
      "a call that never answers counts as unclear after the timeout, and the run still ends")
  void hangsAreBounded() throws Exception {
    LoadReport report = new LoadReport();
    run(
        new LoadGenerator.Settings(20, Duration.ofMillis(100), 0, 4, 200),
        () -> Promise.promise().future(),
        report);
    assertThat(report.sentCount()).isEqualTo(2);
    assertThat(report.failedUnclearCount()).isEqualTo(2);
    assertThat(report.unclearByKind()).containsKey("no answer within the timeout");
  }

  @Test
  @DisplayName("a thrown exception is an unclear failure, not a crash of the generator")
  void throwingCallIsUnclear() throws Exception {
    LoadReport report = new LoadReport();
    run(
        new LoadGenerator.Settings(100, Duration.ofMillis(50), 0, 2, 1_000),
        () -> {
          throw new IllegalStateException("bug");
        },
        report);
    assertThat(report.failedUnclearCount()).isEqualTo(report.sentCount()).isPositive();
  }

  @Test
  @DisplayName(
      "with every slot busy a due request waits (not shed), never exceeding the concurrency")
  void waitsForAFreeSlot() throws Exception {
    LoadReport report = new LoadReport();
    List<Promise<Object>> open = new ArrayList<>();
    AtomicInteger maxOpen = new AtomicInteger();
    // Each call answers when the next one starts, so at most 2 are ever open with concurrency 2.
    Future<Double> done =
        new LoadGenerator(
                vertx,
                new LoadGenerator.Settings(100, Duration.ofMillis(100), 0, 2, 2_000),
                () -> {
                  Promise<Object> p = Promise.promise();
                  synchronized (open) {
                    open.add(p);
                    maxOpen.accumulateAndGet(
                        (int) open.stream().filter(x -> !x.future().isComplete()).count(),
                        Math::max);
                  }
                  vertx.setTimer(30, id -> p.tryComplete());
                  return p.future();
                },
                report,
                null)
            .run();
    done.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(report.sentCount()).isEqualTo(10);
    assertThat(report.okCount()).isEqualTo(10);
    assertThat(maxOpen.get()).isLessThanOrEqualTo(2);
    // 10 calls of 30 ms two at a time take about 150 ms, so the last waited well past its due time.
    assertThat(report.percentileMs(100)).isGreaterThan(30);
  }
}
