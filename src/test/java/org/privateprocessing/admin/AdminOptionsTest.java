package org.privateprocessing.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminOptionsTest {
  @Test
  @DisplayName("no section means 127.0.0.1:9090, on; each key overrides its default")
  void defaults() {
    assertThat(AdminOptions.fromJson(null)).isEqualTo(new AdminOptions("127.0.0.1", 9090, true));
    assertThat(AdminOptions.fromJson(new JsonObject())).isEqualTo(AdminOptions.DEFAULTS);
    assertThat(AdminOptions.fromJson(new JsonObject().put("port", 0).put("enabled", false)))
        .isEqualTo(new AdminOptions("127.0.0.1", 0, false));
    assertThat(AdminOptions.fromJson(new JsonObject().put("host", "::1")).host()).isEqualTo("::1");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"port\":\"abc\"}|admin.port: must be a whole number from 0 to 65535, not \"abc\"",
        "{\"port\":9090.5}|admin.port: must be a whole number from 0 to 65535, not 9090.5",
        "{\"port\":70000}|admin.port: must be from 0 (any free port) to 65535, not 70000",
        "{\"port\":-1}|admin.port: must be from 0 (any free port) to 65535, not -1",
        "{\"enabled\":\"no\"}|admin.enabled: must be true or false, not \"no\"",
        "{\"host\":7}|admin.host: must be a string such as \"127.0.0.1\", not 7",
        "{\"host\":\" \"}|admin.host: must be an address to bind, e.g. 127.0.0.1",
        "{\"prot\":9091}|admin.prot: unknown key (known: host, port, enabled)"
      })
  @DisplayName("a bad admin setting is refused with the key, what it must be and what it was")
  void badSettings(String json, String message) {
    assertThatThrownBy(() -> AdminOptions.fromJson(new JsonObject(json)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  @DisplayName(
      "a port from the environment (PP_ADMIN_PORT, typed as a Long) is taken like one from a file")
  void portFromTheEnvironment() {
    assertThat(AdminOptions.fromJson(new JsonObject().put("port", 0L)).port()).isZero();
    assertThat(AdminOptions.fromJson(new JsonObject().put("port", 9191L)).port()).isEqualTo(9191);
    assertThatThrownBy(() -> AdminOptions.fromJson(new JsonObject().put("port", 70000L)))
        .hasMessage("admin.port: must be from 0 (any free port) to 65535, not 70000");
  }
}
