package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.infer.ModelException.Reason;

class ChatCompletionStreamTest {
  private final List<String> pieces = new ArrayList<>();

  /** One chunk event as OpenAI's API writes it. */
  static String chunk(String deltaJson, String finishReason) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"llama-3.1-8b-instruct-q4_k_m.gguf\",\"choices\":[{\"index\":0,\"delta\":"
        + deltaJson
        + ",\"finish_reason\":"
        + (finishReason == null ? "null" : "\"" + finishReason + "\"")
        + "}]}\n\n";
  }

  static String content(String text) {
    return chunk("{\"content\":\"" + text + "\"}", null);
  }

  static final String TYPICAL =
      chunk("{\"role\":\"assistant\",\"content\":\"\"}", null)
          + content("Alice")
          + content(" booked")
          + ": keep-alive\n\n"
          + content(" the table.")
          + chunk("{}", "stop")
          + "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"total_tokens\":9}}\n\n"
          + "data: [DONE]\n\n";

  private ChatCompletionStream stream(int maxContentChars) {
    return new ChatCompletionStream(1 << 16, maxContentChars, pieces::add);
  }

  private ChatCompletionStream feedByteByByte(String text) {
    ChatCompletionStream s = stream(4096);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      s.feed(bytes, i, 1);
    }
    return s;
  }

  @Test
  @DisplayName("each content delta goes on as it arrives; [DONE] completes; the model is read")
  void typicalStream() {
    ChatCompletionStream s = feedByteByByte(TYPICAL);
    assertThat(pieces).containsExactly("Alice", " booked", " the table.");
    assertThat(s.done()).isTrue();
    assertThat(s.serverModel()).isEqualTo("llama-3.1-8b-instruct-q4_k_m.gguf");
    s.finish();
  }

  @Test
  @DisplayName("a piece goes on before the rest of the stream arrived")
  void piecesGoOnAtOnce() {
    ChatCompletionStream s = stream(4096);
    s.feed(content("First").getBytes(StandardCharsets.UTF_8));
    assertThat(pieces).containsExactly("First");
    assertThat(s.done()).isFalse();
  }

  @Test
  @DisplayName("a stream that ends without [DONE] is an incomplete answer, never quoting content")
  void endsWithoutDone() {
    ChatCompletionStream s = feedByteByByte(content("CANARY") + chunk("{}", "stop"));
    assertThat(pieces).containsExactly("CANARY");
    assertThatThrownBy(s::finish)
        .isInstanceOfSatisfying(
            ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE))
        .hasMessageStartingWith("incomplete answer")
        .hasMessageNotContaining("CANARY");
  }

  @Test
  @DisplayName("an error object mid-stream fails at once as INCOMPLETE, without its message")
  void errorMidStream() {
    ChatCompletionStream s = stream(4096);
    s.feed(content("Half").getBytes(StandardCharsets.UTF_8));
    byte[] error =
        "data: {\"error\":{\"message\":\"CANARY out of memory\",\"type\":\"server_error\"}}\n\n"
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> s.feed(error, 0, error.length))
        .isInstanceOfSatisfying(
            ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE))
        .hasMessageNotContaining("CANARY");
    assertThat(pieces).containsExactly("Half");
  }

  @Test
  @DisplayName("malformed events fail as MALFORMED and never quote what was sent")
  void malformed() {
    for (String bad :
        List.of(
            "data: {\"choices\":[{\"delta\":{\"content\":\"CANARY\"\n\n",
            "data: CANARY\n\n",
            "data: [\"CANARY\"]\n\n",
            "data: {\"object\":\"CANARY\"}\n\n",
            "data: {\"choices\":{\"CANARY\":1}}\n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":[\"CANARY\"]}}]}\n\n")) {
      ChatCompletionStream s = stream(4096);
      byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> s.feed(bytes, 0, bytes.length))
          .as(bad)
          .isInstanceOfSatisfying(
              ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
          .hasMessageNotContaining("CANARY");
    }
  }

  @Test
  @DisplayName("content past the limit fails as OVERSIZED; a line past the limit too")
  void oversized() {
    ChatCompletionStream s = stream(10);
    s.feed(content("12345").getBytes(StandardCharsets.UTF_8));
    byte[] more = content("678901").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> s.feed(more, 0, more.length))
        .isInstanceOfSatisfying(
            ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
    assertThat(pieces).containsExactly("12345");

    ChatCompletionStream small = new ChatCompletionStream(100, 4096, pieces::add);
    byte[] line = content("z".repeat(200)).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> small.feed(line, 0, line.length))
        .isInstanceOfSatisfying(
            ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
  }

  @Test
  @DisplayName("cut at the token budget is TRUNCATED; no content at all is EMPTY")
  void truncatedAndEmpty() {
    ChatCompletionStream cut =
        feedByteByByte(content("A summary") + chunk("{}", "length") + "data: [DONE]\n\n");
    assertThatThrownBy(cut::finish)
        .isInstanceOfSatisfying(
            ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
    ChatCompletionStream empty =
        feedByteByByte(content("  ") + chunk("{}", "stop") + "data: [DONE]\n\n");
    assertThatThrownBy(empty::finish)
        .isInstanceOfSatisfying(
            ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EMPTY));
  }

  @Test
  @DisplayName("nothing after [DONE] is read, not even garbage")
  void afterDone() {
    ChatCompletionStream s =
        feedByteByByte(content("Done.") + "data: [DONE]\n\ndata: {garbage\n\n");
    assertThat(pieces).containsExactly("Done.");
    s.finish();
  }

  @Test
  @DisplayName("what the consumer (the sink) throws propagates unchanged")
  void consumerThrows() {
    IllegalStateException gone = new IllegalStateException("reader gone");
    ChatCompletionStream s =
        new ChatCompletionStream(
            1 << 16,
            4096,
            piece -> {
              throw gone;
            });
    byte[] bytes = content("x").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> s.feed(bytes, 0, bytes.length)).isSameAs(gone);
  }
}
