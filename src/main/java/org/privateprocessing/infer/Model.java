package org.privateprocessing.infer;

import java.util.List;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;

/**
 * The AI tasks an enclave runs on a decrypted, validated request. Implementations keep nothing of a
 * request after returning, log no content, and are safe to call from several threads. Calls may
 * block (a model server is called synchronously): run them off the event loop.
 */
public interface Model {
  /** Name and version of the model that normally answers (logged at start). */
  ModelInfo info();

  /**
   * Summary of the request's messages in at most {@code request.maxSentences()} sentences, with the
   * model that produced it.
   *
   * @throws ModelException if this model could not answer (never with content in the message)
   */
  Answer<Summary> summarize(SummarizeRequest request);

  /**
   * One to three rewordings of the draft in the requested tone, best first, never empty; with the
   * model that produced them.
   *
   * @throws ModelException if this model could not answer (never with content in the message)
   */
  Answer<List<Suggestion>> suggest(SuggestRequest request);

  /**
   * {@link #summarize(SummarizeRequest)}, passing the summary's text to {@code sink} as the model
   * writes it; returns the whole answer once it is done. Models that cannot stream keep this
   * default, which writes the whole text at once after the model finished.
   *
   * <p>A failure before the first piece reached the sink may be answered by another model (see
   * {@link FallbackModel}); a failure after it throws {@link ModelException} and the text already
   * sent is incomplete: callers must say so and never present it as an answer.
   */
  default Answer<Summary> summarize(SummarizeRequest request, TextSink sink) {
    Answer<Summary> answer = summarize(request);
    if (!answer.value().text().isEmpty()) {
      sink.text(answer.value().text());
    }
    return answer;
  }

  /**
   * {@link #suggest(SuggestRequest)}, passing the text of the first (best) suggestion to {@code
   * sink} as the model writes it; returns all suggestions once done. Same contract as {@link
   * #summarize(SummarizeRequest, TextSink)}.
   */
  default Answer<List<Suggestion>> suggest(SuggestRequest request, TextSink sink) {
    Answer<List<Suggestion>> answer = suggest(request);
    String first = answer.value().get(0).text();
    if (!first.isEmpty()) {
      sink.text(first);
    }
    return answer;
  }
}
