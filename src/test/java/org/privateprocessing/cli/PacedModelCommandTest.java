package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code private-processing paced-model}: help, bad options, a taken port, a real run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PacedModelCommandTest {
  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private CommandLine cli() {
    CommandLine cli = Main.commandLine(() -> 100);
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    return cli;
  }

  @Test
  @DisplayName("--help teaches: the endpoint, the pace, the faults, how to point an enclave at it")
  void help() {
    assertThat(cli().execute("paced-model", "--help")).isZero();
    assertThat(out.toString())
        .contains("--tokens-per-second", "--fail-after", "--fail-mode", "--port")
        .contains("/v1/chat/completions", "X-Paced-Fail-After")
        .contains("PP_ENCLAVE_MODEL=openai-compatible");
  }

  @Test
  @DisplayName("a bad option value is named with what it takes, exit 2")
  void badOptions() {
    assertThat(cli().execute("paced-model", "--tokens-per-second", "0")).isEqualTo(2);
    assertThat(err.toString())
        .contains("tokens per second must be 0.1 to 100000")
        .doesNotContain("\tat ");
    assertThat(cli().execute("paced-model", "--fail-mode", "explode")).isEqualTo(2);
    assertThat(err.toString()).contains("fail mode must be close or error");
    assertThat(cli().execute("paced-model", "--port", "-1")).isEqualTo(2);
    assertThat(cli().execute("paced-model", "--tokens-per-second", "fast")).isEqualTo(2);
    assertThat(err.toString()).contains("--tokens-per-second");
  }

  @Test
  @DisplayName("a taken port: one line naming the port and --port, exit 1")
  void takenPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThat(cli().execute("paced-model", "--port", Integer.toString(port))).isEqualTo(1);
      assertThat(err.toString()).contains("127.0.0.1:" + port, "--port").doesNotContain("\tat ");
    }
  }

  @Test
  @DisplayName("it serves on 127.0.0.1 until its thread stops, answering from the request")
  void serves() throws Exception {
    CommandLine cli = cli();
    Thread running =
        new Thread(() -> cli.execute("paced-model", "--port", "0", "--tokens-per-second", "1000"));
    running.start();
    Pattern serving = Pattern.compile("serving (http://127\\.0\\.0\\.1:\\d+)/v1/chat/completions");
    Matcher m = serving.matcher("");
    for (int i = 0; i < 200 && !m.find(); i++) {
      Thread.sleep(50);
      m = serving.matcher(err.toString());
    }
    assertThat(m.find(0)).as(err.toString()).isTrue();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(m.group(1) + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(10))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"messages\":[{\"role\":\"user\",\"content\":"
                                + "\"The ferry to the island leaves at eight.\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("ferry");
    running.interrupt();
    running.join(10_000);
    assertThat(running.isAlive()).isFalse();
  }
}
