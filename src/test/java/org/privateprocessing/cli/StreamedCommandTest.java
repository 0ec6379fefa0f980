package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.infer.PacedModelServer;
import org.privateprocessing.node.DemoConf;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.PrivatePathTest;
import org.privateprocessing.node.Role;

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
    JsonObject conf = DemoConf.withOpenAiModel(model.baseUrl());
    node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf));
  }

  @AfterAll
  static void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
    model.close();
  }

  private CliCapture.Run summarize(String... options) throws Exception {
    String[] all = java.util.Arrays.copyOf(options, options.length + 1);
    all[options.length] = "--stream";
    return CliCapture.summarize(node, CliCapture.demoTrust(dir, node), all);
  }

  @Test
  @DisplayName(
      "with --stream, --timeout bounds the wait for the answer to begin, not the whole answer: a stream longer than it completes")
  void timeoutIsTheHeadOnly() throws Exception {
    CliCapture.Run run = summarize("--timeout", "1s");
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
    CliCapture.Run run = summarize("--idle-timeout", "1s");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("nothing arrived for 1000 ms")
        .contains("not a whole answer")
        .doesNotContain("Exception");
    assertThat(run.out()).isEmpty();
  }
}
