package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.client.TrustFiles;
import org.privateprocessing.infer.PacedModelServer;
import org.privateprocessing.node.DemoConf;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.PrivatePathTest;
import org.privateprocessing.node.Role;
import picocli.CommandLine;

/**
 * {@code summarize --stream} against the running pipeline whose enclave's model is the paced model
 * server at 4 tokens a second: a summary takes several seconds and streams sentence by sentence,
 * one sentence taking longer than a second.
 */
class StreamedCommandTest {
  private static PacedModelServer model;
  private static Vertx vertx;
  private static Node.Running node;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    model = PacedModelServer.start(PacedModelServer.Options.defaults().withPort(0).withPace(4));
    vertx = Vertx.vertx();
    JsonObject conf =
        DemoConf.allInOne()
            .put(
                "enclave",
                new JsonObject()
                    .put("model", "openai-compatible")
                    .put(
                        "openai",
                        new JsonObject()
                            .put("baseUrl", model.baseUrl().toString())
                            .put("timeout", "30s")))
            .put("gateway", new JsonObject().put("port", 0).put("enclaveTimeout", "40s"));
    node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf));
  }

  @AfterAll
  static void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
    model.close();
  }

  private record Run(int exit, String out, String err, long ms) {}

  private Run summarize(String... options) throws Exception {
    Path trust = dir.resolve("trust");
    Files.createDirectories(trust);
    Files.writeString(
        trust.resolve("enclave.json"),
        TrustFiles.simulatedFragment(
                node.attestation().simulatedRoot().orElseThrow(),
                node.attestation().measurementHex())
            .encode());
    PrintStream systemOut = System.out;
    PrintStream systemErr = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    long start = System.nanoTime();
    int exit;
    try {
      CommandLine cli = Main.commandLine(() -> 80);
      cli.setErr(new java.io.PrintWriter(System.err, true));
      String[] args = {
        "summarize",
        "--stream",
        "--chat",
        "conf/examples/chat.json",
        "--relay",
        node.relayUrl(),
        "--issuer",
        node.issuerUrl(),
        "--trust",
        trust.toString()
      };
      String[] all = java.util.Arrays.copyOf(args, args.length + options.length);
      System.arraycopy(options, 0, all, args.length, options.length);
      exit = cli.execute(all);
    } finally {
      System.setOut(systemOut);
      System.setErr(systemErr);
    }
    return new Run(
        exit,
        stdout.toString(StandardCharsets.UTF_8),
        stderr.toString(StandardCharsets.UTF_8),
        (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  @DisplayName(
      "with --stream, --timeout bounds the wait for the answer to begin, not the whole answer: a stream longer than it completes")
  void timeoutIsTheHeadOnly() throws Exception {
    Run run = summarize("--timeout", "1s");
    assertThat(run.exit()).as(run.err()).isZero();
    String summary = new JsonObject(run.out()).getString("summary");
    assertThat(run.err()).contains(summary);
    // The premise: the stream took longer than --timeout and the 5 s the CLI adds to it.
    assertThat(run.ms()).isGreaterThan(6_000);
  }

  @Test
  @DisplayName(
      "--idle-timeout shorter than the model's silence between sentences: the answer is given up, exit 1, never printed as whole")
  void idleTimeoutGivesUp() throws Exception {
    Run run = summarize("--idle-timeout", "1s");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("nothing arrived for 1000 ms")
        .contains("not a whole answer")
        .doesNotContain("Exception");
    assertThat(run.out()).isEmpty();
  }
}
