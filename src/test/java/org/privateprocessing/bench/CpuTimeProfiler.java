package org.privateprocessing.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Operations per CPU-second of the benchmark's JVM ({@code -prof
 * org.privateprocessing.bench.CpuTimeProfiler}, secondary metric {@code ·cpu.rate}): the measured
 * operations of an iteration over the process CPU time it used (all threads, GC and JIT included).
 *
 * <p>On a machine shared with other work, wall-clock throughput says as much about the neighbours
 * as about the code: a process gets whatever share of the core the scheduler gives it. CPU time per
 * operation barely depends on that share, so scripts/bench-hpke-peers.sh compares the project with
 * its C and Go peers on this rate too (they report theirs from {@code clock_gettime} and {@code
 * getrusage} the same way).
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuAtStart;

  @Override
  public String getDescription() {
    return "operations per CPU-second of the JVM process";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuAtStart = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    double cpuSeconds = (os.getProcessCpuTime() - cpuAtStart) / 1e9;
    long ops = result.getMetadata().getMeasuredOps();
    if (cpuSeconds <= 0 || ops <= 0) {
      return List.of();
    }
    return List.of(
        new ScalarResult("cpu.rate", ops / cpuSeconds, "ops/cpu-s", AggregationPolicy.AVG));
  }
}
