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

  /**
   * Streams the summary sentence by sentence, each as soon as it is written (see {@link
   * TextRankSummarizer#summarize(List, int, TextSink)}).
   */
  @Override
  public Answer<Summary> summarize(SummarizeRequest request, TextSink sink) {
    return new Answer<>(
        summarizer.summarize(request.messages(), request.maxSentences(), sink), INFO);
  }

  /**
   * Streams the first suggestion sentence by sentence ({@link #pieces(String)}): the assistant
   * rewrites the whole draft at once, so the pieces follow each other without delay.
   */
  @Override
  public Answer<List<Suggestion>> suggest(SuggestRequest request, TextSink sink) {
    java.util.Objects.requireNonNull(sink, "sink");
    List<Suggestion> suggestions = assistant.suggest(request.draft(), request.tone());
    for (String piece : pieces(suggestions.get(0).text())) {
      sink.text(piece);
    }
    return new Answer<>(suggestions, INFO);
  }

  /**
   * A text cut after each sentence: after {@code . ! ? …} (or CJK {@code 。！？}) and the white space
   * that follows it, and after each line break. Every character stays in exactly one piece, so the
   * pieces joined are the text; no piece is empty.
   */
  static List<String> pieces(String text) {
    List<String> out = new java.util.ArrayList<>();
    int start = 0;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      boolean end =
          c == '\n'
              || ".!?…。！？".indexOf(c) >= 0
                  && i + 1 < n
                  && Character.isWhitespace(text.charAt(i + 1));
      i++;
      if (end) {
        while (i < n && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        out.add(text.substring(start, i));
        start = i;
      }
    }
    if (start < n) {
      out.add(text.substring(start));
    }
    return out;
  }
}
