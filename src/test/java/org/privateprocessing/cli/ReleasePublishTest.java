package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.BuildInfoTest;
import org.privateprocessing.logclient.LogClient;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;
import org.privateprocessing.tlog.Checkpoint;

/**
 * {@code release publish} against a real transparency log on loopback: it records the measurement
 * {@code audit measurement} computes for the same jar, config and JVM, once; bad input appends
 * nothing.
 */
class ReleasePublishTest {
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  @TempDir static Path dir;
  static Vertx vertx;
  static Node.Running node;
  static Path publisherKey;
  static Path jar;

  @BeforeAll
  static void start() throws Exception {
    publisherKey = dir.resolve("publisher.skey");
    CliCapture.Run keygen = CliCapture.run("release", "keygen", "--out", publisherKey.toString());
    assertThat(keygen.exit()).as(keygen.err()).isZero();
    JsonObject conf =
        new JsonObject()
            .put("profile", "demo")
            .put("dataDir", dir.resolve("data").toString())
            .put(
                "log",
                new JsonObject()
                    .put("port", 0)
                    .put("dataDir", dir.resolve("log").toString())
                    .put("publisherKeys", new JsonArray().add(keygen.out().strip())));
    vertx = Vertx.vertx();
    node = await(Node.start(vertx, Role.LOG, conf));
    jar = BuildInfoTest.jar(dir, BuildInfoTest.manifest("0.1.0", COMMIT, "2026-11-24T00:00:00Z"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  private static long logSize() throws Exception {
    try (LogClient client = LogClient.create(vertx, node.logUrl())) {
      return Checkpoint.parse(await(client.signedCheckpoint()).text()).size();
    }
  }

  private static String[] measured(String command, String... more) {
    String[] base = {
      "--jar",
      jar.toString(),
      "--conf",
      "conf/all-in-one.json",
      "--jvm-vendor",
      "Eclipse Adoptium",
      "--jvm-version",
      "17.0.15+6"
    };
    String[] head = command.split(" ");
    String[] all = new String[head.length + base.length + more.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(base, 0, all, head.length, base.length);
    System.arraycopy(more, 0, all, head.length + base.length, more.length);
    return all;
  }

  @Test
  @DisplayName("publish records the measurement audit measurement computes, once")
  void publish_recordsTheAuditedMeasurementOnce() throws Exception {
    CliCapture.Run audit = CliCapture.run(measured("audit measurement"));
    assertThat(audit.exit()).as(audit.err()).isZero();
    String measurement = audit.out().strip();
    assertThat(measurement).matches("[0-9a-f]{96}");
    assertThat(audit.err()).contains("assuming the enclave runs on Eclipse Adoptium 17.0.15+6");

    String[] publish =
        measured("release publish", "--log", node.logUrl(), "--key", publisherKey.toString());
    CliCapture.Run first = CliCapture.run(publish);
    assertThat(first.exit()).as(first.err()).isZero();
    String[] lines = first.out().split("\n");
    assertThat(lines[0]).matches("index \\d+ \\(appended\\)");
    assertThat(lines[1]).isEqualTo("measurement " + measurement);
    assertThat(first.err()).contains("assuming the enclave runs on Eclipse Adoptium 17.0.15+6");

    CliCapture.Run again = CliCapture.run(publish);
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out().split("\n")[0])
        .isEqualTo(lines[0].replace("(appended)", "(already in the log)"));
  }

  @Test
  @DisplayName("publish of a missing jar says how to build one and appends nothing")
  void publish_missingJar_appendsNothing() throws Exception {
    long before = logSize();
    Path missing = dir.resolve("no-such.jar");
    CliCapture.Run run =
        CliCapture.run(
            "release",
            "publish",
            "--jar",
            missing.toString(),
            "--log",
            node.logUrl(),
            "--key",
            publisherKey.toString());
    assertThat(run.exit()).isEqualTo(CliErrors.EXIT_FAILED);
    assertThat(run.err())
        .contains("jar not found: " + missing + " (build it with: mvn -B -DskipTests package)")
        .doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
    assertThat(logSize()).isEqualTo(before);

    CliCapture.Run audit = CliCapture.run("audit", "measurement", "--jar", missing.toString());
    assertThat(audit.exit()).isEqualTo(CliErrors.EXIT_FAILED);
    assertThat(audit.err()).contains("jar not found: " + missing);
  }

  @Test
  @DisplayName("publish with an unreadable --key names --key and appends nothing")
  void publish_badKey_appendsNothing() throws Exception {
    long before = logSize();
    Path bad = java.nio.file.Files.writeString(dir.resolve("bad.skey"), "not a key\n");
    CliCapture.Run run =
        CliCapture.run(
            measured("release publish", "--log", node.logUrl(), "--key", bad.toString()));
    assertThat(run.exit()).isEqualTo(CliErrors.EXIT_FAILED);
    assertThat(run.err()).contains("--key " + bad);
    assertThat(run.out()).isEmpty();
    assertThat(logSize()).isEqualTo(before);
  }
}
