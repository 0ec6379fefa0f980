package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LoggingTest {
  private static LogRecord record(String message, Throwable thrown) {
    LogRecord r = new LogRecord(Level.WARNING, message);
    r.setLoggerName("org.privateprocessing.gateway.GatewayRole");
    r.setMillis(1_796_251_200_123L); // 2026-12-02T22:40:00.123Z
    r.setThrown(thrown);
    return r;
  }

  @Test
  @DisplayName("text lines start with an ISO-8601 time in UTC with milliseconds and its zone")
  void textLineHasIsoTimeWithZone() {
    String line = new Logging.TextLines().format(record("gateway listening on 127.0.0.1:1", null));
    assertThat(line)
        .startsWith("2026-12-02T22:40:00.123Z WARNING org.privateprocessing.gateway.GatewayRole: ")
        .endsWith("gateway listening on 127.0.0.1:1" + System.lineSeparator());
    OffsetDateTime.parse(line.substring(0, line.indexOf(' ')));
  }

  @Test
  @DisplayName("an exception is named by its type: no message, no stack trace")
  void noStackTrace() {
    Exception e = new IllegalStateException("secret input text");
    String text = new Logging.TextLines().format(record("failed", e));
    String json = new Logging.JsonLines().format(record("failed", e));
    for (String line : new String[] {text, json}) {
      assertThat(line)
          .contains("java.lang.IllegalStateException")
          .doesNotContain("secret input text", "\tat ", "LoggingTest");
      assertThat(line.strip().lines()).hasSize(1);
    }
  }

  @Test
  @DisplayName("JSON lines parse as one object each, with quotes and control characters escaped")
  void jsonLineParses() throws Exception {
    String line =
        new Logging.JsonLines().format(record("a \"quoted\"\nsecond line\u0001", new Error()));
    assertThat(line.strip().lines()).hasSize(1);
    JsonNode n = new ObjectMapper().readTree(line);
    assertThat(n.get("time").asText()).isEqualTo("2026-12-02T22:40:00.123Z");
    assertThat(n.get("level").asText()).isEqualTo("WARNING");
    assertThat(n.get("logger").asText()).isEqualTo("org.privateprocessing.gateway.GatewayRole");
    assertThat(n.get("message").asText()).isEqualTo("a \"quoted\"\nsecond line\u0001");
    assertThat(n.get("error").asText()).isEqualTo("java.lang.Error");
  }

  @Test
  @DisplayName("levels are named as most tools name them; a wrong one names the choices")
  void levels() {
    assertThat(Logging.level("ERROR")).isEqualTo(Level.SEVERE);
    assertThat(Logging.level("warn")).isEqualTo(Level.WARNING);
    assertThat(Logging.level("info")).isEqualTo(Level.INFO);
    assertThat(Logging.level("debug")).isEqualTo(Level.FINE);
    assertThat(Logging.level("trace")).isEqualTo(Level.FINEST);
    assertThatThrownBy(() -> Logging.level("loud"))
        .hasMessageContaining("'loud' is not one of error, warn, info, debug, trace");
  }
}
