package org.privateprocessing.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.Profile;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.ConsistencyProof;

/**
 * A real crash: a child JVM appends through {@link LogService} as fast as it can and prints every
 * checkpoint it serves; the test kills it with SIGKILL wherever it happens to be (writing an entry,
 * between the entry and its checkpoint, between the two checkpoint files) and restarts the log from
 * what is on disk, twice. The restarted log must start without help and be a continuation of every
 * checkpoint the dead one served.
 */
class LogCrashTest {
  @TempDir Path dir;

  /** The child: appends entries from {@code args[1]} on, printing each served checkpoint. */
  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    int first = Integer.parseInt(args[1]);
    try (LogService log =
        LogService.open(LogServiceTest.options(data), Profile.DEMO, LogServiceTest.RANDOM)) {
      System.out.println("started " + log.size());
      for (int i = first; i < first + 100_000; i++) {
        LogHistoryTest.append(log, i);
        Checkpoint cp = LogHistoryTest.verified(log, log.checkpoint());
        System.out.println(
            "served " + cp.size() + " " + Base64.getEncoder().encodeToString(cp.rootHash()));
        System.out.flush();
      }
    }
  }

  record Served(long size, byte[] root) {}

  /** Runs the child until it has served {@code atLeast} checkpoints, then kills it (SIGKILL). */
  List<Served> runAndKill(int first, int atLeast) throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LogCrashTest.class.getName(),
                dir.toString(),
                Integer.toString(first))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<Served> served = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (served.size() < atLeast && (line = out.readLine()) != null) {
        String[] f = line.split(" ");
        if (f[0].equals("served")) {
          served.add(new Served(Long.parseLong(f[1]), Base64.getDecoder().decode(f[2])));
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(served).as("checkpoints the child served before the kill").hasSize(atLeast);
    return served;
  }

  @Test
  void aLogKilledWithSigkillMidAppendStartsAgainAsAContinuationOfEverythingItServed()
      throws Exception {
    List<Served> served = new ArrayList<>();
    served.addAll(runAndKill(0, 30));
    long restartedAt;
    try (LogService log = LogHistoryTest.open(dir)) {
      restartedAt = log.size();
    }
    served.addAll(runAndKill((int) restartedAt + 1000, 30));
    try (LogService log = LogHistoryTest.open(dir)) {
      Checkpoint now = LogHistoryTest.verified(log, log.checkpoint());
      Served last = served.get(served.size() - 1);
      assertThat(now.size()).isGreaterThanOrEqualTo(last.size());
      for (Served s : served) {
        if (s.size() == now.size()) {
          assertThat(s.root()).isEqualTo(now.rootHash());
        } else {
          ConsistencyProof.fromJson(
                  log.consistencyProof(Long.toString(s.size()), Long.toString(now.size())).encode())
              .verify(s.root(), now.rootHash());
        }
      }
    }
  }
}
