package org.privateprocessing.client;

import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * The deadline between pieces of a streamed answer: once {@link #start started}, it fires once when
 * no {@link #touch} came for {@code idleMs}, except while it is {@link #pause paused} (the reader
 * paused the text, so the silence is the reader's own). One Vert.x timer at a time, re-armed only
 * when it fires (a touch costs a clock read, not a timer). Thread-safe.
 */
final class IdleDeadline {
  private final Vertx vertx;
  private final long idleMs;
  private Runnable onIdle;
  private long last;
  private long timer = -1;
  private boolean paused;
  private boolean stopped;

  IdleDeadline(Vertx vertx, long idleMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    if (idleMs <= 0) {
      throw new IllegalArgumentException("idleMs must be above 0");
    }
    this.idleMs = idleMs;
  }

  /**
   * Starts counting now; {@code onIdle} runs once, on a Vert.x thread, if the stream goes silent.
   */
  synchronized void start(Runnable onIdle) {
    this.onIdle = Objects.requireNonNull(onIdle, "onIdle");
    last = System.nanoTime();
    if (!stopped && !paused) {
      arm(idleMs);
    }
  }

  /** Something arrived: the silence starts again from now. */
  synchronized void touch() {
    last = System.nanoTime();
  }

  /** The reader paused: silence does not count until {@link #resume}. */
  synchronized void pause() {
    paused = true;
    disarm();
  }

  /** The reader reads again: the silence starts from now. */
  synchronized void resume() {
    paused = false;
    last = System.nanoTime();
    if (!stopped && onIdle != null && timer < 0) {
      arm(idleMs);
    }
  }

  /** The stream ended: the deadline never fires. */
  synchronized void stop() {
    stopped = true;
    disarm();
  }

  private void arm(long ms) {
    timer = vertx.setTimer(Math.max(1, ms), this::fire);
  }

  private void disarm() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void fire(long id) {
    Runnable run;
    synchronized (this) {
      if (id != timer) {
        return;
      }
      timer = -1;
      if (stopped || paused) {
        return;
      }
      long silentMs = (System.nanoTime() - last) / 1_000_000;
      if (silentMs < idleMs) {
        arm(idleMs - silentMs);
        return;
      }
      stopped = true;
      run = onIdle;
    }
    run.run();
  }
}
