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
}
