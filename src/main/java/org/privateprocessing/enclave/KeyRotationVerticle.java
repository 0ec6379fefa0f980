package org.privateprocessing.enclave;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Wires {@link KeyRotation} to time: every {@link #TICK_MS} it asks whether a rotation or a
 * retirement is due and, if so, runs it on a worker (making evidence blocks), one at a time. After
 * a change it calls {@code afterChange} (the RA-TLS listener takes the new certificate); the
 * announcer picks up the new description at its next beat.
 */
public final class KeyRotationVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(KeyRotationVerticle.class.getName());

  /** How often the schedule is checked; rotation and grace are whole seconds. */
  static final long TICK_MS = 250;

  private final KeyRotation rotation;
  private final Clock clock;
  private final Supplier<Future<?>> afterChange;
  private final AtomicBoolean running = new AtomicBoolean();
  private long timer = -1;

  public KeyRotationVerticle(KeyRotation rotation, Clock clock, Supplier<Future<?>> afterChange) {
    this.rotation = Objects.requireNonNull(rotation, "rotation");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.afterChange = Objects.requireNonNull(afterChange, "afterChange");
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(TICK_MS, t -> check());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }

  private void check() {
    if (running.get() || !rotation.due(clock.instant()) || !running.compareAndSet(false, true)) {
      return;
    }
    vertx
        .executeBlocking(() -> rotation.tick(clock.instant()), false)
        .compose(
            outcome -> outcome.changed() ? afterChange.get().mapEmpty() : Future.succeededFuture())
        .onFailure(e -> LOG.severe("inner key rotation failed: " + e.getMessage()))
        .onComplete(done -> running.set(false));
  }
}
