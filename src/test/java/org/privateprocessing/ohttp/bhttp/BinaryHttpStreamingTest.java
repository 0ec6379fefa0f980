package org.privateprocessing.ohttp.bhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.privateprocessing.ohttp.Vectors;

/**
 * Indeterminate-length Binary HTTP (RFC 9292 section 3.2, framing indicators 2 and 3): the writers,
 * and the incremental response parser against the whole-message parser.
 */
class BinaryHttpStreamingTest {
  private static final JsonNode V = Vectors.load("bhttp/rfc9292-examples.json");

  private static byte[] example(String id) {
    for (JsonNode e : V.get("examples")) {
      if (e.get("id").asText().equals(id)) {
        return HexFormat.of().parseHex(e.get("bhttp_hex").asText());
      }
    }
    throw new IllegalArgumentException(id);
  }

  /** Feeds {@code bytes} in slices and rebuilds the response from the parts. */
  private static BinaryHttpResponse parseIncrementally(byte[] bytes, int slice)
      throws BinaryHttpException {
    return assemble(ParseInSlices.parts(new BinaryHttpResponseParser(), bytes, slice));
  }

  private static BinaryHttpResponse assemble(List<BinaryHttpResponseParser.Part> parts) {
    List<InformationalResponse> informational = new ArrayList<>();
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    BinaryHttpResponseParser.Head head = null;
    BinaryHttpResponseParser.End end = null;
    for (BinaryHttpResponseParser.Part part : parts) {
      assertThat(end).as("nothing after End").isNull();
      if (part instanceof BinaryHttpResponseParser.Informational i) {
        assertThat(head).isNull();
        informational.add(i.response());
      } else if (part instanceof BinaryHttpResponseParser.Head h) {
        head = h;
      } else if (part instanceof BinaryHttpResponseParser.Content c) {
        assertThat(head).as("content after head").isNotNull();
        content.writeBytes(c.bytes());
      } else {
        end = (BinaryHttpResponseParser.End) part;
      }
    }
    assertThat(head).isNotNull();
    assertThat(end).as("a finished response always ends").isNotNull();
    return new BinaryHttpResponse(
        informational, head.status(), head.headers(), content.toByteArray(), end.trailers());
  }

  @ParameterizedTest(name = "RFC 9292 examples fed {0} byte(s) at a time")
  @ValueSource(ints = {1, 2, 7, 100000})
  @DisplayName("the incremental parser reads the RFC's responses exactly as the whole parser does")
  void rfcResponses_parseIncrementallyAsWhole(int slice) throws Exception {
    for (String id : List.of("ex-bini-response", "ex-bink-chunked")) {
      byte[] b = example(id);
      assertThat(parseIncrementally(b, slice)).as(id).isEqualTo(BinaryHttpResponse.parse(b));
    }
  }

  @Test
  @DisplayName("the writer's pieces, fed one by one, give the parts back as they were written")
  void writerPieces_comeBackAsParts() throws Exception {
    IndeterminateResponseWriter w = new IndeterminateResponseWriter();
    BinaryHttpResponseParser p = new BinaryHttpResponseParser();
    assertThat(
            p.feed(
                w.informational(
                    new InformationalResponse(103, List.of(new Field("link", "</a>"))))))
        .containsExactly(
            new BinaryHttpResponseParser.Informational(
                new InformationalResponse(103, List.of(new Field("link", "</a>")))));
    List<Field> headers = List.of(new Field("content-type", "application/json"));
    assertThat(p.feed(w.head(200, headers)))
        .containsExactly(new BinaryHttpResponseParser.Head(200, headers));
    for (String token : List.of("The", " chat", " is", " about", " lunch.")) {
      byte[] t = token.getBytes(StandardCharsets.UTF_8);
      assertThat(p.feed(w.content(t))).containsExactly(new BinaryHttpResponseParser.Content(t));
    }
    assertThat(w.content(new byte[0])).isEmpty();
    List<Field> trailers = List.of(new Field("x-done", "1"));
    assertThat(p.feed(w.end(trailers))).containsExactly(new BinaryHttpResponseParser.End(trailers));
    assertThat(p.finish()).isEmpty();
  }

