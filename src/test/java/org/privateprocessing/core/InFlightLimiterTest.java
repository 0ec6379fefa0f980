package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InFlightLimiterTest {
  @Test
  @DisplayName("slots are given up to the capacity and refused beyond it until one comes back")
  void boundsWork() {
    InFlightLimiter limiter = new InFlightLimiter(2);
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
    limiter.release();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.inFlight()).isEqualTo(2);
  }

  @Test
  @DisplayName("a release without an acquire is refused and leaves the count at zero")
  void doubleReleaseRefused() {
    InFlightLimiter limiter = new InFlightLimiter(1);
    assertThatThrownBy(limiter::release).isInstanceOf(IllegalStateException.class);
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
  }

  @Test
  @DisplayName("a negative capacity is refused; zero refuses everything")
  void capacityChecks() {
    assertThatThrownBy(() -> new InFlightLimiter(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new InFlightLimiter(0).tryAcquire()).isFalse();
  }

  @Test
  @DisplayName("run gives the slot back on success, on failure and when the work throws")
  void runReleasesOnEveryPath() {
    InFlightLimiter limiter = new InFlightLimiter(1);
    Promise<String> slow = Promise.promise();
    Future<String> running = limiter.run(slow::future, () -> InFlightLimiter.overloaded("test"));
    assertThat(limiter.inFlight()).isEqualTo(1);
    slow.complete("done");
    assertThat(running.result()).isEqualTo("done");
    assertThat(limiter.inFlight()).isZero();

    Future<String> failed =
        limiter.run(
            () -> Future.failedFuture(new IllegalStateException("x")),
            () -> InFlightLimiter.overloaded("test"));
    assertThat(failed.failed()).isTrue();
    assertThat(limiter.inFlight()).isZero();

    Future<String> thrown =
        limiter.run(
            () -> {
              throw new IllegalStateException("bug");
            },
            () -> InFlightLimiter.overloaded("test"));
    assertThat(thrown.cause()).isInstanceOf(IllegalStateException.class);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  @DisplayName(
      "over capacity run refuses with 503 overloaded and Retry-After 1, without running the work")
  void overCapacityRefuses() {
    InFlightLimiter limiter = new InFlightLimiter(1);
    limiter.run(
        () -> Promise.<String>promise().future(), () -> InFlightLimiter.overloaded("the enclave"));
    AtomicBoolean ran = new AtomicBoolean();
    Future<String> refused =
        limiter.run(
            () -> {
              ran.set(true);
              return Future.succeededFuture("no");
            },
            () -> InFlightLimiter.overloaded("the enclave"));
    assertThat(ran).isFalse();
    PipelineException e = (PipelineException) refused.cause();
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.headers()).containsEntry("retry-after", "1");
    assertThat(e.problem().type()).endsWith("overloaded");
    assertThat(limiter.inFlight()).isEqualTo(1);
  }
}
