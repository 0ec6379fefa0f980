package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The commands' failure paths: one clear line on stderr and a non-zero exit, never a stack trace.
 */
class CliTest {
  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    return cli.execute(args);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  @DisplayName("--help lists every command with an example")
  void helpTeaches() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("serve", "demo", "summarize", "suggest", "bench");
    assertThat(run("summarize", "--help")).isZero();
    assertThat(out.toString()).contains("--relay", "--chat", "conf/examples/chat.json");
  }

  @Test
  @DisplayName("a missing chat file is one clear line and exit 1")
  void missingChatFile() {
    assertThat(run("summarize", "--chat", "no/such/chat.json")).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("error: no such file: no/such/chat.json")
        .doesNotContain("\tat ");
  }

  @Test
  @DisplayName("an unknown tone names the allowed ones")
  void unknownTone() {
    assertThat(run("suggest", "--draft", "hello", "--tone", "sarcastic")).isEqualTo(1);
    assertThat(err.toString()).contains("formal, friendly, concise, proofread");
  }

  @Test
  @DisplayName("an unreachable relay says so and how to fix it, without hanging")
  void unreachableRelay() throws Exception {
    int port = closedPort();
    java.nio.file.Path trust = java.nio.file.Files.createTempFile("trust", ".json");
    java.nio.file.Files.writeString(trust, "{\"measurements\":[\"" + "ab".repeat(48) + "\"]}");
    assertThat(
            run(
                "suggest",
                "--relay",
                "http://127.0.0.1:" + port,
                "--draft",
                "hello",
                "--timeout",
                "3s",
                "--trust",
                trust.toString()))
        .isEqualTo(1);
    java.nio.file.Files.delete(trust);
    assertThat(err.toString()).contains("cannot reach the relay").contains("serve");
  }

  @Test
  @DisplayName("an unknown role is refused before anything starts")
  void unknownRole() {
    assertThat(run("serve", "--role", "issuer-of-doom")).isEqualTo(1);
    assertThat(err.toString()).contains("unknown role");
  }

  @Test
  @DisplayName("the line under every answer names the model, the enclave and its attestation state")
  void aiLineSaysWhatAnsweredAndWhere() {
    assertThat(
            ClientMixin.aiLine(
                new org.privateprocessing.api.ModelInfo("extractive-textrank", "1"),
                new org.privateprocessing.api.EnclaveInfo("ab12", null)))
        .isEqualTo(
            "AI: answered by extractive-textrank 1 in enclave ab12 (no measurement reported)");
    assertThat(
            ClientMixin.aiLine(
                new org.privateprocessing.api.ModelInfo("m", "2"),
                new org.privateprocessing.api.EnclaveInfo("ab12", "00ff".repeat(24))))
        .isEqualTo(
            "AI: answered by m 2 in enclave ab12 (verified measurement 00ff00ff00ff00ff...)");
  }

  @Test
  @DisplayName("the demo summarises the bundled chat through the whole path and prints JSON")
  void demoRuns() {
    assertThat(run("demo")).isZero();
    // stdout is exactly one JSON document (so `scripts/demo.sh | jq` works): both answers in it.
    io.vertx.core.json.JsonObject doc = new io.vertx.core.json.JsonObject(out.toString().strip());
    assertThat(doc.fieldNames()).containsExactly("summarize", "suggest");
    assertThat(doc.getJsonObject("summarize").getString("summary")).isNotBlank();
    assertThat(doc.getJsonObject("suggest").getJsonArray("suggestions")).isNotEmpty();
  }
}
