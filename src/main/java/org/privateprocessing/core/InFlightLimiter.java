package org.privateprocessing.core;

import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A bound on work under way at one stage (the gateway's listener, an enclave's worker queue). Over
 * capacity a stage refuses at once with a 503 and {@code Retry-After}, rather than queueing without
 * limit and growing memory until it falls over. Lock-free: it is asked on event loops.
 */
public final class InFlightLimiter {
  private final int capacity;
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param capacity most units of work at once; 0 refuses everything (useful in tests)
   */
  public InFlightLimiter(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative: " + capacity);
    }
    this.capacity = capacity;
  }

  /** Takes a slot if one is free; a caller that got {@code true} must {@link #release()} once. */
  public boolean tryAcquire() {
    while (true) {
      int now = inFlight.get();
      if (now >= capacity) {
        return false;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Gives a slot back. */
  public void release() {
    // Never below zero: a double release would otherwise quietly raise the capacity.
    inFlight.updateAndGet(
        n -> {
          if (n <= 0) {
            throw new IllegalStateException("release without a matching acquire");
          }
          return n - 1;
        });
  }

  /**
   * Runs {@code work} in a slot, giving the slot back however it ends (success, failure, or a
   * timeout that fails the future); over capacity fails with {@code refusal} without running it.
   */
  public <T> Future<T> run(Supplier<Future<T>> work, Supplier<PipelineException> refusal) {
    if (!tryAcquire()) {
      return Future.failedFuture(refusal.get());
    }
    Future<T> started;
    try {
      started = work.get();
    } catch (RuntimeException e) {
      release();
      return Future.failedFuture(e);
    }
    return started.andThen(ignored -> release());
  }

  public int inFlight() {
    return inFlight.get();
  }

  public int capacity() {
    return capacity;
  }

  /** The refusal an over-capacity stage answers: 503 {@code overloaded}, retry after a second. */
  public static PipelineException overloaded(String who) {
    return PipelineException.of(ProblemType.OVERLOADED, who + " is at capacity; retry shortly");
  }
}
