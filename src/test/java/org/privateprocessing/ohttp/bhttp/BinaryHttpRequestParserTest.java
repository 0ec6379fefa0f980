package org.privateprocessing.ohttp.bhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.privateprocessing.ohttp.Vectors;

/** The incremental request parser, against the whole-message parser and on cut and bad input. */
class BinaryHttpRequestParserTest {
  private static final JsonNode V = Vectors.load("bhttp/rfc9292-examples.json");

  private static byte[] example(String id) {
    for (JsonNode e : V.get("examples")) {
      if (e.get("id").asText().equals(id)) {
        return HexFormat.of().parseHex(e.get("bhttp_hex").asText());
      }
    }
    throw new IllegalArgumentException(id);
  }

  private static final BinaryHttpRequest SAMPLE =
      new BinaryHttpRequest(
          "POST",
          "https",
          "gateway",
          "/v1/enclave/e1",
          List.of(
              new Field("content-type", "message/ohttp-chunked-req"),
              new Field("authorization", "PrivateToken token=abc")),
          "the inner request, sealed".repeat(50).getBytes(StandardCharsets.US_ASCII),
          List.of(new Field("t", "v")));

  /** Feeds {@code bytes} in slices and rebuilds the request from the parts. */
  private static BinaryHttpRequest parseIncrementally(byte[] bytes, int slice)
      throws BinaryHttpException {
    return assemble(ParseInSlices.parts(new BinaryHttpRequestParser(), bytes, slice));
  }

  private static BinaryHttpRequest assemble(List<BinaryHttpRequestParser.Part> parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    BinaryHttpRequestParser.Head head = null;
    BinaryHttpRequestParser.End end = null;
    for (BinaryHttpRequestParser.Part part : parts) {
      assertThat(end).as("nothing after End").isNull();
      if (part instanceof BinaryHttpRequestParser.Head h) {
        assertThat(head).as("one head").isNull();
        head = h;
      } else if (part instanceof BinaryHttpRequestParser.Content c) {
        assertThat(head).as("content after head").isNotNull();
        content.writeBytes(c.bytes());
      } else {
        end = (BinaryHttpRequestParser.End) part;
      }
    }
    assertThat(head).isNotNull();
    assertThat(end).as("a finished request always ends").isNotNull();
    return new BinaryHttpRequest(
        head.method(),
        head.scheme(),
        head.authority(),
        head.path(),
        head.headers(),
        content.toByteArray(),
        end.trailers());
  }

  @ParameterizedTest(name = "fed {0} byte(s) at a time")
  @ValueSource(ints = {1, 2, 7, 100000})
  @DisplayName(
      "the RFC's requests and a sample in both framings, with padding, parse incrementally exactly as whole")
  void requests_parseIncrementallyAsWhole(int slice) throws Exception {
    for (byte[] bytes :
        List.of(
            example("ex-bink-request"),
            example("ex-bini-request"),
            SAMPLE.encode(),
            SAMPLE.encode(9),
            SAMPLE.encodeIndeterminate(),
            Arrays.copyOf(
                SAMPLE.encodeIndeterminate(), SAMPLE.encodeIndeterminate().length + 30))) {
      assertThat(parseIncrementally(bytes, slice)).isEqualTo(BinaryHttpRequest.parse(bytes));
    }
  }

