package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.privateprocessing.LogCapture;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.infer.ModelException.Reason;

/** {@link FallbackModel} with a sink: the fallback answers only before the first piece. */
class FallbackModelStreamingTest {
  private final EmbeddedModel embedded = new EmbeddedModel();
  @RegisterExtension final LogCapture log = LogCapture.of(FallbackModel.class);
  private final List<String> logged = log.messages();
  private final List<String> pieces = new ArrayList<>();

  /** A model that writes {@code sent} to the sink, then fails with {@code failure} (or answers). */
  static Model streaming(List<String> sent, RuntimeException failure, AtomicInteger calls) {
    return new Model() {
      @Override
      public ModelInfo info() {
        return FallbackModelTest.STUB;
      }

      @Override
      public Answer<Summary> summarize(SummarizeRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Answer<List<Suggestion>> suggest(SuggestRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Answer<Summary> summarize(SummarizeRequest request, TextSink sink) {
        calls.incrementAndGet();
        sent.forEach(sink::text);
        if (failure != null) {
          throw failure;
        }
        return new Answer<>(new Summary(String.join("", sent), List.of()), info());
      }

      @Override
      public Answer<List<Suggestion>> suggest(SuggestRequest request, TextSink sink) {
        calls.incrementAndGet();
        sent.forEach(sink::text);
        if (failure != null) {
          throw failure;
        }
        return new Answer<>(List.of(new Suggestion(String.join("", sent))), info());
      }
    };
  }

  @Test
  @DisplayName("a primary failing before its first piece: the fallback streams the answer")
  void failureBeforeTheFirstPieceFallsBack() {
    AtomicInteger calls = new AtomicInteger();
    FallbackModel model =
        new FallbackModel(
            streaming(
                List.of(), new ModelException(Reason.HTTP_STATUS, 503, "HTTP 503", null), calls),
            embedded);
    Answer<Summary> answer = model.summarize(FallbackModelTest.CHAT, pieces::add);
    assertThat(answer).isEqualTo(embedded.summarize(FallbackModelTest.CHAT));
    assertThat(String.join("", pieces)).isEqualTo(answer.value().text());
    assertThat(logged)
        .singleElement()
        .asString()
        .contains("HTTP_STATUS 503", "answering with extractive-textrank")
        .doesNotContain("CANARY");
    pieces.clear();
    Answer<List<Suggestion>> suggestions = model.suggest(FallbackModelTest.DRAFT, pieces::add);
    assertThat(suggestions.model()).isEqualTo(embedded.info());
    assertThat(String.join("", pieces)).isEqualTo(suggestions.value().get(0).text());
  }

  @Test
  @DisplayName("a primary failing after its first piece: the failure propagates, no fallback")
  void failureAfterTheFirstPiecePropagates() {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger fallbackCalls = new AtomicInteger();
    ModelException broke = new ModelException(Reason.INCOMPLETE, "incomplete answer");
    FallbackModel model =
        new FallbackModel(
            streaming(List.of("CANARY first sentence."), broke, calls),
            streaming(List.of("fallback"), null, fallbackCalls));
    assertThatThrownBy(() -> model.summarize(FallbackModelTest.CHAT, pieces::add)).isSameAs(broke);
    assertThat(pieces).containsExactly("CANARY first sentence.");
    assertThat(fallbackCalls).hasValue(0);
    assertThat(logged)
        .singleElement()
        .asString()
        .contains("INCOMPLETE", "after its answer began", "no fallback")
        .doesNotContain("CANARY");
  }

  @Test
  @DisplayName("an unexpected exception after the first piece becomes an INCOMPLETE ModelException")
  void unexpectedAfterTheFirstPiece() {
    FallbackModel model =
        new FallbackModel(
            streaming(
                List.of("Half"), new IllegalStateException("CANARY leaked"), new AtomicInteger()),
            embedded);
    assertThatThrownBy(() -> model.suggest(FallbackModelTest.DRAFT, pieces::add))
        .isInstanceOfSatisfying(
            ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE))
        .hasMessageNotContaining("CANARY");
    assertThat(logged).singleElement().asString().contains("IllegalStateException");
  }

  @Test
  @DisplayName("a sink that throws is the caller's failure: unchanged, no fallback, nothing logged")
  void sinkThrows() {
    AtomicInteger fallbackCalls = new AtomicInteger();
    FallbackModel model =
        new FallbackModel(
            streaming(List.of("first"), null, new AtomicInteger()),
            streaming(List.of("fallback"), null, fallbackCalls));
    IllegalStateException gone = new IllegalStateException("reader gone");
    assertThatThrownBy(
            () ->
                model.summarize(
                    FallbackModelTest.CHAT,
                    piece -> {
                      throw gone;
                    }))
        .isSameAs(gone);
    assertThat(fallbackCalls).hasValue(0);
    assertThat(logged).isEmpty();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @DisplayName("with the paced server: dropped before any token, the embedded model answers")
  void pacedServerFailingEarly() throws Exception {
    try (PacedModelServer failing =
        PacedModelServer.start(
            PacedModelServer.Options.defaults()
                .withPort(0)
                .withFailure(0, PacedModelServer.FailMode.CLOSE))) {
      FallbackModel model =
          new FallbackModel(
              OpenAiCompatibleModelStreamingTest.model(failing.baseUrl(), Duration.ofSeconds(5)),
              embedded);
      SummarizeRequest chat = OpenAiCompatibleModelStreamingTest.picnicChat(3);
      Answer<Summary> answer = model.summarize(chat, pieces::add);
      assertThat(answer.model()).isEqualTo(embedded.info());
      assertThat(String.join("", pieces)).isEqualTo(answer.value().text());
      assertThat(logged).singleElement().asString().contains("INCOMPLETE", "answering with");
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @DisplayName("with the paced server: dropped after the first sentence, the failure propagates")
  void pacedServerFailingLate() throws Exception {
    try (PacedModelServer failing =
        PacedModelServer.start(
            PacedModelServer.Options.defaults()
                .withPort(0)
                .withPace(500)
                .withFailure(15, PacedModelServer.FailMode.CLOSE))) {
      FallbackModel model =
          new FallbackModel(
              OpenAiCompatibleModelStreamingTest.model(failing.baseUrl(), Duration.ofSeconds(5)),
              embedded);
      assertThatThrownBy(
              () -> model.summarize(OpenAiCompatibleModelStreamingTest.picnicChat(3), pieces::add))
          .isInstanceOfSatisfying(
              ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE));
      assertThat(pieces).isNotEmpty();
      assertThat(logged)
          .singleElement()
          .asString()
          .contains("after its answer began")
          .doesNotContain("picnic")
          .doesNotContain("Sunday");
    }
  }
}
