package org.privateprocessing.ohttp.bhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Both incremental parsers and both indeterminate writers share their state machine; each keeps its
 * own words. These are the exact messages of every refusal the shared code builds (they reach logs
 * and problem details, so they must not drift when the code is shared).
 */
class IncrementalParserMessagesTest {
  private static final List<Field> HEADERS = List.of(new Field("x", "y"));

  /**
   * Known-length request: framing (1), control data (23: GET https a.example /p), header section (1
   * + 4), content (1 + 10), trailer section (1): 41 bytes.
   */
  private static final byte[] REQUEST =
      BinaryHttpRequest.of("GET", "https", "a.example", "/p", HEADERS, new byte[10]).encode();

  /** Known-length response: framing (1), status (2), header section (1 + 4), content (1 + 10). */
  private static final byte[] RESPONSE =
      new BinaryHttpResponse(List.of(), 200, HEADERS, new byte[10], List.of()).encode();

  /** Feeds {@code bytes} to a fresh parser and ends the stream. */
  @FunctionalInterface
  private interface Stream {
    void feedAndFinish(byte[] bytes) throws BinaryHttpException;
  }

  /** The message of the TRUNCATED refusal when the stream ends after {@code fed}. */
  private static String refusalAfter(Stream stream, byte[] fed) {
    try {
      stream.feedAndFinish(fed);
    } catch (BinaryHttpException e) {
      assertThat(e.reason()).isEqualTo(BinaryHttpException.Reason.TRUNCATED);
      return e.getMessage();
    }
    throw new AssertionError("the message was not refused");
  }

  private static String requestEndingAfter(byte[] fed) {
    return refusalAfter(
        bytes -> {
          BinaryHttpRequestParser p = new BinaryHttpRequestParser();
          p.feed(bytes);
          p.finish();
        },
        fed);
  }

  private static String responseEndingAfter(byte[] fed) {
    return refusalAfter(
        bytes -> {
          BinaryHttpResponseParser p = new BinaryHttpResponseParser();
          p.feed(bytes);
          p.finish();
        },
        fed);
  }

