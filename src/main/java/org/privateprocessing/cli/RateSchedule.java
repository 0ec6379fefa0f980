package org.privateprocessing.cli;

/**
 * When each request of an open-loop run is due: request {@code i} at {@code i / rate} seconds after
 * the start, whatever happened to the ones before (that is what makes the load open-loop). Latency
 * is measured from these times, not from the moment a request could actually be sent, so a stalled
 * server cannot hide its stall by slowing the generator (coordinated omission).
 */
final class RateSchedule {
  private final double ratePerSecond;
  private final long limit;

  /**
   * @param ratePerSecond arrivals per second, above 0
   * @param limit most arrivals in all (the run's duration and --max-requests both cap it)
   */
  RateSchedule(double ratePerSecond, long limit) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be above 0 per second: " + ratePerSecond);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    this.ratePerSecond = ratePerSecond;
    this.limit = limit;
  }

  /**
   * The limit for a run of {@code durationNanos} at this rate, capped at {@code maxRequests} (0 =
   * no cap).
   */
  static long limitFor(double ratePerSecond, long durationNanos, long maxRequests) {
    long byTime = (long) Math.ceil(ratePerSecond * durationNanos / 1e9);
    return maxRequests > 0 ? Math.min(byTime, maxRequests) : byTime;
  }

  /** Nanoseconds after the start at which arrival {@code i} (from 0) is due. */
  long dueAt(long i) {
    return (long) (i * 1e9 / ratePerSecond);
  }

  /**
   * How many arrivals are due by {@code elapsedNanos} after the start (never more than the limit).
   */
  long dueBy(long elapsedNanos) {
    if (elapsedNanos < 0) {
      return 0;
    }
    long n = Math.min((long) Math.floor(elapsedNanos * ratePerSecond / 1e9) + 1, limit);
    // Agree exactly with dueAt, whatever the rounding of the line above.
    while (n < limit && dueAt(n) <= elapsedNanos) {
      n++;
    }
    while (n > 0 && dueAt(n - 1) > elapsedNanos) {
      n--;
    }
    return n;
  }

  long limit() {
    return limit;
  }
}
