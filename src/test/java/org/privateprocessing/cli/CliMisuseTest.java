package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;
import picocli.CommandLine;

/**
 * The misuse cases of issue 15, replayed: each answer names the bad option, file or port and says
 * what to do, on one line, without a stack trace.
 */
class CliMisuseTest {
  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  @TempDir Path dir;

  private int run(String... args) {
    CommandLine cli = Main.commandLine(() -> 80);
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> cli.execute(args));
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a mistyped option is named as unknown, with the option it resembles, exit 2")
  void typoIsAnUnknownOptionNotAMissingOne() {
    assertThat(run("summarize", "--chats", "conf/examples/chat.json")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "error: unknown option '--chats' for 'private-processing summarize'; "
                + "did you mean --chat?")
        .contains("See 'private-processing summarize --help'")
        .doesNotContain("Missing required")
        .doesNotContain("\tat ");
  }

  @Test
  @DisplayName("a mistyped command is named, with the command it resembles, exit 2")
  void typoInACommand() {
    assertThat(run("summarise", "--chat", "x.json")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("error: unknown command 'summarise' for 'private-processing'")
        .contains("did you mean summarize");
  }

  @Test
  @DisplayName("a missing required option is still named when nothing was mistyped")
  void missingRequiredOption() {
    assertThat(run("summarize")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: Missing required option: '--chat=FILE'");
  }

  @Test
  @DisplayName("a second serve on the same data directory says another serve runs there")
  void secondServeOnTheSameDataDirectory() throws Exception {
    Path conf = dir.resolve("log.json");
    Files.writeString(
        conf,
        new JsonObject()
            .put("profile", "demo")
            .put("log", new JsonObject().put("port", 0))
            // The admin listener on a free port: another node may hold the default 9090.
            .put("admin", new JsonObject().put("port", 0))
            .encode());
    Path data = dir.resolve("data");
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject first = new JsonObject(Files.readString(conf)).put("dataDir", data.toString());
      await(Node.start(vertx, Role.LOG, first));
      assertThat(
              run(
                  "serve",
                  "--role",
                  "log",
                  "--conf",
                  conf.toString(),
                  "--data-dir",
                  data.toString()))
          .isEqualTo(1);
    } finally {
      await(vertx.close());
    }
    assertThat(err.toString())
        .startsWith("error: another serve is already running with data directory " + data)
        .contains("stop it, or start this one with --data-dir DIR")
        .doesNotContain("\tat ");
  }

  @Test
  @DisplayName("a port in use is named with its role, address and config key")
  void portClashNamesThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Path conf = dir.resolve("log.json");
      Files.writeString(
          conf,
          new JsonObject()
              .put("profile", "demo")
              .put("log", new JsonObject().put("port", port).put("host", "127.0.0.1"))
              .put("admin", new JsonObject().put("port", 0))
              .encode());
      assertThat(
              run(
                  "serve",
                  "--role",
                  "log",
                  "--conf",
                  conf.toString(),
                  "--data-dir",
                  dir.resolve("data").toString()))
          .isEqualTo(1);
      assertThat(err.toString())
          .startsWith("error: the log cannot listen on 127.0.0.1:" + port + " (config: log.port)")
          .contains("stop it, or set another port in the config")
          .doesNotContain("\tat ");
    }
  }

  @Test
  @DisplayName(
      "https:// for the plain-HTTP relay says the relay speaks plain HTTP and names the URL")
  void httpsAgainstThePlainRelay() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject conf =
          new JsonObject()
              .put("profile", "demo")
              .put(
                  "relay", new JsonObject().put("port", 0).put("gatewayUrl", "http://127.0.0.1:9"));
      Node.Running relay = await(Node.start(vertx, Role.RELAY, conf));
      Path trust = dir.resolve("trust.json");
      Files.writeString(trust, "{\"measurements\":[\"" + "ab".repeat(48) + "\"]}");
      String https = "https://127.0.0.1:" + relay.relayPort();
      assertThat(
              run(
                  "suggest",
                  "--relay",
                  https,
                  "--draft",
                  "hello",
                  "--timeout",
                  "5s",
                  "--trust",
                  trust.toString()))
          .isEqualTo(1);
    } finally {
      await(vertx.close());
    }
    assertThat(err.toString())
        .contains("did not answer in TLS: it speaks plain HTTP")
        .contains("use http://127.0.0.1:")
        .doesNotContain("is `serve` running");
  }
}
