package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.Tone;

class EmbeddedModelTest {
  private final Model model = new EmbeddedModel();

  @Test
  void info_namesTheAlgorithm() {
    assertThat(model.info()).isEqualTo(new ModelInfo("extractive-textrank", "1"));
  }

  @Test
  void summarize_usesTheRequestsMaxSentences() throws Exception {
    SummarizeRequest chat = TextRankSummarizerTest.sampleChat();
    Summary one = model.summarize(new SummarizeRequest(chat.chat(), chat.messages(), 1)).value();
    Summary three = model.summarize(chat).value();
    assertThat(one.highlights()).hasSize(1);
    assertThat(three.highlights()).hasSize(3);
    assertThat(three).isEqualTo(new TextRankSummarizer().summarize(chat.messages(), 3));
  }

  @Test
  void suggest_usesTheRequestsTone() {
    SuggestRequest r = new SuggestRequest(new Chat("c", null, false), "i dont know", Tone.FORMAL);
    assertThat(model.suggest(r).value().get(0).text()).isEqualTo("I do not know.");
  }

  @Test
  void answers_nameTheEmbeddedModel() throws Exception {
    SuggestRequest r = new SuggestRequest(new Chat("c", null, false), "i dont know", Tone.FORMAL);
    assertThat(model.suggest(r).model()).isEqualTo(model.info());
    assertThat(model.summarize(TextRankSummarizerTest.sampleChat()).model())
        .isEqualTo(model.info());
  }
}