  private static byte[] concat(byte[] a, byte... b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  @DisplayName("a request cut at each point is refused with words that name where")
  void request_truncationMessages() {
    assertThat(REQUEST).hasSize(41);
    assertThat(requestEndingAfter(new byte[0]))
        .isEqualTo("TRUNCATED: request ends inside its framing indicator");
    assertThat(requestEndingAfter(Arrays.copyOf(REQUEST, 1)))
        .isEqualTo("TRUNCATED: request ends inside its control data");
    assertThat(requestEndingAfter(Arrays.copyOf(REQUEST, 10)))
        .isEqualTo("TRUNCATED: request ends inside its control data");
    assertThat(requestEndingAfter(Arrays.copyOf(REQUEST, 26)))
        .isEqualTo("TRUNCATED: request ends inside its header section");
    assertThat(requestEndingAfter(Arrays.copyOf(REQUEST, 33)))
        .isEqualTo("TRUNCATED: request ends inside its content");
    assertThat(requestEndingAfter(concat(Arrays.copyOf(REQUEST, 40), (byte) 5)))
        .isEqualTo("TRUNCATED: request ends inside its trailer section");

    IndeterminateRequestWriter w = new IndeterminateRequestWriter();
    byte[] started =
        concat(w.head("GET", "https", "a.example", "/p", HEADERS), w.content(new byte[] {1, 2}));
    assertThat(requestEndingAfter(started))
        .isEqualTo("TRUNCATED: request ends before its content terminator");
  }

  @Test
  @DisplayName("a response cut at each point is refused with words that name where")
  void response_truncationMessages() {
    assertThat(responseEndingAfter(new byte[0]))
        .isEqualTo("TRUNCATED: response ends inside a framing indicator");
    assertThat(responseEndingAfter(Arrays.copyOf(RESPONSE, 1)))
        .isEqualTo("TRUNCATED: response ends inside a status code (no final status yet)");
    assertThat(responseEndingAfter(Arrays.copyOf(RESPONSE, 2)))
        .isEqualTo("TRUNCATED: response ends inside a status code (no final status yet)");
    assertThat(responseEndingAfter(Arrays.copyOf(RESPONSE, 5)))
        .isEqualTo("TRUNCATED: response ends inside a header section");
    assertThat(responseEndingAfter(Arrays.copyOf(RESPONSE, 11)))
        .isEqualTo("TRUNCATED: response ends inside a content");

    IndeterminateResponseWriter w = new IndeterminateResponseWriter();
    byte[] started = concat(w.head(200, HEADERS), w.content(new byte[] {1, 2}));
    assertThat(responseEndingAfter(started))
        .isEqualTo("TRUNCATED: response ends before its content terminator");
  }

  @Test
  @DisplayName("an over-long section is refused with each parser's name for it")
  void overLongSection_messages() {
    byte[] big =
        BinaryHttpRequest.of(
                "GET", "https", "a", "/", List.of(new Field("x", "y".repeat(100))), new byte[0])
            .encode();
    assertThatThrownBy(() -> new BinaryHttpRequestParser(64).feed(big))
        .isInstanceOf(BinaryHttpException.class)
        .hasMessage("TOO_LARGE: control data or a field section longer than 64 bytes");
    byte[] bigResponse =
        new BinaryHttpResponse(
                List.of(), 200, List.of(new Field("x", "y".repeat(100))), new byte[0], List.of())
            .encode();
    assertThatThrownBy(() -> new BinaryHttpResponseParser(64).feed(bigResponse))
        .isInstanceOf(BinaryHttpException.class)
        .hasMessage("TOO_LARGE: a field section longer than 64 bytes");
  }

  @Test
  @DisplayName("after a failure or the end, each parser names its own message")
  void afterTheEnd_messages() throws Exception {
    BinaryHttpRequestParser failed = new BinaryHttpRequestParser();
    assertThatThrownBy(() -> failed.feed(new byte[] {9})).isInstanceOf(BinaryHttpException.class);
    assertThatThrownBy(() -> failed.feed(new byte[0])).hasMessage("the request already failed");
    BinaryHttpRequestParser done = new BinaryHttpRequestParser();
    done.feed(REQUEST);
    done.finish();
    assertThatThrownBy(done::finish).hasMessage("the request was finished");

    BinaryHttpResponseParser failedResponse = new BinaryHttpResponseParser();
    assertThatThrownBy(() -> failedResponse.feed(new byte[] {9}))
        .isInstanceOf(BinaryHttpException.class);
    assertThatThrownBy(() -> failedResponse.feed(new byte[0]))
        .hasMessage("the response already failed");
    BinaryHttpResponseParser doneResponse = new BinaryHttpResponseParser();
    doneResponse.feed(RESPONSE);
    doneResponse.finish();
    assertThatThrownBy(() -> doneResponse.feed(new byte[0]))
        .hasMessage("the response was finished");
  }

  @Test
  @DisplayName("the writers refuse out-of-order calls with their own words")
  void writers_orderMessages() {
    IndeterminateRequestWriter request = new IndeterminateRequestWriter();
    assertThatThrownBy(() -> request.content(new byte[1]))
        .hasMessage("content goes between head and end");
    assertThatThrownBy(() -> request.end(List.of())).hasMessage("write the head first");
    request.head("GET", "https", "a", "/", List.of());
    request.end(List.of());
    assertThatThrownBy(() -> request.end(List.of())).hasMessage("the request already ended");

    IndeterminateResponseWriter response = new IndeterminateResponseWriter();
    assertThatThrownBy(() -> response.end(List.of())).hasMessage("write the head first");
    response.head(200, List.of());
    assertThatThrownBy(() -> response.head(200, List.of()))
        .hasMessage("the head was already written");
    response.end(List.of());
    assertThatThrownBy(() -> response.end(List.of())).hasMessage("the response already ended");
    assertThatThrownBy(() -> response.content(new byte[1]))
        .hasMessage("content goes between head and end");
  }
}