  @Test
  @DisplayName(
      "the head comes out as soon as its bytes are in, before any content: a server can check it first")
  void head_beforeContent() throws Exception {
    IndeterminateRequestWriter w = new IndeterminateRequestWriter();
    BinaryHttpRequestParser p = new BinaryHttpRequestParser();
    List<BinaryHttpRequestParser.Part> first =
        p.feed(w.head("POST", "https", "gateway", "/v1/enclave/e1", SAMPLE.headers()));
    assertThat(first).hasSize(1);
    BinaryHttpRequestParser.Head head = (BinaryHttpRequestParser.Head) first.get(0);
    assertThat(head.path()).isEqualTo("/v1/enclave/e1");
    assertThat(head.header("Authorization")).contains("PrivateToken token=abc");
    assertThat(head.request(new byte[] {1}).content()).containsExactly(1);
    List<BinaryHttpRequestParser.Part> content = p.feed(w.content(new byte[] {4, 5}));
    assertThat(content).containsExactly(new BinaryHttpRequestParser.Content(new byte[] {4, 5}));
    assertThat(p.feed(w.end(List.of())))
        .containsExactly(new BinaryHttpRequestParser.End(List.of()));
    assertThat(p.finish()).isEmpty();
    assertThatThrownBy(() -> p.feed(new byte[] {0})).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName(
      "a request may end after its control data, head or content, as the whole parser allows")
  void allowedTruncations_endTheRequest() throws Exception {
    byte[] control = {2, 4, 'P', 'O', 'S', 'T', 0, 0, 1, '/'};
    assertThat(parseIncrementally(control, 1)).isEqualTo(BinaryHttpRequest.parse(control));
    byte[] head = Arrays.copyOf(control, control.length + 1);
    assertThat(parseIncrementally(head, 1)).isEqualTo(BinaryHttpRequest.parse(head));
    byte[] contentDone = Arrays.copyOf(head, head.length + 3);
    contentDone[head.length] = 1;
    contentDone[head.length + 1] = 'x';
    assertThat(parseIncrementally(contentDone, 1).content()).containsExactly('x');
  }

  @Test
  @DisplayName("a request cut inside its control data, a section or its content is truncated")
  void cutRequests_areTruncated() throws Exception {
    byte[] full = SAMPLE.encodeIndeterminate();
    int truncated = 0;
    for (int cut = 0; cut < full.length; cut++) {
      byte[] prefix = Arrays.copyOf(full, cut);
      BinaryHttpRequestParser p = new BinaryHttpRequestParser();
      p.feed(prefix);
      try {
        List<BinaryHttpRequestParser.Part> rest = p.finish();
        assertThat(rest).last().isInstanceOf(BinaryHttpRequestParser.End.class);
        assertThat(BinaryHttpRequest.parse(prefix)).isNotNull();
      } catch (BinaryHttpException e) {
        assertThat(e.reason()).isEqualTo(BinaryHttpException.Reason.TRUNCATED);
        assertThatThrownBy(() -> BinaryHttpRequest.parse(prefix))
            .as("the whole parser refuses cut %d too", prefix.length)
            .isInstanceOf(BinaryHttpException.class);
        truncated++;
      }
    }
    assertThat(truncated).isGreaterThan(full.length / 2);
  }

  @Test
  @DisplayName(
      "a response's framing, a bad method or field, non-zero padding and oversized sections are refused, and stay refused")
  void badInput_isRefused() throws Exception {
    BinaryHttpRequestParser framing = new BinaryHttpRequestParser();
    assertThatThrownBy(() -> framing.feed(new byte[] {3}))
        .isInstanceOf(BinaryHttpException.class)
        .extracting(e -> ((BinaryHttpException) e).reason())
        .isEqualTo(BinaryHttpException.Reason.UNSUPPORTED_FRAMING);
    assertThatThrownBy(() -> framing.feed(new byte[] {2}))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(framing::finish).isInstanceOf(IllegalStateException.class);

    BinaryHttpRequestParser method = new BinaryHttpRequestParser();
    assertThatThrownBy(() -> method.feed(new byte[] {2, 2, 'P', ' ', 0, 0, 1, '/'}))
        .isInstanceOf(BinaryHttpException.class);

    BinaryHttpRequestParser padding = new BinaryHttpRequestParser();
    padding.feed(SAMPLE.encodeIndeterminate());
    padding.feed(new byte[] {0, 0});
    assertThatThrownBy(() -> padding.feed(new byte[] {0, 1}))
        .hasMessageContaining("non-zero byte after the message");

    BinaryHttpRequestParser badField = new BinaryHttpRequestParser();
    assertThatThrownBy(() -> badField.feed(new byte[] {2, 1, 'G', 0, 0, 1, '/', 1, ':', 0, 0}))
        .hasMessageContaining("invalid field name");

    byte[] longValue = new byte[100];
    Arrays.fill(longValue, (byte) 'a');
    byte[] head =
        new IndeterminateRequestWriter()
            .head(
                "POST",
                "https",
                "g",
                "/",
                List.of(new Field("x", new String(longValue, StandardCharsets.US_ASCII))));
    BinaryHttpRequestParser big = new BinaryHttpRequestParser(64);
    assertThatThrownBy(() -> big.feed(head))
        .isInstanceOf(BinaryHttpException.class)
        .extracting(e -> ((BinaryHttpException) e).reason())
        .isEqualTo(BinaryHttpException.Reason.TOO_LARGE);
    // Fed byte by byte, the parser never waits past the limit either.
    BinaryHttpRequestParser trickle = new BinaryHttpRequestParser(64);
    BinaryHttpException refused = null;
    for (byte b : head) {
      try {
        trickle.feed(new byte[] {b});
      } catch (BinaryHttpException e) {
        refused = e;
        break;
      }
    }
    assertThat(refused).isNotNull();
    assertThat(refused.reason()).isEqualTo(BinaryHttpException.Reason.TOO_LARGE);
  }

  @Test
  @DisplayName("random garbage is refused with a Binary HTTP error, never another exception")
  void garbage_isRefusedCleanly() {
    java.util.Random random = new java.util.Random(9292);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[1 + random.nextInt(64)];
      random.nextBytes(junk);
      junk[0] = (byte) (random.nextBoolean() ? 0 : 2);
      BinaryHttpRequestParser p = new BinaryHttpRequestParser(256);
      try {
        p.feed(junk);
        p.finish();
      } catch (BinaryHttpException e) {
        assertThat(e.reason()).isNotNull();
      }
    }
  }

  @Test
  @DisplayName("wipe zeroes what the parser holds and refuses more input")
  void wipe_refusesMore() throws Exception {
    BinaryHttpRequestParser p = new BinaryHttpRequestParser();
    byte[] full = SAMPLE.encodeIndeterminate();
    p.feed(Arrays.copyOf(full, 20));
    p.wipe();
    assertThatThrownBy(() -> p.feed(new byte[] {1})).isInstanceOf(IllegalStateException.class);
  }
}