  @Test
  @DisplayName("encodeIndeterminate round-trips through both parsers, with padding")
  void encodeIndeterminate_roundTrips() throws Exception {
    BinaryHttpResponse r =
        new BinaryHttpResponse(
            List.of(new InformationalResponse(102, List.of())),
            201,
            List.of(new Field("a", "b")),
            "body".getBytes(StandardCharsets.US_ASCII),
            List.of(new Field("t", "v")));
    byte[] b = r.encodeIndeterminate();
    assertThat(b[0]).isEqualTo((byte) 3);
    assertThat(BinaryHttpResponse.parse(b)).isEqualTo(r);
    byte[] padded = Arrays.copyOf(b, b.length + 9);
    assertThat(parseIncrementally(padded, 3)).isEqualTo(r);

    BinaryHttpRequest q =
        new BinaryHttpRequest(
            "POST",
            "https",
            "enclave",
            "/v1/summarize",
            List.of(new Field("content-type", "application/json")),
            "{}".getBytes(StandardCharsets.US_ASCII),
            List.of());
    byte[] qb = q.encodeIndeterminate();
    assertThat(qb[0]).isEqualTo((byte) 2);
    assertThat(BinaryHttpRequest.parse(qb)).isEqualTo(q);
    IndeterminateRequestWriter qw = new IndeterminateRequestWriter();
    ByteArrayOutputStream pieces = new ByteArrayOutputStream();
    pieces.writeBytes(qw.head("POST", "https", "enclave", "/v1/summarize", q.headers()));
    pieces.writeBytes(qw.content("{".getBytes(StandardCharsets.US_ASCII)));
    pieces.writeBytes(qw.content("}".getBytes(StandardCharsets.US_ASCII)));
    pieces.writeBytes(qw.end(List.of()));
    assertThat(BinaryHttpRequest.parse(pieces.toByteArray())).isEqualTo(q);
  }

  @Test
  @DisplayName(
      "a response may end after its status, head or content, as RFC 9292 section 3.8 allows")
  void allowedTruncations_endTheResponse() throws Exception {
    byte[] statusOnly = {3, 0x40, (byte) 0xc8};
    assertThat(parseIncrementally(statusOnly, 1)).isEqualTo(BinaryHttpResponse.parse(statusOnly));
    byte[] headOnly = {3, 0x40, (byte) 0xc8, 0};
    assertThat(parseIncrementally(headOnly, 1)).isEqualTo(BinaryHttpResponse.parse(headOnly));
    byte[] contentDone = {3, 0x40, (byte) 0xc8, 0, 1, 'x', 0};
    assertThat(parseIncrementally(contentDone, 1).content()).containsExactly('x');
  }

  @Test
  @DisplayName("a response cut inside a section or its content is truncated, never complete")
  void cutResponses_areTruncated() throws Exception {
    byte[] full =
        new BinaryHttpResponse(
                List.of(),
                200,
                List.of(new Field("k", "v")),
                "hello".getBytes(StandardCharsets.US_ASCII),
                List.of(new Field("t", "v")))
            .encodeIndeterminate();
    int truncatedCount = 0;
    for (int cut = 0; cut < full.length; cut++) {
      byte[] prefix = Arrays.copyOf(full, cut);
      BinaryHttpResponseParser p = new BinaryHttpResponseParser();
      p.feed(prefix);
      try {
        List<BinaryHttpResponseParser.Part> rest = p.finish();
        // allowed cut points only: after status, after the header section's terminator, after the
        // content terminator
        assertThat(rest).last().isInstanceOf(BinaryHttpResponseParser.End.class);
        BinaryHttpResponse whole = BinaryHttpResponse.parse(prefix);
        assertThat(whole).isNotNull();
      } catch (BinaryHttpException e) {
        assertThat(e.reason()).isEqualTo(BinaryHttpException.Reason.TRUNCATED);
        assertThatThrownBy(() -> BinaryHttpResponse.parse(prefix))
            .as("the whole parser refuses cut %d too", prefix.length)
            .isInstanceOf(BinaryHttpException.class);
        truncatedCount++;
      }
    }
    assertThat(truncatedCount).isGreaterThan(full.length / 2);
  }

