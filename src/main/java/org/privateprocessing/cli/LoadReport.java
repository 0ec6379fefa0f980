package org.privateprocessing.cli;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.privateprocessing.client.PrivateProcessingException;

/**
 * What a load run saw: requests sent, answered, refused with a clear problem (by type) or failed
 * without one, and the latency of the answered ones (HdrHistogram, 3 significant digits). Safe to
 * record into from several event loops. Holds counts and timings only, never content.
 *
 * <p>A failure is <em>clear</em> when the SDK gave a typed {@link PrivateProcessingException}
 * naming a problem type (the caller knows what happened and whether to retry); anything else (an
 * unexpected exception, no answer within the timeout) is <em>unclear</em>.
 */
final class LoadReport {
  private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
  private final Map<String, Long> clearByType = new TreeMap<>();
  private final Map<String, Long> unclearByKind = new TreeMap<>();
  private long sent;
  private long ok;
  private long failedClear;
  private long failedUnclear;

  synchronized void sent() {
    sent++;
  }

  /** An answer, {@code latencyNanos} after it was due. */
  synchronized void ok(long latencyNanos) {
    ok++;
    latency.recordValue(Math.max(0, Math.min(latencyNanos, HIGHEST_NANOS)));
  }

  /** A failure, sorted into clear (typed problem) and unclear. */
  void failed(Throwable t) {
    Throwable cause = t;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof PrivateProcessingException p && p.type() != null && !p.type().isBlank()) {
      failedClear(
          p.source().name().toLowerCase(Locale.ROOT)
              + " "
              + (p.status() > 0 ? p.status() + " " : "")
              + shortType(p.type()));
    } else {
      // The class name only: an unexpected exception's message might quote something it should not.
      failedUnclear(cause.getClass().getSimpleName());
    }
  }

  synchronized void failedClear(String type) {
    failedClear++;
    clearByType.merge(type, 1L, Long::sum);
  }

  synchronized void failedUnclear(String kind) {
    failedUnclear++;
    unclearByKind.merge(kind, 1L, Long::sum);
  }

  synchronized long sentCount() {
    return sent;
  }

  synchronized long okCount() {
    return ok;
  }

  synchronized long failedClearCount() {
    return failedClear;
  }

  synchronized long failedUnclearCount() {
    return failedUnclear;
  }

  synchronized long completed() {
    return ok + failedClear + failedUnclear;
  }

  synchronized double percentileMs(double percentile) {
    return ms(latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile));
  }

  /** 0 when every request got an answer and at least one succeeded, else 1. */
  synchronized int exitCode() {
    return failedUnclear == 0 && ok > 0 ? 0 : CliErrors.EXIT_FAILED;
  }

  /**
   * The one machine-readable line: {@code sent ok failedClear rps p50Ms p90Ms p99Ms maxMs} and last
   * {@code failedUnclear}; {@code rps} is answered requests per second of the run.
   */
  synchronized String jsonLine(double seconds) {
    JsonObject json =
        new JsonObject()
            .put("sent", sent)
            .put("ok", ok)
            .put("failedClear", failedClear)
            .put("rps", round1(seconds > 0 ? ok / seconds : 0))
            .put("p50Ms", percentileMs(50))
            .put("p90Ms", percentileMs(90))
            .put("p99Ms", percentileMs(99))
            .put("maxMs", ms(latency.getMaxValue()))
            .put("failedUnclear", failedUnclear);
    return json.encode();
  }

  /** The summary for a person, several lines. */
  synchronized String summary(double seconds, double targetRate, int concurrency) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%.1f s at a target of %s req/s, at most %d in flight%n",
            seconds,
            trim(targetRate),
            concurrency));
    b.append(
        String.format(
            Locale.ROOT,
            "  sent %d, succeeded %d, failed with a clear error %d, failed unclearly %d%n",
            sent,
            ok,
            failedClear,
            failedUnclear));
    clearByType.forEach(
        (type, n) -> b.append(String.format(Locale.ROOT, "    clear: %s x %d%n", type, n)));
    unclearByKind.forEach(
        (kind, n) -> b.append(String.format(Locale.ROOT, "    unclear: %s x %d%n", kind, n)));
    b.append(
        String.format(
            Locale.ROOT, "  throughput %.1f answered req/s%n", seconds > 0 ? ok / seconds : 0));
    b.append(
        String.format(
            Locale.ROOT,
            "  latency of answers (from the scheduled send time): p50 %.2f ms, p90 %.2f ms,"
                + " p99 %.2f ms, max %.2f ms",
            percentileMs(50),
            percentileMs(90),
            percentileMs(99),
            ms(latency.getMaxValue())));
    return b.toString();
  }

  /** One progress line: elapsed, counts, current rate, p99 so far. */
  synchronized String progress(double elapsedSeconds, double currentRps) {
    return String.format(
        Locale.ROOT,
        "[%5.1fs] sent %d, ok %d, failed %d, %.1f req/s, p99 so far %.1f ms",
        elapsedSeconds,
        sent,
        ok,
        failedClear + failedUnclear,
        currentRps,
        percentileMs(99));
  }

  synchronized Map<String, Long> clearByType() {
    return Map.copyOf(clearByType);
  }

  synchronized Map<String, Long> unclearByKind() {
    return Map.copyOf(unclearByKind);
  }

  /** Problem types are URIs; the last segment names them well enough in a summary. */
  private static String shortType(String type) {
    int slash = type.lastIndexOf('/');
    return slash >= 0 && slash < type.length() - 1 ? type.substring(slash + 1) : type;
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
