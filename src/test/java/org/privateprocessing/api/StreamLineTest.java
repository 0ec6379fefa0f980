package org.privateprocessing.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StreamLineTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("each kind of line round-trips, padded with spaces to its bucket before the newline")
  void roundTrips() throws Exception {
    StreamLine text = new StreamLine.Text("Dinner on \"Saturday\" \u00e9\n");
    byte[] padded = text.encodePadded();
    assertThat(padded).hasSize(128);
    assertThat(padded[padded.length - 1]).isEqualTo((byte) '\n');
    assertThat(StreamLine.parse(padded)).isEqualTo(text);
    StreamLine answer = new StreamLine.Answer(bytes("{\"summary\":\"x\"}"));
    assertThat(StreamLine.parse(answer.encodePadded())).isEqualTo(answer);
    assertThat(new String(answer.encode(), StandardCharsets.UTF_8))
        .isEqualTo("{\"answer\":{\"summary\":\"x\"}}");
    Problem problem = new Problem(Problem.TYPE_PREFIX + "internal", "Internal error", 500, "d");
    assertThat(StreamLine.parse(new StreamLine.Failed(problem).encodePadded()))
        .isEqualTo(new StreamLine.Failed(problem));
    assertThat(StreamLine.answerLine(bytes("{\"summary\":\"x\"}")))
        .isEqualTo(answer.encodePadded());
    assertThat(answer.isFinal()).isTrue();
    assertThat(text.isFinal()).isFalse();
  }

  @Test
  @DisplayName("lengths take few values: powers of two from 128 to 8 KiB, then multiples of 8 KiB")
  void paddedLengths() {
    assertThat(StreamLine.paddedLength(1)).isEqualTo(128);
    assertThat(StreamLine.paddedLength(129)).isEqualTo(256);
    assertThat(StreamLine.paddedLength(8192)).isEqualTo(8192);
    assertThat(StreamLine.paddedLength(8193)).isEqualTo(16384);
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int n = 1; n <= 65536; n++) {
      seen.add(StreamLine.paddedLength(n));
    }
    assertThat(seen).hasSize(14);
    assertThatThrownBy(() -> StreamLine.paddedLength(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StreamLine.paddedLength(StreamLine.MAX_LINE + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("bad lines are refused naming what is wrong, never echoing content")
  void badLines() {
    for (String bad :
        new String[] {
          "",
          "not json",
          "[]",
          "{}",
          "{\"text\":\"\"}",
          "{\"text\":1}",
          "{\"answer\":\"x\"}",
          "{\"problem\":[]}",
          "{\"problem\":{\"type\":\"t\"}}",
          "{\"text\":\"a\",\"answer\":{}}",
          "{\"secret-name\":\"a\"}",
          "{\"text\":\"a\"} {\"text\":\"b\"}"
        }) {
      assertThatThrownBy(() -> StreamLine.parse(bytes(bad)))
          .as(bad)
          .isInstanceOf(InvalidRequestException.class)
          .message()
          .doesNotContain("secret-name");
    }
    assertThatThrownBy(() -> new StreamLine.Text("")).isInstanceOf(IllegalArgumentException.class);
  }
}
