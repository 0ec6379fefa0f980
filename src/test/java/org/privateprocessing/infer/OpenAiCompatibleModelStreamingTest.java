package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.Tone;
import org.privateprocessing.infer.ModelException.Reason;

/**
 * {@link OpenAiCompatibleModel}'s streaming calls against real servers on 127.0.0.1: the paced
 * model server (answers computed from the request, token by token) and a scripted server for
 * garbage, breaks and stalls.
 */
class OpenAiCompatibleModelStreamingTest {
  private static PacedModelServer paced;
  private static ChatCompletionsServer scripted;

  /** Pieces a sink received, in order. */
  private final List<String> pieces = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    paced = PacedModelServer.start(PacedModelServer.Options.defaults().withPort(0).withPace(200));
    scripted = new ChatCompletionsServer();
  }

  @AfterAll
  static void stop() throws Exception {
    paced.close();
    scripted.close();
  }

  @BeforeEach
  void reset() {
    scripted.received().clear();
  }

  static OpenAiCompatibleModel model(java.net.URI baseUrl, Duration timeout) {
    return new OpenAiCompatibleModel(
        OpenAiCompatibleModel.Options.defaults(baseUrl)
            .withModel("test-model")
            .withTimeouts(Duration.ofSeconds(2), timeout));
  }

  static SummarizeRequest picnicChat(int maxSentences) {
    return new SummarizeRequest(
        new Chat("c1", "Picnic", false),
        List.of(
            new ChatMessage("m1", "Alice", null, "Shall we have the picnic in the park on Sunday?"),
            new ChatMessage(
                "m2",
                "Bob",
                null,
                "Sunday works for me. I will bring the blanket and the lemonade."),
            new ChatMessage(
                "m3", "Carol", null, "I can bake a cake. Should we meet at the fountain at noon?"),
            new ChatMessage("m4", "Alice", null, "Noon at the fountain is perfect, see you there."),
            new ChatMessage("m5", "Bob", null, "Great, the forecast says sunny and warm.")),
        maxSentences);
  }

  private String joined() {
    return String.join("", pieces);
  }

  @Nested
  @DisplayName("against the paced model server")
  class Paced {

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    @DisplayName("a summary streams sentence by sentence; the pieces are the returned text")
    void summaryStreams() {
      OpenAiCompatibleModel model = model(paced.baseUrl(), Duration.ofSeconds(5));
      long[] writtenAtFirst = {-1};
      long before = paced.tokensWritten();
      Answer<Summary> answer =
          model.summarize(
              picnicChat(3),
              piece -> {
                if (pieces.isEmpty()) {
                  writtenAtFirst[0] = paced.tokensWritten() - before;
                }
                pieces.add(piece);
              });
      long total = paced.tokensWritten() - before;
      assertThat(joined()).isEqualTo(answer.value().text());
      assertThat(pieces).hasSizeGreaterThan(1);
      assertThat(pieces.subList(1, pieces.size())).allMatch(p -> p.startsWith(" "));
      // The first sentence reached the sink while the server was still writing the answer.
      assertThat(writtenAtFirst[0]).isPositive().isLessThan(total);
      assertThat(answer.model().version()).isEqualTo(PacedModelServer.Options.DEFAULT_MODEL);
      // The same answer as without streaming, highlights included.
      Answer<Summary> whole = model.summarize(picnicChat(3));
      assertThat(answer.value()).isEqualTo(whole.value());
      assertThat(answer.value().highlights()).isNotEmpty();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    @DisplayName("maxSentences caps what is streamed, and the returned text")
    void maxSentencesCapsTheStream() {
      OpenAiCompatibleModel model = model(paced.baseUrl(), Duration.ofSeconds(5));
      Answer<Summary> answer = model.summarize(picnicChat(1), pieces::add);
      assertThat(pieces).hasSize(1);
      assertThat(joined()).isEqualTo(answer.value().text());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    @DisplayName("the first suggestion streams as it is written and is the returned first one")
    void suggestionStreams() {
      OpenAiCompatibleModel model = model(paced.baseUrl(), Duration.ofSeconds(5));
      Answer<List<Suggestion>> answer =
          model.suggest(
              OpenAiCompatibleModelTest.draft("i dont know teh answer, can u help", Tone.FORMAL),
              pieces::add);
      assertThat(joined()).isEqualTo(answer.value().get(0).text());
      assertThat(pieces).hasSizeGreaterThan(3);
      assertThat(answer.value().stream().map(Suggestion::text))
          .isEqualTo(
              model
                  .suggest(
                      OpenAiCompatibleModelTest.draft(
                          "i dont know teh answer, can u help", Tone.FORMAL))
                  .value()
                  .stream()
                  .map(Suggestion::text)
                  .toList());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    @DisplayName("a server dropping the connection mid-answer: INCOMPLETE after the first sentence")
    void dropMidAnswer() throws Exception {
      try (PacedModelServer failing =
          PacedModelServer.start(
              PacedModelServer.Options.defaults()
                  .withPort(0)
                  .withPace(500)
                  .withFailure(15, PacedModelServer.FailMode.CLOSE))) {
        OpenAiCompatibleModel model = model(failing.baseUrl(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> model.summarize(picnicChat(3), pieces::add))
            .isInstanceOfSatisfying(
                ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE))
            .hasMessageStartingWith("incomplete answer")
            .hasMessageNotContaining("picnic")
            .hasMessageNotContaining("Sunday");
        assertThat(pieces).isNotEmpty();
      }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    @DisplayName("an error event mid-answer: INCOMPLETE; failing before any token: nothing sent")
    void errorEventAndEarlyFailure() throws Exception {
      try (PacedModelServer failing =
          PacedModelServer.start(
              PacedModelServer.Options.defaults()
                  .withPort(0)
                  .withPace(500)
                  .withFailure(15, PacedModelServer.FailMode.ERROR))) {
        OpenAiCompatibleModel model = model(failing.baseUrl(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> model.summarize(picnicChat(3), pieces::add))
            .isInstanceOfSatisfying(
                ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE));
        assertThat(pieces).isNotEmpty();
      }
      pieces.clear();
      try (PacedModelServer failing =
          PacedModelServer.start(
              PacedModelServer.Options.defaults()
                  .withPort(0)
                  .withFailure(0, PacedModelServer.FailMode.CLOSE))) {
        OpenAiCompatibleModel model = model(failing.baseUrl(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> model.summarize(picnicChat(3), pieces::add))
            .isInstanceOfSatisfying(
                ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE));
        assertThat(pieces).isEmpty();
      }
    }
  }

  @Nested
  @DisplayName("against a scripted server")
  class Scripted {
    private final OpenAiCompatibleModel model = model(scripted.baseUrl(), Duration.ofMillis(1500));

    private void answerSse(String body) {
      scripted.answer(
          (request, b) ->
              request
                  .response()
                  .setStatusCode(200)
                  .putHeader("content-type", "text/event-stream")
                  .end(body));
    }

    private void assertFails(Reason reason, boolean somethingSent) {
      assertThatThrownBy(
              () -> model.summarize(OpenAiCompatibleModelTest.familyChat(3), pieces::add))
          .isInstanceOfSatisfying(
              ModelException.class, e -> assertThat(e.reason()).isEqualTo(reason))
          .hasMessageNotContaining("CANARY");
      assertThat(pieces.isEmpty()).isEqualTo(!somethingSent);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @DisplayName("the request asks for a stream and accepts server-sent events")
    void asksForAStream() {
      answerSse(
          ChatCompletionStreamTest.content("Bob books the Italian place.")
              + ChatCompletionStreamTest.chunk("{}", "stop")
              + "data: [DONE]\n\n");
      Answer<Summary> answer =
          model.summarize(OpenAiCompatibleModelTest.familyChat(3), pieces::add);
      assertThat(pieces).containsExactly("Bob books the Italian place.");
      assertThat(answer.value().text()).isEqualTo("Bob books the Italian place.");
      assertThat(answer.model().version()).isEqualTo("llama-3.1-8b-instruct-q4_k_m.gguf");
      ChatCompletionsServer.Received r = scripted.last();
      assertThat(r.body().get("stream").booleanValue()).isTrue();
      assertThat(r.headers().get("Accept")).contains("text/event-stream");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @DisplayName("a server that ignores stream and answers whole JSON still works")
    void wholeJsonAnswer() {
      scripted.answerContent("- Bob books the table.\n- Alice orders the cake.");
      Answer<Summary> answer =
          model.summarize(OpenAiCompatibleModelTest.familyChat(3), pieces::add);
      assertThat(joined())
          .isEqualTo(answer.value().text())
          .isEqualTo("Bob books the table. Alice orders the cake.");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @DisplayName("garbage, another media type, HTTP 500: refused, nothing sent")
    void garbage() {
      answerSse("data: {\"choices\":[{\"delta\":{\"content\":\"CANARY\n\n");
      assertFails(Reason.MALFORMED, false);
      answerSse("data: CANARY\n\n");
      assertFails(Reason.MALFORMED, false);
      scripted.answer(
          (request, b) ->
              request.response().putHeader("content-type", "text/html").end("<p>CANARY</p>"));
      assertFails(Reason.MALFORMED, false);
      scripted.answer((request, b) -> request.response().setStatusCode(500).end("CANARY"));
      assertFails(Reason.HTTP_STATUS, false);
      answerSse("");
      assertFails(Reason.INCOMPLETE, false);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @DisplayName(
        "a stream that ends, or is cut, without [DONE] is incomplete after its first piece")
    void endsWithoutDone() {
      String twoSentences =
          ChatCompletionStreamTest.content("Bob books the table. ")
              + ChatCompletionStreamTest.content("Alice CANARY");
      answerSse(twoSentences);
      assertFails(Reason.INCOMPLETE, true);
      pieces.clear();
      scripted.answer(
          (request, b) -> {
            HttpServerResponse r =
                request.response().setChunked(true).putHeader("content-type", "text/event-stream");
            r.write(twoSentences).onComplete(v -> request.connection().close());
          });
      assertFails(Reason.INCOMPLETE, true);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @DisplayName("a stream that stalls after its first sentence fails at the per-read deadline")
    void stallsMidStream() {
      scripted.answer(
          (request, b) ->
              request
                  .response()
                  .setChunked(true)
                  .putHeader("content-type", "text/event-stream")
                  .write(
                      ChatCompletionStreamTest.content("Bob books the table. ")
                          + ChatCompletionStreamTest.content("Alice")));
      assertFails(Reason.TIMEOUT, true);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @DisplayName("keep-alives without content do not stretch the deadline before the first piece")
    void keepAlivesOnly() {
      scripted.answer(
          (request, b) -> {
            HttpServerResponse r =
                request.response().setChunked(true).putHeader("content-type", "text/event-stream");
            long timer =
                scripted
                    .vertx()
                    .setPeriodic(
                        100,
                        id -> {
                          if (!r.closed()) {
                            r.write(": ping\n\n");
                          }
                        });
            r.closeHandler(v -> scripted.vertx().cancelTimer(timer));
          });
      long start = System.nanoTime();
      assertFails(Reason.TIMEOUT, false);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @DisplayName("suggestions: prose sends nothing; JSON spoilt after the first string fails")
    void suggestionGarbage() {
      answerSse(
          ChatCompletionStreamTest.content("Sorry, CANARY.")
              + ChatCompletionStreamTest.chunk("{}", "stop")
              + "data: [DONE]\n\n");
      assertThatThrownBy(
              () ->
                  model.suggest(
                      OpenAiCompatibleModelTest.draft("i dont know", Tone.FORMAL), pieces::add))
          .isInstanceOfSatisfying(
              ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
      assertThat(pieces).isEmpty();
      answerSse(
          ChatCompletionStreamTest.content("[\\\"I do not know.\\\", CANARY")
              + ChatCompletionStreamTest.chunk("{}", "stop")
              + "data: [DONE]\n\n");
      assertThatThrownBy(
              () ->
                  model.suggest(
                      OpenAiCompatibleModelTest.draft("i dont know", Tone.FORMAL), pieces::add))
          .isInstanceOfSatisfying(
              ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
          .hasMessageNotContaining("CANARY");
      assertThat(joined()).isEqualTo("I do not know.");
    }

    /**
     * Answers the suggestion as a model writes it: {@code answer} in tokens of {@code size}
     * characters, one server-sent event each, 20 ms apart, then {@code [DONE]} (or, when {@code
     * done} is false, the connection just ends). Counts the tokens written in {@code written}.
     */
    private void answerTokenByToken(String answer, int size, boolean done, AtomicLong written) {
      scripted.answer(
          (request, b) -> {
            HttpServerResponse r =
                request.response().setChunked(true).putHeader("content-type", "text/event-stream");
            int[] at = {0};
            scripted
                .vertx()
                .setPeriodic(
                    20,
                    id -> {
                      if (r.closed()) {
                        scripted.vertx().cancelTimer(id);
                      } else if (at[0] < answer.length()) {
                        String token =
                            answer.substring(at[0], Math.min(answer.length(), at[0] + size));
                        at[0] += size;
                        r.write(ChatCompletionStreamTest.chunk(contentDelta(token), null));
                        written.incrementAndGet();
                      } else {
                        scripted.vertx().cancelTimer(id);
                        r.end(
                            done
                                ? ChatCompletionStreamTest.chunk("{}", "stop") + "data: [DONE]\n\n"
                                : "");
                      }
                    });
          });
    }

    private static String contentDelta(String token) {
      try {
        return ChatCompletionsServer.JSON.writeValueAsString(java.util.Map.of("content", token));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    @DisplayName(
        "every shape the whole read accepts streams its first suggestion as it is written, and it is the returned first")
    void everyShapeStreams() {
      List<String> shapes =
          List.of(
              "[\"I do not know the answer; could you help me?\", \"No idea, sorry.\"]",
              "{\"suggestions\": [\"I do not know the answer; could you help me?\", \"b\"]}",
              "[{\"text\": \"I do not know the answer; could you help me?\"}, {\"text\": \"b\"}]",
              "```json\n{\"suggestions\": [{\"text\": \"  \"}, {\"tone\": \"formal\","
                  + " \"text\": \"I do not know the answer; could you help me?\"}]}\n```");
      for (String shape : shapes) {
        pieces.clear();
        AtomicLong written = new AtomicLong();
        long[] writtenAtFirst = {-1};
        answerTokenByToken(shape, 4, true, written);
        Answer<List<Suggestion>> answer =
            model.suggest(
                OpenAiCompatibleModelTest.draft("i dont know teh answer, can u help", Tone.FORMAL),
                piece -> {
                  if (pieces.isEmpty()) {
                    writtenAtFirst[0] = written.get();
                  }
                  pieces.add(piece);
                });
        assertThat(answer.value().get(0).text())
            .as(shape)
            .isEqualTo("I do not know the answer; could you help me?");
        assertThat(joined()).as(shape).isEqualTo(answer.value().get(0).text());
        assertThat(pieces).as(shape).hasSizeGreaterThan(5);
        // The first piece reached the sink while the server was still writing the answer.
        assertThat(writtenAtFirst[0]).as(shape).isPositive().isLessThan(written.get() - 5);
      }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    @DisplayName(
        "object shapes: spoilt after the first entry, or a second text in it, fail after the text; spoilt before, nothing sent")
    void objectShapesMalformed() {
      for (String spoilt :
          List.of(
              "{\"suggestions\": [{\"text\": \"I do not know.\"}, CANARY",
              "[{\"text\": \"I do not know.\", \"text\": \"CANARY\"}]",
              "{\"suggestions\": [\"I do not know.\" CANARY")) {
        pieces.clear();
        answerTokenByToken(spoilt, 3, true, new AtomicLong());
        assertThatThrownBy(
                () ->
                    model.suggest(
                        OpenAiCompatibleModelTest.draft("i dont know", Tone.FORMAL), pieces::add))
            .as(spoilt)
            .isInstanceOfSatisfying(
                ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
            .hasMessageNotContaining("CANARY");
        assertThat(joined()).as(spoilt).isEqualTo("I do not know.");
      }
      for (String before :
          List.of("{\"suggestions\": CANARY}", "[{\"text\": CANARY}]", "{\"CANARY\": 1}")) {
        pieces.clear();
        answerTokenByToken(before, 3, true, new AtomicLong());
        assertThatThrownBy(
                () ->
                    model.suggest(
                        OpenAiCompatibleModelTest.draft("i dont know", Tone.FORMAL), pieces::add))
            .as(before)
            .isInstanceOfSatisfying(
                ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
            .hasMessageNotContaining("CANARY");
        assertThat(pieces).as(before).isEmpty();
      }
      // Cut mid-entry: incomplete, after the text so far.
      pieces.clear();
      answerTokenByToken("[{\"text\": \"I do not know the answer", 3, false, new AtomicLong());
      assertThatThrownBy(
              () ->
                  model.suggest(
                      OpenAiCompatibleModelTest.draft("i dont know", Tone.FORMAL), pieces::add))
          .isInstanceOfSatisfying(
              ModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE));
      assertThat(joined()).startsWith("I do not know");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @DisplayName("what the sink throws propagates unchanged")
    void sinkThrows() {
      answerSse(
          ChatCompletionStreamTest.content("Bob books the table. Alice orders the cake.")
              + ChatCompletionStreamTest.chunk("{}", "stop")
              + "data: [DONE]\n\n");
      IllegalStateException gone = new IllegalStateException("reader gone");
      assertThatThrownBy(
              () ->
                  model.summarize(
                      OpenAiCompatibleModelTest.familyChat(3),
                      piece -> {
                        throw gone;
                      }))
          .isSameAs(gone);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("a slow sink holds the server back: what it wrote stops growing, nothing piles up")
    void slowSinkHoldsTheServerBack() throws Exception {
      AtomicLong written = new AtomicLong();
      scripted.answer(
          (request, b) -> {
            HttpServerResponse r =
                request.response().setChunked(true).putHeader("content-type", "text/event-stream");
            r.write(ChatCompletionStreamTest.content("Bob books the table. Alice"));
            Buffer pad = Buffer.buffer(": " + "p".repeat(1021) + "\n");
            Runnable[] pump = new Runnable[1];
            pump[0] =
                () -> {
                  // A few writes at a time, never looping on the event loop.
                  for (int i = 0; i < 16 && !r.closed() && !r.writeQueueFull(); i++) {
                    r.write(pad).onSuccess(v -> written.addAndGet(pad.length()));
                  }
                  if (r.closed() || written.get() > (256L << 20)) {
                    return;
                  }
                  if (r.writeQueueFull()) {
                    r.drainHandler(v -> pump[0].run());
                  } else {
                    scripted.vertx().setTimer(1, id -> pump[0].run());
                  }
                };
            pump[0].run();
          });
      CountDownLatch inSink = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread caller =
          new Thread(
              () -> {
                try {
                  model.summarize(
                      OpenAiCompatibleModelTest.familyChat(3),
                      piece -> {
                        pieces.add(piece);
                        inSink.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      });
                } catch (ModelException e) {
                  pieces.add("failed: " + e.reason());
                }
              });
      caller.start();
      assertThat(inSink.await(10, TimeUnit.SECONDS)).isTrue();
      // While the sink blocks, the server can write only what the sockets hold.
      long previous = -1;
      long now = written.get();
      for (int i = 0; i < 40 && now != previous; i++) {
        Thread.sleep(500);
        previous = now;
        now = written.get();
      }
      assertThat(now).as("bytes written while the sink blocks").isEqualTo(previous);
      assertThat(now).isLessThan(64L << 20);
      // Released, the model reads on and refuses the endless stream at its byte limit.
      release.countDown();
      caller.join(30_000);
      assertThat(pieces).containsExactly("Bob books the table.", "failed: " + Reason.OVERSIZED);
    }
  }
}
