package org.privateprocessing.infer;

import java.util.List;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;

/**
 * The model shipped inside the enclave jar: an extractive TextRank summariser and a rule-based
 * writing assistant. Deterministic, no weights to download, no state between calls, thread-safe.
 *
 * <p>It does not check {@code advancedChatPrivacy}: refusing such chats (403) is the caller's
 * policy step, before any model runs.
 */
public final class EmbeddedModel implements Model {
  private static final ModelInfo INFO = new ModelInfo("extractive-textrank", "1");

  private final TextRankSummarizer summarizer = new TextRankSummarizer();
  private final WritingAssistant assistant = new WritingAssistant();

  public EmbeddedModel() {}

  @Override
  public ModelInfo info() {
    return INFO;
  }

  @Override
  public Answer<Summary> summarize(SummarizeRequest request) {
    return new Answer<>(summarizer.summarize(request.messages(), request.maxSentences()), INFO);
  }

  @Override
  public Answer<List<Suggestion>> suggest(SuggestRequest request) {
    return new Answer<>(assistant.suggest(request.draft(), request.tone()), INFO);
  }
}
