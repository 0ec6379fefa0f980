package org.privateprocessing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.LaunchImage;
import org.privateprocessing.attest.ReportDataBinding;
import org.privateprocessing.core.MeasuredSettings;
import org.privateprocessing.tlog.LogEntry;

/**
 * The worked examples of docs/ATTESTATION.md and docs/TRANSPARENCY.md, computed by the code: if an
 * encoding changes, this fails and the document must change with it.
 */
class SpecExamplesTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final MeasuredSettings.Jvm JVM =
      new MeasuredSettings.Jvm("Debian", "17.0.15+6-Debian-1deb12u1");

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName(
      "ATTESTATION.md: REPORT_DATA of key configs 010203, TLS key aabb and producedAt 2026-11-24T10:00:00Z")
  void reportData() {
    byte[] nonce = EnclaveEvidence.timeNonce(Instant.parse("2026-11-24T10:00:00Z"));
    assertThat(HEX.formatHex(nonce)).isEqualTo("000000006b056020");
    byte[] preimage =
        HEX.parseHex(
            HEX.formatHex("private-processing/v1/report-data".getBytes(StandardCharsets.US_ASCII))
                + "00"
                + "00000003"
                + "010203"
                + "00000002"
                + "aabb"
                + "00000008"
                + "000000006b056020");
    byte[] expected =
        HEX.parseHex(
            "f6ea19ee858c3f527941b7efa893ed6ed675f4f93baac072a7a52fdbffc325f5"
                + "62d7c4a2e4442b4eb82640b5a14126845bdb9d1e45ed951ea4087bd3ea091ff3");
    assertThat(ReportDataBinding.compute(new byte[] {1, 2, 3}, HEX.parseHex("aabb"), nonce))
        .isEqualTo(expected)
        .isEqualTo(sha("SHA-512", preimage));
  }

  @Test
  @DisplayName(
      "ATTESTATION.md: the launch measurement of code 504b0304 with the default measured config")
  void measurement() throws Exception {
    byte[] config = MeasuredSettings.launchConfig(new JsonObject(), JVM);
    assertThat(utf8(config))
        .isEqualTo(
            "{\"jvm\":{\"vendor\":\"Debian\",\"version\":\"17.0.15+6-Debian-1deb12u1\"},"
                + "\"model\":\"embedded\"}");
    byte[] code = HEX.parseHex("504b0304");
    byte[] preimage =
        concat(
            "private-processing/v1/launch-image".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0},
            HEX.parseHex("0000000000000004"),
            code,
            HEX.parseHex(String.format("%016x", config.length)),
            config);
    assertThat(config.length).isEqualTo(84);
    assertThat(HEX.formatHex(LaunchImage.measure(code, config)))
        .isEqualTo(
            "1f9fdf0eebc85d37ad6d7b234499cf88dbc7a217478d43467a9cc0e925f41fba"
                + "b723cc63060989bc29f3ef8fe83fb371")
        .isEqualTo(HEX.formatHex(sha("SHA-384", preimage)));
  }

  @Test
  @DisplayName(
      "ATTESTATION.md: the measured config keeps model and openai (without apiKey), sorts object members, keeps array order and Vert.x's number forms")
  void measuredConfig() {
    JsonObject section =
        new JsonObject(
            "{\"id\":\"5e1ec7ed\",\"heartbeatMs\":500,\"model\":\"openai-compatible\","
                + "\"openai\":{\"model\":\"llama \\\"3\\\" \\u00e9\\t\\ud83d\\ude00\","
                + "\"baseUrl\":\"http://127.0.0.1:8000\",\"maxTokens\":512,\"temperature\":0.5,"
                + "\"timeoutMs\":8000.0,\"stop\":[{\"z\":1,\"a\":2}],\"apiKey\":\"secret\","
                + "\"apiKeyEnv\":\"LLM_KEY\"}}");
    assertThat(utf8(MeasuredSettings.launchConfig(section, JVM)))
        .isEqualTo(
            "{\"jvm\":{\"vendor\":\"Debian\",\"version\":\"17.0.15+6-Debian-1deb12u1\"},"
                + "\"model\":\"openai-compatible\",\"openai\":{\"apiKeyEnv\":\"LLM_KEY\","
                + "\"baseUrl\":\"http://127.0.0.1:8000\",\"maxTokens\":512,"
                + "\"model\":\"llama \\\"3\\\" \u00e9\\t\ud83d\ude00\",\"stop\":[{\"z\":1,\"a\":2}],"
                + "\"temperature\":0.5,\"timeoutMs\":8000.0}}");
    // Absent and default measure alike; nothing else is filled in.
    assertThat(MeasuredSettings.of(new JsonObject().put("model", "embedded")))
        .isEqualTo(MeasuredSettings.of(null))
        .isEqualTo("{\"model\":\"embedded\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(utf8(MeasuredSettings.of(new JsonObject().put("model", "openai-compatible"))))
        .isEqualTo("{\"model\":\"openai-compatible\"}");
    assertThat(
            utf8(MeasuredSettings.of(new JsonObject().put("model", "\u0001\b\f\n\r\u001f\u007f"))))
        .isEqualTo("{\"model\":\"\\u0001\\b\\f\\n\\r\\u001F\u007f\"}");
  }

  @Test
  @DisplayName(
      "TRANSPARENCY.md: canonical log entries: sorted members, escapes, supplementary characters as escaped surrogates, times, unpadded base64url")
  void logEntries() {
    LogEntry release =
        new LogEntry.EnclaveRelease(
            "ab".repeat(48),
            "0.1.0",
            "0123456789abcdef0123456789abcdef01234567",
            Instant.parse("2026-11-24T00:00:00Z"));
    assertThat(utf8(release.encode()))
        .isEqualTo(
            "{\"buildTimestamp\":\"2026-11-24T00:00:00Z\",\"measurement\":\""
                + "ab".repeat(48)
                + "\",\"sourceCommit\":\"0123456789abcdef0123456789abcdef01234567\","
                + "\"type\":\"enclave-release\",\"version\":\"0.1.0\"}");
    assertThat(HEX.formatHex(release.leafHash()))
        .isEqualTo("81df1bd3bdab8a298612ba53a423cf4715178d24f1cbc43416d85409cc69a28a")
        .isEqualTo(HEX.formatHex(sha("SHA-256", concat(new byte[] {0}, release.encode()))));

    LogEntry key =
        new LogEntry.IssuerKey(
            "issu\u00e9r \"q\" \\ /<>&\u2028\ud83d\ude00",
            2,
            new byte[] {(byte) 0xfb, (byte) 0xff},
            Instant.parse("2026-11-24T10:00:00.120Z"));
    assertThat(utf8(key.encode()))
        .isEqualTo(
            "{\"issuer\":\"issu\u00e9r \\\"q\\\" \\\\ /<>&\u2028\\uD83D\\uDE00\","
                + "\"notBefore\":\"2026-11-24T10:00:00.120Z\",\"tokenKey\":\"-_8\","
                + "\"tokenType\":2,\"type\":\"issuer-key\"}");
    assertThat(HEX.formatHex(key.leafHash()))
        .isEqualTo("4632eb3ceb48d8b776e638e5510f79fdb0366c4099958fc6a976d3a68948d7d8");
  }

  private static byte[] sha(String algorithm, byte[] data) {
    try {
      return java.security.MessageDigest.getInstance(algorithm).digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
