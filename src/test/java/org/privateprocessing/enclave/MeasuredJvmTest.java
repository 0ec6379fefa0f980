package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.attest.LaunchImage;
import org.privateprocessing.core.MeasuredSettings;

/** Finding 5 of issue #14: the measurement covers the JVM that runs the enclave's code. */
class MeasuredJvmTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  @DisplayName(
      "a simulated enclave's measurement is SHA-384 over its code and {jvm: this JVM's vendor and version, model}")
  void enclaveMeasuresItsJvm() throws Exception {
    EnclaveIdentity keys = EnclaveIdentity.generate("e1", null, RANDOM);
    EnclaveAttestation a =
        EnclaveAttestation.start(
            new AttestationOptions("simulated", Path.of("/nonexistent"), 60, "127.0.0.1", -1),
            "e1",
            keys.keyConfigs(),
            new JsonObject(),
            RANDOM,
            Instant.now());
    // Spelled out rather than computed with launchConfig: this is the format auditors rebuild.
    String config =
        "{\"jvm\":"
            + new JsonObject()
                .put("vendor", System.getProperty("java.vm.vendor"))
                .put("version", System.getProperty("java.runtime.version"))
                .encode()
            + ",\"model\":\"embedded\"}";
    byte[] expected =
        LaunchImage.measure(
            MeasuredSettings.codeLocation(), config.getBytes(StandardCharsets.UTF_8));
    assertThat(a.measurementHex()).isEqualTo(LaunchImage.hex(expected));
  }

  @Test
  @DisplayName("the same code and settings on another JVM vendor or version is another measurement")
  void anotherJvmIsAnotherMeasurement() {
    byte[] code = "the jar".getBytes(StandardCharsets.UTF_8);
    MeasuredSettings.Jvm a = new MeasuredSettings.Jvm("Eclipse Adoptium", "17.0.15+6");
    MeasuredSettings.Jvm b = new MeasuredSettings.Jvm("Eclipse Adoptium", "17.0.16+8");
    MeasuredSettings.Jvm c = new MeasuredSettings.Jvm("Amazon.com Inc.", "17.0.15+6");
    assertThat(new String(MeasuredSettings.launchConfig(null, a), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"jvm\":{\"vendor\":\"Eclipse Adoptium\",\"version\":\"17.0.15+6\"},\"model\":\"embedded\"}");
    assertThat(
            java.util.stream.Stream.of(a, b, c)
                .map(
                    j ->
                        LaunchImage.hex(
                            LaunchImage.measure(code, MeasuredSettings.launchConfig(null, j))))
                .distinct())
        .hasSize(3);
    // The settings part is unchanged by the JVM member, and the JVM part follows the settings'
    // canonical order (sorted keys) whatever the section holds.
    JsonObject llm =
        new JsonObject()
            .put("openai", new JsonObject().put("model", "m").put("baseUrl", "http://127.0.0.1:1"))
            .put("model", "openai-compatible");
    assertThat(new String(MeasuredSettings.launchConfig(llm, a), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"jvm\":{\"vendor\":\"Eclipse Adoptium\",\"version\":\"17.0.15+6\"},"
                + "\"model\":\"openai-compatible\",\"openai\":{\"baseUrl\":\"http://127.0.0.1:1\",\"model\":\"m\"}}");
  }

  @Test
  @DisplayName("a JVM named without vendor or version is refused")
  void blankJvmRefused() {
    assertThatThrownBy(() -> new MeasuredSettings.Jvm("", "17"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MeasuredSettings.Jvm("Debian", " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(MeasuredSettings.Jvm.running().version())
        .isEqualTo(System.getProperty("java.runtime.version"));
  }
}
