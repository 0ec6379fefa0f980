package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.core.MeasuredSettings;

/** What of the enclave settings is part of the measurement, and what is not. */
class EnclaveAttestationTest {
  static String measured(JsonObject section) {
    return new String(MeasuredSettings.of(section), StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName(
      "id, operational knobs and an inline API key are not measured; the model and how it is reached are")
  void measuredSettings() throws Exception {
    JsonObject allInOne =
        new JsonObject(Files.readString(Path.of("conf", "all-in-one.json")))
            .getJsonObject("enclave");
    assertThat(measured(allInOne)).isEqualTo(measured(null)).isEqualTo("{\"model\":\"embedded\"}");
    assertThat(
            measured(
                new JsonObject()
                    .put("id", "ab")
                    .put("heartbeatMs", 5)
                    .put("ttlMs", 9)
                    .put("maxQueued", 1)))
        .isEqualTo(measured(null));
    JsonObject llm =
        new JsonObject()
            .put("model", "openai-compatible")
            .put(
                "openai",
                new JsonObject()
                    .put("model", "m")
                    .put("baseUrl", "http://127.0.0.1:1")
                    .put("apiKey", "secret"));
    assertThat(measured(llm))
        .isEqualTo(
            "{\"model\":\"openai-compatible\",\"openai\":{\"baseUrl\":\"http://127.0.0.1:1\",\"model\":\"m\"}}")
        .doesNotContain("secret");
  }
}
