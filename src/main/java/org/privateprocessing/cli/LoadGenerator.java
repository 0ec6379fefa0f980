package org.privateprocessing.cli;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An open-loop load generator: requests are due at a fixed rate ({@link RateSchedule}), at most
 * {@code concurrency} are in flight, and latency counts from when a request was <em>due</em>.
 *
 * <p>When {@code concurrency} requests are in flight, a due request <b>waits</b> for a free slot
 * (it is not shed) and the wait counts in its latency, so an overloaded server shows up as a rising
 * p99 rather than as a quietly lower send rate. Every due request counts as sent.
 *
 * <p>Bounded: arrivals stop at the duration or after {@code maxRequests}; each request gets at most
 * {@code timeout} plus a second before it counts as an unclear failure (a hang); and the run ends
 * by itself at the latest {@code timeout} plus two seconds after the last arrival, counting
 * whatever is still waiting or in flight then as unclear.
 */
final class LoadGenerator {
  private static final long GRACE_MS = 1_000;

  /** What to run: {@code maxRequests} 0 means no cap besides the duration. */
  record Settings(
      double rate, Duration duration, long maxRequests, int concurrency, long timeoutMs) {
    /** The bounds of a rate, named after the option that gave it. */
    static void requireRate(double rate, String option) {
      if (!(rate > 0) || rate > 1_000_000) {
        throw new IllegalArgumentException(
            option + " must be above 0 and at most 1000000 per second");
      }
    }

    Settings {
      requireRate(rate, "--rate");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("--duration must be above 0");
      }
      if (maxRequests < 0) {
        throw new IllegalArgumentException("--max-requests must not be negative");
      }
      if (concurrency < 1 || concurrency > 10_000) {
        throw new IllegalArgumentException("--concurrency must be 1 to 10000");
      }
      if (timeoutMs < 1) {
        throw new IllegalArgumentException("--timeout must be above 0 ms");
      }
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final Supplier<Future<?>> call;
  private final LoadReport report;
  private final Consumer<String> progress;
  private final RateSchedule schedule;
  private final Promise<Double> finished = Promise.promise();

  // Guarded by this.
  private final ArrayDeque<Long> waiting = new ArrayDeque<>();
  private final Set<Outstanding> inFlight = new HashSet<>();
  private long arrivals;
  private boolean done;

  private Context context;

  /** The client's work (sealing, token finishing) is spread over these, not one event loop. */
  private Context[] workers;

  private int nextWorker;
  private long start;
  private long arrivalTimer = -1;
  private long progressTimer = -1;
  private long lastOk;
  private long lastProgressAt;

  /**
   * @param call starts one request; its future must complete however the request ends
   * @param progress receives a line once a second, or null for none
   */
  LoadGenerator(
      Vertx vertx,
      Settings settings,
      Supplier<Future<?>> call,
      LoadReport report,
      Consumer<String> progress) {
    this.vertx = vertx;
    this.settings = settings;
    this.call = call;
    this.report = report;
    this.progress = progress;
    this.schedule =
        new RateSchedule(
            settings.rate(),
            RateSchedule.limitFor(
                settings.rate(), settings.duration().toNanos(), settings.maxRequests()));
  }

  /** Starts the run; completes with its length in seconds once every request has an outcome. */
  Future<Double> run() {
    // Called from a plain thread, each getOrCreateContext gives a new context on the next event
    // loop.
    context = vertx.getOrCreateContext();
    workers = new Context[Math.max(2, 2 * Runtime.getRuntime().availableProcessors())];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = vertx.getOrCreateContext();
    }
    context.runOnContext(
        v -> {
          start = System.nanoTime();
          lastProgressAt = start;
          // Vert.x timers tick in milliseconds; arrivals are computed from the clock, so a late
          // tick
          // sends every request that fell due meanwhile, each timed from its own due time.
          arrivalTimer = vertx.setPeriodic(1, id -> tick());
          if (progress != null) {
            progressTimer = vertx.setPeriodic(1_000, id -> reportProgress());
          }
          tick();
        });
    return finished.future();
  }

