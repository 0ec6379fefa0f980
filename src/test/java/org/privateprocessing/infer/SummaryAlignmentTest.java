package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.Highlight;

class SummaryAlignmentTest {
  private static final List<ChatMessage> MESSAGES =
      List.of(
          new ChatMessage("m1", "Alice", null, "The train leaves at 9:40 from platform 4."),
          new ChatMessage(
              "m2", "Bob", null, "I'll bring sandwiches. And the tickets are on my phone."),
          new ChatMessage("m3", "Chen", null, "明天下午三点见面"));

  @Test
  @DisplayName(
      "each summary sentence points at its most similar message sentence, in chat order, without duplicates")
  void align_mapsSentencesToMessages() {
    Summary s =
        SummaryAlignment.align(
            "Bob has the tickets on his phone. The train leaves from platform 4 at 9:40. "
                + "Bob keeps the tickets.",
            MESSAGES,
            3);
    assertThat(s.highlights())
        .containsExactly(
            new Highlight("m1", "The train leaves at 9:40 from platform 4."),
            new Highlight("m2", "And the tickets are on my phone."));
  }

  @Test
  @DisplayName(
      "the text is cut to maxSentences, list markers removed; CJK text matches by character pairs")
  void align_cutsAndMatchesCjk() {
    Summary s =
        SummaryAlignment.align(
            "1. 明天三点见面。\n2. Bob brings sandwiches.\n3. Extra sentence.", MESSAGES, 2);
    assertThat(s.text()).isEqualTo("明天三点见面。 Bob brings sandwiches.");
    assertThat(s.highlights()).extracting(Highlight::messageId).containsExactly("m2", "m3");
  }

  @Test
  @DisplayName("an answer with no sentence is refused as empty")
  void align_refusesNoSentence() {
    assertThatThrownBy(() -> SummaryAlignment.align(" - \n...", MESSAGES, 3))
        .isInstanceOf(ModelException.class);
  }
}
