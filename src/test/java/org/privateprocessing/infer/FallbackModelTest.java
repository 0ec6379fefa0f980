package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.privateprocessing.LogCapture;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.Tone;
import org.privateprocessing.infer.ModelException.Reason;

class FallbackModelTest {
  static final ModelInfo STUB = new ModelInfo("stub", "7");
  static final SummarizeRequest CHAT =
      new SummarizeRequest(
          new Chat("c1", null, false),
          List.of(
              new ChatMessage("m1", "Alice", null, "CANARY dinner on Saturday for mum's birthday?"),
              new ChatMessage("m2", "Bob", null, "Yes, I can book the Italian place at seven.")),
          1);
  static final SuggestRequest DRAFT =
      new SuggestRequest(new Chat("c1", null, false), "CANARY i dont know", Tone.FORMAL);

  private final Model embedded = new EmbeddedModel();
  @RegisterExtension final LogCapture log = LogCapture.of(FallbackModel.class);
  private final List<String> logged = log.messages();

  /** A model whose every call does what {@code behaviour} says. */
  static Model stub(Supplier<RuntimeException> failure) {
    return new Model() {
      @Override
      public ModelInfo info() {
        return STUB;
      }

      @Override
      public Answer<Summary> summarize(SummarizeRequest request) {
        if (failure != null) {
          throw failure.get();
        }
        return new Answer<>(new Summary("stub summary", List.of()), STUB);
      }

      @Override
      public Answer<List<Suggestion>> suggest(SuggestRequest request) {
        if (failure != null) {
          throw failure.get();
        }
        return new Answer<>(List.of(new Suggestion("stub")), STUB);
      }
    };
  }

  @Test
  @DisplayName("a working primary answers and is named; the fallback is not used")
  void primaryAnswers() {
    FallbackModel model = new FallbackModel(stub(null), embedded);
    assertThat(model.info()).isEqualTo(STUB);
    assertThat(model.summarize(CHAT))
        .isEqualTo(new Answer<>(new Summary("stub summary", List.of()), STUB));
    assertThat(model.suggest(DRAFT).model()).isEqualTo(STUB);
    assertThat(logged).isEmpty();
  }

  @Test
  @DisplayName(
      "a failing primary is replaced by the fallback, whose model the answer names; the log names the cause only")
  void failingPrimaryFallsBack() {
    FallbackModel model =
        new FallbackModel(
            stub(
                () ->
                    new ModelException(
                        Reason.HTTP_STATUS, 503, "model server answered HTTP 503", null)),
            embedded);
    Answer<Summary> summary = model.summarize(CHAT);
    assertThat(summary).isEqualTo(embedded.summarize(CHAT));
    assertThat(summary.model()).isEqualTo(new ModelInfo("extractive-textrank", "1"));
    assertThat(model.suggest(DRAFT)).isEqualTo(embedded.suggest(DRAFT));
    assertThat(logged)
        .hasSize(2)
        .allSatisfy(
            line ->
                assertThat(line)
                    .contains("HTTP_STATUS 503", "stub", "extractive-textrank")
                    .doesNotContain("CANARY"));
  }

  @Test
  @DisplayName(
      "an unexpected exception falls back too, and its message (which might quote content) is not logged")
  void unexpectedExceptionFallsBack() {
    FallbackModel model =
        new FallbackModel(stub(() -> new IllegalStateException("CANARY leaked")), embedded);
    assertThat(model.summarize(CHAT).model()).isEqualTo(embedded.info());
    assertThat(logged)
        .singleElement()
        .asString()
        .contains("IllegalStateException")
        .doesNotContain("CANARY");
  }

  @Test
  @DisplayName("when the fallback fails as well, its failure reaches the caller")
  void failingFallbackPropagates() {
    FallbackModel model =
        new FallbackModel(
            stub(() -> new ModelException(Reason.TIMEOUT, "t")),
            stub(() -> new ModelException(Reason.EMPTY, "e")));
    assertThatThrownBy(() -> model.suggest(DRAFT))
        .isInstanceOfSatisfying(
            ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EMPTY));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  @DisplayName("an unreachable model server: the embedded model answers and is named")
  void connectionRefusedFallsBackToEmbedded() throws Exception {
    FallbackModel model =
        new FallbackModel(
            new OpenAiCompatibleModel(
                OpenAiCompatibleModelTest.options(OpenAiCompatibleModelTest.closedPort())),
            embedded);
    assertThat(model.info().name()).isEqualTo("openai-compatible:test-model");
    Answer<Summary> answer = model.summarize(CHAT);
    assertThat(answer.model()).isEqualTo(embedded.info());
    assertThat(answer.value()).isEqualTo(embedded.summarize(CHAT).value());
    assertThat(model.suggest(DRAFT).model()).isEqualTo(embedded.info());
    assertThat(logged)
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).contains("CONNECT").doesNotContain("CANARY"));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  @DisplayName("a model server that never answers: the embedded model answers after the timeout")
  void timeoutFallsBackToEmbedded() throws Exception {
    try (ChatCompletionsServer silent = new ChatCompletionsServer()) {
      silent.answer((request, body) -> {});
      FallbackModel model =
          new FallbackModel(
              new OpenAiCompatibleModel(
                  OpenAiCompatibleModelTest.options(silent.baseUrl())
                      .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300))),
              embedded);
      long start = System.nanoTime();
      assertThat(model.suggest(DRAFT).model()).isEqualTo(embedded.info());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(logged).singleElement().asString().contains("TIMEOUT");
    }
  }

  @Test
  @DisplayName("a malformed answer from a live server: the embedded model answers")
  void malformedAnswerFallsBackToEmbedded() throws Exception {
    try (ChatCompletionsServer server = new ChatCompletionsServer()) {
      server.answerContent("no JSON array here");
      FallbackModel model =
          new FallbackModel(
              new OpenAiCompatibleModel(OpenAiCompatibleModelTest.options(server.baseUrl())),
              embedded);
      assertThat(model.suggest(DRAFT)).isEqualTo(embedded.suggest(DRAFT));
      assertThat(logged).singleElement().asString().contains("MALFORMED");
    }
  }
}
