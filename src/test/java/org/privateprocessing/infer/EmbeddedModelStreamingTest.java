package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.Tone;

/**
 * The embedded model streams sentence by sentence, and what a sink sees is always the returned
 * text: over generated chats and, when it is there, every dialogue of the SAMSum sample (read at
 * run time from ../shared/eval, never copied).
 */
class EmbeddedModelStreamingTest {
  private final EmbeddedModel model = new EmbeddedModel();

  /** The chats to check: the SAMSum dialogues if present, and generated ones. */
  static List<List<ChatMessage>> chats() throws Exception {
    List<List<ChatMessage>> chats = new ArrayList<>();
    if (Files.isRegularFile(SentenceStreamTest.SAMSUM)) {
      for (String line : Files.readAllLines(SentenceStreamTest.SAMSUM, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          List<ChatMessage> messages = SummaryEvaluation.Item.parse(line).messages();
          if (!messages.isEmpty()) {
            chats.add(messages);
          }
        }
      }
    }
    String[] speakers = {"Ann", "Bob", "Chen", "Dana"};
    List<String> texts = SentenceStreamTest.generated(200, 3);
    for (int c = 0; c < 40; c++) {
      List<ChatMessage> messages = new ArrayList<>();
      for (int m = 0; m < 1 + c % 9; m++) {
        String text = texts.get((c * 9 + m) % texts.size());
        messages.add(new ChatMessage("m" + m, speakers[(c + m) % 4], null, text));
      }
      chats.add(messages);
    }
    return chats;
  }

  @Test
  @DisplayName("each summary sentence is one piece; the pieces joined are the returned text")
  void summaryPiecesAreTheText() throws Exception {
    int checked = 0;
    for (List<ChatMessage> messages : chats()) {
      for (int maxSentences : new int[] {1, 3, 5}) {
        List<String> pieces = new ArrayList<>();
        SummarizeRequest request =
            new SummarizeRequest(new Chat("c", null, false), messages, maxSentences);
        Answer<Summary> answer = model.summarize(request, pieces::add);
        assertThat(String.join("", pieces)).isEqualTo(answer.value().text());
        assertThat(pieces).doesNotContain("").hasSize(answer.value().highlights().size());
        assertThat(answer).isEqualTo(model.summarize(request));
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(120);
  }

  @Test
  @DisplayName("the first suggestion streams sentence by sentence; the pieces joined are its text")
  void suggestionPiecesAreTheFirstSuggestion() throws Exception {
    int checked = 0;
    for (List<ChatMessage> messages : chats()) {
      for (ChatMessage m : messages.subList(0, Math.min(3, messages.size()))) {
        if (m.text() == null || m.text().isBlank() || m.text().length() > 4000) {
          continue;
        }
        for (Tone tone : Tone.values()) {
          List<String> pieces = new ArrayList<>();
          SuggestRequest request = new SuggestRequest(new Chat("c", null, false), m.text(), tone);
          Answer<List<Suggestion>> answer = model.suggest(request, pieces::add);
          assertThat(String.join("", pieces)).isEqualTo(answer.value().get(0).text());
          assertThat(pieces).doesNotContain("");
          assertThat(answer).isEqualTo(model.suggest(request));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(100);
  }

  @Test
  @DisplayName("pieces cut after sentence punctuation and line breaks, keeping every character")
  void piecesKeepEveryCharacter() {
    assertThat(EmbeddedModel.pieces("Hello,\nI do not know. Can you help?  Thanks!"))
        .containsExactly("Hello,\n", "I do not know. ", "Can you help?  ", "Thanks!");
    assertThat(EmbeddedModel.pieces("3.5 kg… ok")).containsExactly("3.5 kg… ", "ok");
    assertThat(EmbeddedModel.pieces("one")).containsExactly("one");
    assertThat(EmbeddedModel.pieces("")).isEmpty();
    for (String text : SentenceStreamTest.generated(500, 5)) {
      List<String> pieces = EmbeddedModel.pieces(text);
      assertThat(String.join("", pieces)).isEqualTo(text);
      assertThat(pieces).doesNotContain("");
    }
  }

  @Test
  @DisplayName("a sink that throws stops the model; the exception is the sink's")
  void sinkThrows() {
    IllegalStateException gone = new IllegalStateException("reader gone");
    TextSink failing =
        piece -> {
          throw gone;
        };
    SummarizeRequest chat = FallbackModelTest.CHAT;
    assertThatThrownBy(() -> model.summarize(chat, failing)).isSameAs(gone);
    assertThatThrownBy(() -> model.suggest(FallbackModelTest.DRAFT, failing)).isSameAs(gone);
  }
}
