package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Config and request files as the CLI reads them: errors name the file and line, or the variable.
 */
class ConfigFilesTest {
  @TempDir Path dir;

  private final StringWriter err = new StringWriter();

  private Path file(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    return cli.execute(args);
  }

  @Test
  @DisplayName("bad JSON names the file, the line and the column")
  void syntaxErrorsHaveALineAndColumn() throws Exception {
    Path p = file("bad.json", "{\n  \"relay\": {\n    \"port\": 8080,\n  }\n}\n");
    assertThatThrownBy(() -> ConfigFiles.readJson(p, "config"))
        .isInstanceOf(ConfigFiles.BadFileException.class)
        .hasMessageStartingWith("config file " + p + ", line 4, column 3: ")
        .hasMessageContaining("(not valid JSON)");
    Path twice = file("twice.json", "{\"relay\": {}, \"relay\": {}}");
    assertThatThrownBy(() -> ConfigFiles.readJson(twice, "config"))
        .hasMessageContaining("line 1")
        .hasMessageContaining("a key given twice: 'relay'");
    Path cut = file("cut.json", "{\"relay\": {\"port\": 1");
    assertThatThrownBy(() -> ConfigFiles.readJson(cut, "config"))
        .hasMessageContaining("the file ends too early");
    Path list = file("list.json", "[1, 2]");
    assertThatThrownBy(() -> ConfigFiles.readJson(list, "config"))
        .hasMessage("config file " + list + ": expected a JSON object {...}, found a list [...]");
    Path empty = file("empty.json", "");
    assertThatThrownBy(() -> ConfigFiles.readJson(empty, "config")).hasMessageContaining("empty");
  }

  @Test
  @DisplayName("a bad key names the file; a bad variable names the variable instead")
  void badKeysNameWhereTheyCameFrom() throws Exception {
    Path p = file("conf.json", "{\"profile\":\"demo\",\"gateway\":{\"port\":\"abc\"}}");
    assertThatThrownBy(() -> ConfigFiles.effective(p, Map.of()))
        .isInstanceOf(ConfigFiles.BadFileException.class)
        .hasMessage(p + ": gateway.port: expected an integer (0..65535), got \"abc\"");
    Path good = file("good.json", "{\"profile\":\"demo\"}");
    assertThatThrownBy(() -> ConfigFiles.effective(good, Map.of("PP_GATEWAY_PORT", "abc")))
        .isInstanceOf(ConfigFiles.BadFileException.class)
        .hasMessage(
            "environment variable PP_GATEWAY_PORT (gateway.port): expected an integer (0..65535),"
                + " got \"abc\"");
    assertThatThrownBy(() -> ConfigFiles.effective(good, Map.of("PP_RELAY_TIMEOUT_MS", "5")))
        .hasMessageStartingWith(
            "environment variable PP_RELAY_TIMEOUT_MS: no such setting (did you mean PP_RELAY_TIMEOUT?)");
    JsonObject effective = ConfigFiles.effective(good, Map.of("PP_RELAY_TIMEOUT", "5s"));
    assertThat(effective.getJsonObject("relay").getString("timeout")).isEqualTo("5s");
    assertThat(ConfigFiles.effective(null, Map.of()).getString("profile")).isEqualTo("demo");
  }

  @Test
  @DisplayName("serve with a bad config: one line naming file and key, exit 2, nothing started")
  void serveRefusesABadConfig() throws Exception {
    Path p = file("conf.json", "{\"profile\":\"demo\",\"gateway\":{\"prot\":8081}}");
    assertThat(run("serve", "--conf", p.toString())).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("error: " + p + ": gateway.prot: unknown key 'prot' (did you mean port?)")
        .doesNotContain("\tat ");
    assertThat(err.toString().strip().lines()).hasSize(1);
  }

  @Test
  @DisplayName("a broken chat file names its line and column; a wrong one names the file")
  void chatFiles() throws Exception {
    Path broken = file("chat.json", "{\"chat\": {\"id\": \"c\"},\n \"messages\": [}\n");
    assertThat(run("summarize", "--chat", broken.toString())).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("error: chat file " + broken + ", line 2, column 15: ")
        .doesNotContain("Source:");
    Path wrong = file("wrong.json", "{\"chat\": {\"id\": \"c\"}}");
    assertThat(run("summarize", "--chat", wrong.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("error: chat file " + wrong + ": ");
  }

  @Test
  @DisplayName("--timeout takes a duration like --duration; a bare number says how to write it")
  void timeoutIsADuration() {
    assertThat(run("suggest", "--draft", "hi", "--timeout", "5000")).isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid value for option '--timeout': not a duration: '5000'")
        .doesNotContain("Exception")
        .contains("1500ms, 30s, 5m or 1h");
  }

  @Test
  @DisplayName("--idle-timeout takes a duration above 0; --help teaches it")
  void idleTimeoutIsAPositiveDuration() {
    assertThat(run("summarize", "--stream", "--idle-timeout", "0s")).isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid value for option '--idle-timeout': '0s' must be above 0, e.g. 20s")
        .doesNotContain("Exception");
    assertThat(run("suggest", "--draft", "hi", "--stream", "--idle-timeout", "20")).isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid value for option '--idle-timeout': not a duration: '20'");
    java.io.StringWriter help = new java.io.StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new java.io.PrintWriter(help, true));
    assertThat(cli.execute("summarize", "--help")).isZero();
    assertThat(help.toString())
        .contains("--idle-timeout=DURATION")
        .contains("with --stream: how long the answer may be silent")
        .contains("(default: 20s)");
  }
}
