package org.privateprocessing.ohttp.bhttp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BinaryHttpRoundTripTest {
  @Test
  @DisplayName(
      "a request with content, trailers and Latin-1 values round-trips and compares by content")
  void request_roundTripsByValue() throws Exception {
    BinaryHttpRequest req =
        new BinaryHttpRequest(
            "POST",
            "https",
            "inference.example",
            "/v1/chat?x=1",
            List.of(
                new Field("Content-Type", "application/json"), new Field("x-note", "caf\u00e9")),
            "{\"prompt\":\"hi\"}".getBytes(StandardCharsets.UTF_8),
            List.of(new Field("digest", "sha-256=:abc=:")));
    BinaryHttpRequest back = BinaryHttpRequest.parse(req.encode(7));
    assertThat(back).isEqualTo(req).hasSameHashCodeAs(req);
    assertThat(back.headers().get(0).name()).isEqualTo("content-type");
    assertThat(back.header("CONTENT-TYPE")).contains("application/json");
    assertThat(back.toString()).doesNotContain("prompt").doesNotContain("application/json");
  }

  @Test
  @DisplayName("content is defensively copied in and out")
  void content_isCopied() {
    byte[] body = {1, 2, 3};
    BinaryHttpResponse res = BinaryHttpResponse.of(200, List.of(), body);
    body[0] = 9;
    res.content()[1] = 9;
    assertThat(res.content()).containsExactly(1, 2, 3);
  }

  @Test
  @DisplayName("a response with informational responses and trailers round-trips")
  void response_roundTrips() throws Exception {
    BinaryHttpResponse res =
        new BinaryHttpResponse(
            List.of(new InformationalResponse(103, List.of(new Field("link", "</a>")))),
            404,
            List.of(new Field("content-type", "text/plain")),
            new byte[70_000],
            List.of(new Field("t", "")));
    assertThat(BinaryHttpResponse.parse(res.encode())).isEqualTo(res);
  }

  @Test
  @DisplayName("varints encode minimally at every length boundary and decode back")
  void varint_roundTripsAtBoundaries() throws Exception {
    long[] values = {0, 63, 64, 16383, 16384, (1L << 30) - 1, 1L << 30, VarInt.MAX};
    int[] lengths = {1, 1, 2, 2, 4, 4, 8, 8};
    for (int i = 0; i < values.length; i++) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      VarInt.write(out, values[i]);
      byte[] b = out.toByteArray();
      assertThat(b).hasSize(lengths[i]);
      assertThat(VarInt.read(b, 0, b.length)).isEqualTo(values[i]);
    }
  }

  @Test
  @DisplayName("field names compare case-insensitively because they are stored lower-case")
  void fieldNames_areCaseInsensitive() {
    assertThat(new Field("Accept", "x")).isEqualTo(new Field("accept", "x"));
  }
}
