package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;
import picocli.CommandLine;

/** The loadtest command end to end against an all-in-one node, and its refusals. */
class LoadtestCommandTest {
  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    return cli.execute(args);
  }

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dataDir;

  /**
   * {@code loadtest --relay R --issuer I --trust T MORE...} against {@code node}, its exit code.
   */
  private int loadtest(Node.Running node, java.nio.file.Path trust, String... more) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "loadtest",
                "--relay",
                node.relayUrl(),
                "--issuer",
                node.issuerUrl(),
                "--trust",
                trust.toString()));
    args.addAll(java.util.List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  @DisplayName("a short run against an all-in-one node ends with one JSON line that adds up")
  void runsAgainstANode() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject conf =
          org.privateprocessing.node.DemoConf.allInOne()
              .put("dataDir", dataDir.toString())
              .put("issuer", new JsonObject().put("port", 0).put("tokensPerWindow", 1_000_000));
      Node.Running node =
          vertx
              .executeBlocking(() -> null)
              .compose(v -> Node.start(vertx, Role.ALL, conf))
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      java.nio.file.Path trust = dataDir.resolve("trust.json");
      java.nio.file.Files.writeString(
          trust,
          org.privateprocessing.client.TrustFiles.simulatedFragment(
                  node.attestation().simulatedRoot().orElseThrow(),
                  node.attestation().measurementHex())
              .encode());
      int exit =
          loadtest(
              node,
              trust,
              "--rate",
              "10",
              "--duration",
              "2s",
              "--concurrency",
              "4",
              "--timeout",
              "10s");
      String[] lines = out.toString().strip().split("\n");
      JsonObject json = new JsonObject(lines[lines.length - 1]);
      assertThat(json.getLong("sent"))
          .isEqualTo(
              json.getLong("ok") + json.getLong("failedClear") + json.getLong("failedUnclear"));
      assertThat(json.getLong("sent")).isEqualTo(20);
      assertThat(json.getLong("ok")).isPositive();
      assertThat(json.getDouble("p99Ms")).isPositive();
      assertThat(exit).isZero();
      assertThat(err.toString()).contains("sent 20, succeeded").contains("p99");

      out.getBuffer().setLength(0);
      exit =
          loadtest(
              node,
              trust,
              "--steps",
              "4,8",
              "--duration",
              "1s",
              "--concurrency",
              "4",
              "--timeout",
              "10s",
              "--json-only");
      String[] steps = out.toString().strip().split("\n");
      assertThat(steps).as("one line per step, in order").hasSize(2);
      assertThat(new JsonObject(steps[0]).getDouble("rate")).isEqualTo(4.0);
      assertThat(new JsonObject(steps[0]).getBoolean("sustainable")).isTrue();
      JsonObject second = new JsonObject(steps[1]);
      assertThat(second.getDouble("rate")).isEqualTo(8.0);
      assertThat(second.getLong("sent")).isEqualTo(8);
      assertThat(second.getLong("ok")).isEqualTo(8);
      assertThat(exit).isZero();

      // The double-spend check: every token sent is sent again, and the node refuses each.
      out.getBuffer().setLength(0);
      exit =
          loadtest(
              node,
              trust,
              "--rate",
              "8",
              "--duration",
              "1s",
              "--concurrency",
              "4",
              "--timeout",
              "10s",
              "--check-replays");
      String[] checked = out.toString().strip().split("\n");
      JsonObject replays = new JsonObject(checked[checked.length - 1]);
      assertThat(replays.getLong("ok")).isEqualTo(8);
      // The first request (before the run) spent a token too.
      assertThat(replays.getLong("replayChecked")).isEqualTo(9);
      assertThat(replays.getLong("replayRefused")).isEqualTo(9);
      assertThat(replays.getLong("doubleSpent")).isZero();
      assertThat(replays.getLong("replayOther")).isZero();
      assertThat(replays.getJsonObject("failedByType")).isEmpty();
      assertThat(err.toString()).contains("9 refused as token-replayed, 0 double spent");
      assertThat(exit).isZero();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("a relay that is not up is one clear line saying how to start one, exit 1")
  void relayNotUp() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    java.nio.file.Path trust = dataDir.resolve("trust.json");
    java.nio.file.Files.writeString(trust, "{\"measurements\":[\"" + "ab".repeat(48) + "\"]}");
    assertThat(
            run(
                "loadtest",
                "--relay",
                "http://127.0.0.1:" + port,
                "--duration",
                "1s",
                "--timeout",
                "2s",
                "--trust",
                trust.toString()))
        .isEqualTo(1);
    assertThat(err.toString())
        .contains("cannot reach the relay")
        .contains("serve")
        .doesNotContain("\tat ");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  @DisplayName("a bad duration or rate is refused before anything is sent")
  void badArguments() {
    assertThat(run("loadtest", "--duration", "5 minutes")).isEqualTo(2);
    assertThat(err.toString()).contains("1500ms, 30s, 5m or 1h");
    assertThat(run("loadtest", "--rate", "0", "--relay", "http://127.0.0.1:1")).isEqualTo(1);
    assertThat(err.toString()).contains("--rate");
    assertThat(run("loadtest", "--kind", "translate", "--relay", "http://127.0.0.1:1"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("summarize or suggest");
    assertThat(run("loadtest", "--steps", "100,-5", "--relay", "http://127.0.0.1:1")).isEqualTo(1);
    assertThat(err.toString()).contains("--steps: each rate must be above 0");
    assertThat(run("loadtest", "--steps", "100,fast", "--relay", "http://127.0.0.1:1"))
        .isEqualTo(2);
    assertThat(
            run(
                "loadtest",
                "--check-replays",
                "--kind",
                "suggest",
                "--relay",
                "http://127.0.0.1:1"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("--check-replays works with --kind summarize");
  }

  @Test
  @DisplayName("--help teaches with examples and explains the waiting policy")
  void helpTeaches() {
    assertThat(run("loadtest", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--rate",
            "--duration",
            "--concurrency",
            "--warmup",
            "--json-only",
            "--steps",
            "Examples:",
            "scripts/loadtest.sh",
            "failedUnclear",
            "waits for a free slot");
  }
}
