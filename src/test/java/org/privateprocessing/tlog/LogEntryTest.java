package org.privateprocessing.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LogEntryTest {
  static final byte[] KEY_CONFIG =
      HexFormat.of()
          .parseHex(
              "01002031e1f05a740102115220e9af918f738674aec95f54db6e04eb705aae8e79815500080001000100010003");
  static final String MEASUREMENT = "ab".repeat(48);
  static final Instant T = Instant.parse("2026-11-25T01:00:00Z");

  static LogEntry.EnclaveRelease release() {
    return new LogEntry.EnclaveRelease(MEASUREMENT, "1.0.0", "0123abcd", T);
  }

  private static LogEntry parse(String json) throws TlogException {
    return LogEntry.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertMalformed(String json, String mentions) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(TlogException.Reason.MALFORMED);
              assertThat(e.getMessage()).contains(mentions);
            });
  }

  @Test
  void anEnclaveReleaseEncodesCanonicallyWithSortedKeysAndNoWhitespace() {
    assertThat(new String(release().encode(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"buildTimestamp\":\"2026-11-25T01:00:00Z\",\"measurement\":\""
                + MEASUREMENT
                + "\",\"sourceCommit\":\"0123abcd\",\"type\":\"enclave-release\",\"version\":\"1.0.0\"}");
  }

  @Test
  void everyEntryTypeRoundTripsThroughItsEncoding() throws Exception {
    LogEntry[] entries = {
      release(),
      new LogEntry.GatewayKeyConfig("gateway.example", KEY_CONFIG, T),
      new LogEntry.IssuerKey("issuer.example", 2, new byte[] {1, 2, 3, (byte) 0xff}, T)
    };
    for (LogEntry e : entries) {
      LogEntry back = LogEntry.parse(e.encode());
      assertThat(back).isEqualTo(e);
      assertThat(back.encode()).isEqualTo(e.encode());
      assertThat(back.leafHash()).isEqualTo(Rfc9162.leafHash(e.encode()));
    }
  }

  @Test
  void keyConfigAndTokenKeyAreBase64urlWithoutPadding() {
    String g =
        new String(
            new LogEntry.GatewayKeyConfig("g", KEY_CONFIG, T).encode(), StandardCharsets.UTF_8);
    assertThat(g)
        .contains("\"keyConfig\":\"AQAgMeHwWnQBAhFSIOmvkY9zhnSuyV9U224E63Baro55gVUACAABAAEAAQAD\"")
        .contains("\"type\":\"gateway-key-config\"");
    String k =
        new String(
            new LogEntry.IssuerKey("i", 1, new byte[] {(byte) 0xfb, (byte) 0xff}, T).encode(),
            StandardCharsets.UTF_8);
    assertThat(k)
        .isEqualTo(
            "{\"issuer\":\"i\",\"notBefore\":\"2026-11-25T01:00:00Z\",\"tokenKey\":\"-_8\","
                + "\"tokenType\":1,\"type\":\"issuer-key\"}");
  }

  @Test
  void whitespaceAndKeyOrderDoNotChangeTheParsedEntry() throws Exception {
    LogEntry e =
        parse(
            "{ \"version\": \"1.0.0\", \"type\": \"enclave-release\", \"sourceCommit\": \"0123abcd\",\n"
                + " \"measurement\": \""
                + MEASUREMENT
                + "\", \"buildTimestamp\": \"2026-11-25T01:00:00Z\" }");
    assertThat(e.encode()).isEqualTo(release().encode());
  }

  @Test
  void nonJsonIsMalformedAndSaysWhereWithoutQuotingTheInput() {
    assertMalformed("not json secret", "not JSON");
    assertThatThrownBy(() -> parse("not json secret")).hasMessageNotContaining("secret");
    assertMalformed("[1,2]", "not a JSON object");
    assertMalformed("{\"type\":\"enclave-release\"} trailing", "not JSON");
  }

  @Test
  void anUnknownOrMissingTypeIsRefused() {
    assertMalformed("{\"type\":\"something-else\"}", "unknown");
    assertMalformed("{\"measurement\":\"" + MEASUREMENT + "\"}", "'type'");
    assertMalformed("{\"type\":7}", "'type'");
  }

  @Test
  void anExtraOrMissingFieldIsRefusedByName() {
    String ok = new String(release().encode(), StandardCharsets.UTF_8);
    assertMalformed(ok.replace("}", ",\"extra\":1}"), "extra");
    assertMalformed(ok.replace(",\"sourceCommit\":\"0123abcd\"", ""), "sourceCommit");
    assertMalformed(ok.replace("}", ",\"version\":\"2\"}"), "not JSON"); // duplicate key
  }

  @Test
  void badHexBase64TimesAndTypesAreRefusedNamingTheField() {
    String ok = new String(release().encode(), StandardCharsets.UTF_8);
    assertMalformed(ok.replace(MEASUREMENT, MEASUREMENT.toUpperCase()), "measurement");
    assertMalformed(ok.replace(MEASUREMENT, "ab"), "measurement");
    assertMalformed(ok.replace("2026-11-25T01:00:00Z", "yesterday"), "buildTimestamp");
    assertMalformed(ok.replace("\"1.0.0\"", "1"), "'version' is not a string");
    String g =
        new String(
            new LogEntry.GatewayKeyConfig("g", KEY_CONFIG, T).encode(), StandardCharsets.UTF_8);
    assertMalformed(g.replace("AQAD\"", "AQAD==\""), "keyConfig");
    assertMalformed(g.replace("\"AQAg", "\"+/Ag"), "keyConfig");
    assertMalformed(g.replace("AQAgMeHw", "AQAg"), "keyConfig"); // not a key configuration any more
    String k =
        new String(
            new LogEntry.IssuerKey("i", 2, new byte[] {1}, T).encode(), StandardCharsets.UTF_8);
    assertMalformed(k.replace("\"tokenType\":2", "\"tokenType\":\"2\""), "tokenType");
    assertMalformed(k.replace("\"tokenType\":2", "\"tokenType\":2.5"), "tokenType");
    assertMalformed(k.replace("\"tokenType\":2", "\"tokenType\":70000"), "tokenType");
    assertMalformed(k.replace("\"tokenKey\":\"AQ\"", "\"tokenKey\":\"\""), "tokenKey");
  }

  @Test
  void anEntryLargerThanTheStoreAcceptsIsTooLarge() {
    byte[] big = new byte[LogFile.MAX_ENTRY + 1];
    assertThatThrownBy(() -> LogEntry.parse(big))
        .isInstanceOfSatisfying(
            TlogException.class,
            e -> assertThat(e.reason()).isEqualTo(TlogException.Reason.TOO_LARGE));
  }

  @Test
  void publisherSignaturesCoverTheExactBytes() throws Exception {
    PublisherKeys.Signer s = PublisherKeys.Signer.generate("pub", new java.security.SecureRandom());
    PublisherKeys.Verifier v = PublisherKeys.Verifier.parse(s.verifierKey());
    byte[] body = release().encode();
    byte[] sig = s.sign(body);
    assertThat(v.verify(body, sig)).isTrue();
    body[3] ^= 1;
    assertThat(v.verify(body, sig)).isFalse();
    assertThat(PublisherKeys.Signer.parse(s.encodeSkey()).verifierKey()).isEqualTo(s.verifierKey());
    assertThat(s.toString()).doesNotContain(s.encodeSkey());
  }
}
