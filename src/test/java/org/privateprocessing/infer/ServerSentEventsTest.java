package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.infer.ModelException.Reason;

class ServerSentEventsTest {
  private final List<String> events = new ArrayList<>();

  private ServerSentEvents decoder(int limit) {
    return new ServerSentEvents(limit, events::add);
  }

  /** Feeds {@code text} cut at random places (several cuts per test, fixed seeds). */
  private List<String> decodeInPieces(String text, long seed) {
    events.clear();
    ServerSentEvents d = decoder(1 << 16);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Random random = new Random(seed);
    int i = 0;
    while (i < bytes.length) {
      int n = Math.min(bytes.length - i, random.nextInt(4));
      d.feed(bytes, i, n);
      i += n;
    }
    return new ArrayList<>(events);
  }

  @Test
  @DisplayName("lines end at LF, CRLF or CR, also split across reads; events do not depend on cuts")
  void lineEndsAndCuts() {
    String lf = "data: one\n\ndata: two\n\n";
    String crlf = "data: one\r\n\r\ndata: two\r\n\r\n";
    String cr = "data: one\r\rdata: two\r\r";
    for (String text : List.of(lf, crlf, cr)) {
      for (long seed = 0; seed < 50; seed++) {
        assertThat(decodeInPieces(text, seed)).as("seed %d", seed).containsExactly("one", "two");
      }
    }
  }

  @Test
  @DisplayName("a CR at the end of one read and the LF at the start of the next are one line end")
  void crlfAcrossReads() {
    ServerSentEvents d = decoder(1024);
    d.feed("data: a\r".getBytes(StandardCharsets.UTF_8));
    d.feed("\ndata: b\r".getBytes(StandardCharsets.UTF_8));
    d.feed("\n\r".getBytes(StandardCharsets.UTF_8));
    d.feed("\n".getBytes(StandardCharsets.UTF_8));
    assertThat(events).containsExactly("a\nb");
  }

  @Test
  @DisplayName("multi-line data is joined with LF; comments, event, id, retry are ignored")
  void multiLineDataAndComments() {
    String text =
        ": keep-alive\n"
            + "event: message\nid: 7\nretry: 100\n"
            + "data: {\"a\":\ndata:1}\n"
            + "unknown: x\n"
            + "\n"
            + ":only a comment\n\n"
            + "data\n\n"
            + "data:no space\n\n";
    for (long seed = 0; seed < 20; seed++) {
      assertThat(decodeInPieces(text, seed)).containsExactly("{\"a\":\n1}", "", "no space");
    }
  }

  @Test
  @DisplayName("multi-byte UTF-8 cut between reads decodes whole; a leading BOM is skipped")
  void utf8AndBom() {
    String text = "\uFEFFdata: Grüße 😀 日本\n\n";
    for (long seed = 0; seed < 30; seed++) {
      assertThat(decodeInPieces(text, seed)).containsExactly("Grüße 😀 日本");
    }
  }

  @Test
  @DisplayName("an event still open at the end of the stream is not dispatched, but pending")
  void openEventAtTheEnd() {
    ServerSentEvents d = decoder(1024);
    d.feed("data: complete\n\ndata: cut".getBytes(StandardCharsets.UTF_8));
    assertThat(events).containsExactly("complete");
    assertThat(d.pending()).isTrue();
    ServerSentEvents e = decoder(1024);
    e.feed("data: x\n\n".getBytes(StandardCharsets.UTF_8));
    assertThat(e.pending()).isFalse();
  }

  @Test
  @DisplayName("a line over the limit fails as OVERSIZED without holding it or quoting it")
  void oversizedLine() {
    ServerSentEvents d = decoder(64);
    byte[] chunk = ("data: CANARY" + "x".repeat(40)).getBytes(StandardCharsets.UTF_8);
    d.feed(chunk);
    assertThatThrownBy(() -> d.feed(chunk))
        .isInstanceOfSatisfying(
            ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED))
        .hasMessageNotContaining("CANARY");
    assertThatThrownBy(() -> d.feed(new byte[] {'\n'})).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("an event whose data lines together pass the limit fails as OVERSIZED")
  void oversizedEvent() {
    ServerSentEvents d = decoder(64);
    String line = "data: " + "y".repeat(40) + "\n";
    d.feed(line.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> d.feed(line.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
    assertThat(events).isEmpty();
  }

  @Test
  @DisplayName("what the consumer throws comes out of feed, and the decoder refuses more input")
  void consumerFailure() {
    ServerSentEvents d =
        new ServerSentEvents(
            1024,
            data -> {
              throw new IllegalStateException("reader gone");
            });
    assertThatThrownBy(() -> d.feed("data: a\n\n".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("reader gone");
    assertThatThrownBy(() -> d.feed(new byte[] {'\n'})).isInstanceOf(IllegalStateException.class);
  }
}
