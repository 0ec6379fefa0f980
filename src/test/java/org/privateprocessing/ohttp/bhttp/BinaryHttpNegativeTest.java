package org.privateprocessing.ohttp.bhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.privateprocessing.ohttp.Vectors.hex;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BinaryHttpNegativeTest {
  interface Parser {
    Object parse(byte[] b) throws BinaryHttpException;
  }

  /**
   * Parses every proper prefix; returns the lengths that parsed, failing on any other exception.
   */
  private static Set<Integer> parsingPrefixes(byte[] full, Parser parser, Object expectedFull)
      throws Exception {
    Set<Integer> ok = new TreeSet<>();
    for (int len = 0; len < full.length; len++) {
      try {
        Object parsed = parser.parse(Arrays.copyOf(full, len));
        ok.add(len);
        assertThat(parsed).isNotNull();
      } catch (BinaryHttpException expected) {
        assertThat(expected.reason()).isEqualTo(BinaryHttpException.Reason.TRUNCATED);
      } catch (RuntimeException e) {
        fail("prefix of length " + len + " threw " + e);
      }
    }
    assertThat(parser.parse(full)).isEqualTo(expectedFull);
    return ok;
  }

  private static byte[] example(String id) {
    return hex(Rfc9292VectorTest.example(id).get("bhttp_hex"));
  }

  @Test
  @DisplayName(
      "every prefix of the known-length request fails as TRUNCATED except the RFC's truncation points")
  void knownLengthRequest_everyPrefixIsTruncatedOrAPermittedTruncation() throws Exception {
    byte[] full = example("ex-bink-request");
    // 23 = end of control data, then header section (2 + 108 bytes) ends at 133, content at 134.
    assertThat(parsingPrefixes(full, BinaryHttpRequest::parse, BinaryHttpRequest.parse(full)))
        .containsExactly(23, 133, 134);
  }

  @Test
  @DisplayName(
      "every prefix of the indeterminate-length request fails as TRUNCATED except permitted truncations")
  void indeterminateLengthRequest_everyPrefixIsTruncatedOrPermitted() throws Exception {
    byte[] full = example("ex-bini-request");
    Set<Integer> ok =
        parsingPrefixes(full, BinaryHttpRequest::parse, BinaryHttpRequest.parse(full));
    // Control data ends at 23; header terminator at 131; then content terminator, trailer
    // terminator, 10 padding.
    List<Integer> expected = new ArrayList<>(List.of(23));
    for (int i = 132; i < full.length; i++) {
      expected.add(i);
    }
    assertThat(ok).containsExactlyElementsOf(expected);
  }

  @Test
  @DisplayName("every prefix of both responses throws only BinaryHttpException and only TRUNCATED")
  void responses_everyPrefixIsTruncatedOrPermitted() throws Exception {
    for (String id : List.of("ex-bini-response", "ex-bink-chunked")) {
      byte[] full = example(id);
      Set<Integer> ok =
          parsingPrefixes(full, BinaryHttpResponse::parse, BinaryHttpResponse.parse(full));
      assertThat(ok).as(id).isNotEmpty().allSatisfy(len -> assertThat(len).isGreaterThan(2));
    }
  }

  @Test
  @DisplayName("the empty input is TRUNCATED")
  void emptyInput_isTruncated() {
    assertReason(() -> BinaryHttpRequest.parse(new byte[0]), BinaryHttpException.Reason.TRUNCATED);
    assertReason(() -> BinaryHttpResponse.parse(new byte[0]), BinaryHttpException.Reason.TRUNCATED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"01", "03", "04", "3f", "4001"})
  @DisplayName("a request with a framing indicator other than 0 or 2 is UNSUPPORTED_FRAMING")
  void request_badFramingIndicator(String framing) {
    byte[] msg = hex(framing + "034745540568747470730000");
    assertReason(
        () -> BinaryHttpRequest.parse(msg), BinaryHttpException.Reason.UNSUPPORTED_FRAMING);
  }

  @ParameterizedTest
  @ValueSource(strings = {"00", "02", "05"})
  @DisplayName("a response with a framing indicator other than 1 or 3 is UNSUPPORTED_FRAMING")
  void response_badFramingIndicator(String framing) {
    assertReason(
        () -> BinaryHttpResponse.parse(hex(framing + "40c8")),
        BinaryHttpException.Reason.UNSUPPORTED_FRAMING);
  }

  @Test
  @DisplayName("a non-zero byte after the message is MALFORMED")
  void nonZeroTrailingByte_isMalformed() {
    byte[] req =
        hex(Rfc9292VectorTest.example("ex-bink-request").get("bhttp_hex").asText() + "000001");
    assertReason(() -> BinaryHttpRequest.parse(req), BinaryHttpException.Reason.MALFORMED);
    byte[] res = hex(Rfc9292VectorTest.example("ex-bink-chunked").get("bhttp_hex").asText() + "ff");
    assertReason(() -> BinaryHttpResponse.parse(res), BinaryHttpException.Reason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ffffffffffffffff", "c000000100000000", "bfffffff", "7fff"})
  @DisplayName("a huge varint length is rejected before any allocation")
  void hugeLength_isTruncated(String varint) {
    // Method length is the huge value.
    assertReason(
        () -> BinaryHttpRequest.parse(hex("00" + varint + "474554")),
        BinaryHttpException.Reason.TRUNCATED);
    // Known-length content length is the huge value.
    assertReason(
        () -> BinaryHttpResponse.parse(hex("0140c800" + varint)),
        BinaryHttpException.Reason.TRUNCATED);
    // Indeterminate content chunk length is the huge value.
    assertReason(
        () -> BinaryHttpResponse.parse(hex("0340c800" + varint + "41")),
        BinaryHttpException.Reason.TRUNCATED);
  }

  @Test
  @DisplayName("a field line overrunning its known-length section is MALFORMED")
  void fieldOverrunningSection_isMalformed() {
    // Section length 3, field: name length 1 'a', value length 5 (overruns the section).
    assertReason(
        () -> BinaryHttpResponse.parse(hex("0140c803016105")),
        BinaryHttpException.Reason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0140c8020000", // empty field name
        "0140c803013a00", // name ":" (pseudo-field)
        "0140c803012000", // name " " not a token
        "0140c80401610100", // value NUL
        "0140c8040161010d", // value CR
        "0140c8040161010a", // value LF
        "0140c80401610120", // value a single space (leading/trailing whitespace)
        "0140c8050161020961", // value with leading tab
      })
  @DisplayName("invalid field names and values are MALFORMED")
  void invalidFields_areMalformed(String msg) {
    assertReason(() -> BinaryHttpResponse.parse(hex(msg)), BinaryHttpException.Reason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0100", "01406300", "01425800", "0180000258"})
  @DisplayName("status codes outside 100..599 are MALFORMED")
  void badStatus_isMalformed(String msg) {
    assertReason(() -> BinaryHttpResponse.parse(hex(msg)), BinaryHttpException.Reason.MALFORMED);
  }

  @Test
  @DisplayName("an informational response without its header section is TRUNCATED")
  void informationalWithoutHeaders_isTruncated() {
    assertReason(
        () -> BinaryHttpResponse.parse(hex("014064")), BinaryHttpException.Reason.TRUNCATED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0000", // empty method
        "0003474520", // method "GE " cut: space is not visible ASCII -> MALFORMED
      })
  @DisplayName("invalid request control data is MALFORMED")
  void invalidControlData_isMalformed(String msg) {
    assertReason(
        () -> BinaryHttpRequest.parse(hex(msg + "0000000000")),
        BinaryHttpException.Reason.MALFORMED);
  }

  @Test
  @DisplayName("a scheme that is not an RFC 3986 scheme is MALFORMED")
  void badScheme_isMalformed() {
    // GET, scheme "1x"
    assertReason(
        () -> BinaryHttpRequest.parse(hex("0003474554023178000000")),
        BinaryHttpException.Reason.MALFORMED);
  }

  @Test
  @DisplayName("more than 256 field lines is TOO_LARGE in both framings")
  void tooManyFields_isTooLarge() {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    for (int i = 0; i < 257; i++) {
      lines.writeBytes(hex("01610162"));
    }
    ByteArrayOutputStream known = new ByteArrayOutputStream();
    known.writeBytes(hex("0140c8"));
    VarInt.write(known, lines.size());
    known.writeBytes(lines.toByteArray());
    assertReason(
        () -> BinaryHttpResponse.parse(known.toByteArray()), BinaryHttpException.Reason.TOO_LARGE);

    ByteArrayOutputStream indet = new ByteArrayOutputStream();
    indet.writeBytes(hex("0340c8"));
    indet.writeBytes(lines.toByteArray());
    indet.write(0);
    assertReason(
        () -> BinaryHttpResponse.parse(indet.toByteArray()), BinaryHttpException.Reason.TOO_LARGE);
  }

  @Test
  @DisplayName("more than 32 informational responses is TOO_LARGE")
  void tooManyInformational_isTooLarge() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(1);
    for (int i = 0; i < 33; i++) {
      b.writeBytes(hex("406400"));
    }
    b.writeBytes(hex("40c8"));
    assertReason(
        () -> BinaryHttpResponse.parse(b.toByteArray()), BinaryHttpException.Reason.TOO_LARGE);
  }

  @Test
  @DisplayName("constructors reject invalid values with IllegalArgumentException")
  void constructors_validate() {
    assertThatThrownBy(() -> new Field("bad name", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Field("x", "a\r\nb")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Field("x", " padded"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Field("x", "\u20ac")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BinaryHttpResponse.of(199, List.of(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BinaryHttpResponse.of(600, List.of(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InformationalResponse(200, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BinaryHttpRequest.of("", "https", "a", "/", List.of(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> BinaryHttpRequest.of("GET", "https", "a b", "/", List.of(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> BinaryHttpRequest.of("GET", "https", "a", "/", List.of(), new byte[0]).encode(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertReason(ThrowingParse call, BinaryHttpException.Reason reason) {
    try {
      call.run();
      fail("expected BinaryHttpException " + reason);
    } catch (BinaryHttpException e) {
      assertThat(e.reason()).isEqualTo(reason);
    }
  }

  interface ThrowingParse {
    void run() throws BinaryHttpException;
  }
}