  private void tick() {
    long now = System.nanoTime() - start;
    long due = schedule.dueBy(now);
    synchronized (this) {
      for (long i = arrivals; i < due; i++) {
        report.sent();
        waiting.add(schedule.dueAt(i));
      }
      arrivals = due;
    }
    if (due >= schedule.limit() && arrivalTimer >= 0) {
      vertx.cancelTimer(arrivalTimer);
      arrivalTimer = -1;
      vertx.setTimer(settings.timeoutMs() + 2 * GRACE_MS, id -> deadline());
    }
    dispatch();
    checkDone();
  }

  /** Sends waiting requests while slots are free. Runs on the generator's context only. */
  private void dispatch() {
    while (true) {
      Outstanding o;
      synchronized (this) {
        if (done || waiting.isEmpty() || inFlight.size() >= settings.concurrency()) {
          return;
        }
        o = new Outstanding(waiting.poll());
        inFlight.add(o);
      }
      o.watchdog = vertx.setTimer(settings.timeoutMs() + GRACE_MS, id -> settle(o, null, true));
      workers[nextWorker++ % workers.length].runOnContext(
          v -> {
            Future<?> f;
            try {
              f = call.get();
            } catch (RuntimeException e) {
              f = Future.failedFuture(e);
            }
            f.onComplete(ar -> settle(o, ar.failed() ? ar.cause() : null, false));
          });
    }
  }

  /**
   * Records the one outcome of a request (the first of answer, failure, watchdog) and frees its
   * slot.
   */
  private void settle(Outstanding o, Throwable failure, boolean hung) {
    if (!o.settled.compareAndSet(false, true)) {
      return;
    }
    vertx.cancelTimer(o.watchdog);
    if (hung) {
      report.failedUnclear("no answer within the timeout");
    } else if (failure != null) {
      report.failed(failure);
    } else {
      report.ok(System.nanoTime() - (start + o.dueAt));
    }
    synchronized (this) {
      inFlight.remove(o);
    }
    context.runOnContext(
        v -> {
          dispatch();
          checkDone();
        });
  }

  private void checkDone() {
    synchronized (this) {
      if (done || arrivals < schedule.limit() || !waiting.isEmpty() || !inFlight.isEmpty()) {
        return;
      }
    }
    finish();
  }

  /** The last word: whatever still waits or is in flight now gets no more time. */
  private void deadline() {
    Set<Outstanding> left;
    int neverSent;
    synchronized (this) {
      if (done) {
        return;
      }
      neverSent = waiting.size();
      waiting.clear();
      left = new HashSet<>(inFlight);
    }
    for (int i = 0; i < neverSent; i++) {
      report.failedUnclear("waited for a free slot past the deadline");
    }
    for (Outstanding o : left) {
      settle(o, null, true);
    }
    finish();
  }

  private void finish() {
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
    }
    if (arrivalTimer >= 0) {
      vertx.cancelTimer(arrivalTimer);
    }
    if (progressTimer >= 0) {
      vertx.cancelTimer(progressTimer);
    }
    finished.tryComplete((System.nanoTime() - start) / 1e9);
  }

  private void reportProgress() {
    long now = System.nanoTime();
    long ok = report.okCount();
    double rps = (ok - lastOk) / ((now - lastProgressAt) / 1e9);
    lastOk = ok;
    lastProgressAt = now;
    progress.accept(report.progress((now - start) / 1e9, rps));
  }

  /** One request in flight. */
  private static final class Outstanding {
    final long dueAt;
    final AtomicBoolean settled = new AtomicBoolean();
    volatile long watchdog;

    Outstanding(long dueAt) {
      this.dueAt = dueAt;
    }
  }
}