  @Test
  @DisplayName("bad framing, status, padding and oversized sections are refused, and stay refused")
  void badInput_isRefused() throws Exception {
    BinaryHttpResponseParser framing = new BinaryHttpResponseParser();
    assertThatThrownBy(() -> framing.feed(new byte[] {2}))
        .isInstanceOf(BinaryHttpException.class)
        .extracting(e -> ((BinaryHttpException) e).reason())
        .isEqualTo(BinaryHttpException.Reason.UNSUPPORTED_FRAMING);
    assertThatThrownBy(() -> framing.feed(new byte[] {3}))
        .isInstanceOf(IllegalStateException.class);

    BinaryHttpResponseParser status = new BinaryHttpResponseParser();
    assertThatThrownBy(() -> status.feed(new byte[] {3, 0x40, 0x63}))
        .hasMessageContaining("status code 99");

    BinaryHttpResponseParser padding = new BinaryHttpResponseParser();
    padding.feed(new byte[] {3, 0x40, (byte) 0xc8, 0, 0, 0, 0});
    assertThatThrownBy(() -> padding.feed(new byte[] {0, 1}))
        .hasMessageContaining("non-zero byte after the message");

    BinaryHttpResponseParser big = new BinaryHttpResponseParser(64);
    byte[] longValue = new byte[100];
    Arrays.fill(longValue, (byte) 'a');
    byte[] head =
        new IndeterminateResponseWriter()
            .head(200, List.of(new Field("x", new String(longValue, StandardCharsets.US_ASCII))));
    assertThatThrownBy(() -> big.feed(head))
        .isInstanceOf(BinaryHttpException.class)
        .extracting(e -> ((BinaryHttpException) e).reason())
        .isEqualTo(BinaryHttpException.Reason.TOO_LARGE);

    BinaryHttpResponseParser trickle = new BinaryHttpResponseParser(64);
    OneByOne:
    {
      for (byte b : head) {
        try {
          trickle.feed(new byte[] {b});
        } catch (BinaryHttpException e) {
          assertThat(e.reason()).isEqualTo(BinaryHttpException.Reason.TOO_LARGE);
          break OneByOne;
        }
      }
      throw new AssertionError("an oversized section fed byte by byte was not refused");
    }

    BinaryHttpResponseParser badField = new BinaryHttpResponseParser();
    assertThatThrownBy(() -> badField.feed(new byte[] {3, 0x40, (byte) 0xc8, 1, ':', 0, 0}))
        .hasMessageContaining("invalid field name");
  }

  @Test
  @DisplayName("the writers refuse parts out of order")
  void writers_enforceOrder() {
    IndeterminateResponseWriter w = new IndeterminateResponseWriter();
    assertThatThrownBy(() -> w.content(new byte[1])).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> w.end(List.of())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> w.head(99, List.of())).isInstanceOf(IllegalArgumentException.class);
    w.head(200, List.of());
    assertThatThrownBy(() -> w.head(200, List.of())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> w.informational(new InformationalResponse(100, List.of())))
        .isInstanceOf(IllegalStateException.class);
    w.end(List.of());
    assertThatThrownBy(() -> w.content(new byte[1])).isInstanceOf(IllegalStateException.class);

    IndeterminateRequestWriter q = new IndeterminateRequestWriter();
    assertThatThrownBy(() -> q.head("G T", "https", "a", "/", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> q.end(List.of())).isInstanceOf(IllegalStateException.class);
  }
}
