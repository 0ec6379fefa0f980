package org.privateprocessing.ohttp.bhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.ohttp.Vectors;

/** RFC 9292 section 5 examples (Figures 1-8). */
class Rfc9292VectorTest {
  private static final JsonNode EXAMPLES =
      Vectors.load("bhttp/rfc9292-examples.json").get("examples");

  static JsonNode example(String id) {
    for (JsonNode e : EXAMPLES) {
      if (e.get("id").asText().equals(id)) {
        return e;
      }
    }
    throw new IllegalArgumentException(id);
  }

  static List<Field> fields(JsonNode array) {
    List<Field> out = new ArrayList<>();
    array.forEach(f -> out.add(new Field(f.get(0).asText(), f.get(1).asText())));
    return out;
  }

  static byte[] content(JsonNode decoded) {
    if (decoded.has("content_utf8")) {
      return decoded.get("content_utf8").asText().getBytes(StandardCharsets.UTF_8);
    }
    return hex(decoded.get("content"));
  }

  static BinaryHttpRequest expectedRequest(JsonNode d) {
    return new BinaryHttpRequest(
        d.get("method").asText(),
        d.get("scheme").asText(),
        d.get("authority").asText(),
        d.get("path").asText(),
        fields(d.get("header_fields")),
        content(d),
        fields(d.get("trailer_fields")));
  }

  static BinaryHttpResponse expectedResponse(JsonNode d) {
    List<InformationalResponse> info = new ArrayList<>();
    if (d.has("informational")) {
      d.get("informational")
          .forEach(
              i ->
                  info.add(
                      new InformationalResponse(i.get("status").asInt(), fields(i.get("fields")))));
    }
    return new BinaryHttpResponse(
        info,
        d.get("status").asInt(),
        fields(d.get("header_fields")),
        content(d),
        fields(d.get("trailer_fields")));
  }

  @Test
  @DisplayName(
      "the known-length request decodes to the expected fields and re-encodes byte for byte")
  void knownLengthRequest_decodesAndReencodes() throws Exception {
    JsonNode e = example("ex-bink-request");
    BinaryHttpRequest parsed = BinaryHttpRequest.parse(hex(e.get("bhttp_hex")));
    assertThat(parsed).isEqualTo(expectedRequest(e.get("decoded")));
    assertThat(parsed.header("User-Agent"))
        .contains("curl/7.16.3 libcurl/7.16.3 OpenSSL/0.9.7l zlib/1.2.3");
    assertThat(parsed.header("HOST")).contains("www.example.com");
    assertThat(parsed.header("cookie")).isEmpty();
    assertThat(hex(parsed.encode())).isEqualTo(e.get("bhttp_hex").asText());
  }

  @Test
  @DisplayName(
      "the known-length request truncated by its last one or two bytes means the same message")
  void knownLengthRequest_truncatedEmptyPartsMeanTheSame() throws Exception {
    byte[] full = hex(example("ex-bink-request").get("bhttp_hex"));
    BinaryHttpRequest expected = BinaryHttpRequest.parse(full);
    assertThat(BinaryHttpRequest.parse(Arrays.copyOf(full, full.length - 1))).isEqualTo(expected);
    assertThat(BinaryHttpRequest.parse(Arrays.copyOf(full, full.length - 2))).isEqualTo(expected);
  }

  @Test
  @DisplayName(
      "the indeterminate-length request with 10 bytes of padding decodes to the same request")
  void indeterminateLengthRequest_decodesWithPadding() throws Exception {
    JsonNode e = example("ex-bini-request");
    byte[] bytes = hex(e.get("bhttp_hex"));
    BinaryHttpRequest parsed = BinaryHttpRequest.parse(bytes);
    assertThat(parsed).isEqualTo(expectedRequest(e.get("decoded")));
    assertThat(parsed)
        .isEqualTo(BinaryHttpRequest.parse(hex(example("ex-bink-request").get("bhttp_hex"))));
    // RFC 9292 section 5.1: up to 12 bytes (10 padding + 2 terminators) can be removed.
    for (int cut = 1; cut <= 12; cut++) {
      assertThat(BinaryHttpRequest.parse(Arrays.copyOf(bytes, bytes.length - cut)))
          .isEqualTo(parsed);
    }
  }

  @Test
  @DisplayName("the known-length request re-encodes with padding to its known form plus zeros")
  void knownLengthRequest_encodesWithPadding() throws Exception {
    JsonNode e = example("ex-bink-request");
    byte[] padded = BinaryHttpRequest.parse(hex(e.get("bhttp_hex"))).encode(10);
    assertThat(hex(padded)).isEqualTo(e.get("bhttp_hex").asText() + "00".repeat(10));
    assertThat(BinaryHttpRequest.parse(padded)).isEqualTo(expectedRequest(e.get("decoded")));
  }

  @Test
  @DisplayName("the indeterminate-length response with 102 and 103 informational responses decodes")
  void indeterminateLengthResponse_decodesInformationalResponses() throws Exception {
    JsonNode e = example("ex-bini-response");
    BinaryHttpResponse parsed = BinaryHttpResponse.parse(hex(e.get("bhttp_hex")));
    assertThat(parsed).isEqualTo(expectedResponse(e.get("decoded")));
    assertThat(parsed.informational())
        .extracting(InformationalResponse::status)
        .containsExactly(102, 103);
    assertThat(parsed.header("Content-Type")).contains("text/plain");
    // Re-encoding in known-length form and parsing again keeps the message.
    assertThat(BinaryHttpResponse.parse(parsed.encode())).isEqualTo(parsed);
  }

  @Test
  @DisplayName("the known-length response with a trailer decodes and re-encodes byte for byte")
  void knownLengthResponse_decodesAndReencodes() throws Exception {
    JsonNode e = example("ex-bink-chunked");
    BinaryHttpResponse parsed = BinaryHttpResponse.parse(hex(e.get("bhttp_hex")));
    assertThat(parsed).isEqualTo(expectedResponse(e.get("decoded")));
    assertThat(parsed.trailers()).containsExactly(new Field("trailer", "text"));
    assertThat(hex(parsed.encode())).isEqualTo(e.get("bhttp_hex").asText());
  }

  @Test
  @DisplayName("the RFC 9458 Appendix A inner messages, truncated after control data, decode")
  void ohttpAppendixMessages_decode() throws Exception {
    JsonNode v = Vectors.load("ohttp/rfc9458-a.json");
    BinaryHttpRequest req = BinaryHttpRequest.parse(hex(v.get("request_bhttp")));
    assertThat(req)
        .isEqualTo(
            BinaryHttpRequest.of("GET", "https", "example.com", "/", List.of(), new byte[0]));
    BinaryHttpResponse res = BinaryHttpResponse.parse(hex(v.get("response_bhttp")));
    assertThat(res).isEqualTo(BinaryHttpResponse.of(200, List.of(), new byte[0]));
  }
}
