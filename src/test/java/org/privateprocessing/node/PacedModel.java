package org.privateprocessing.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.infer.Answer;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.infer.Model;
import org.privateprocessing.infer.ModelException;
import org.privateprocessing.infer.Summary;
import org.privateprocessing.infer.TextSink;

/**
 * A test model that writes its answer to the sink in several pieces with pauses, as a streaming
 * model does; what it does is chosen by the chat id: {@code fail-first} fails before any piece,
 * {@code fail-midway} after two, {@code stall} pauses 4 s after the first piece, {@code big-<n>}
 * writes n pieces of 8,000 characters (counted in {@link #written}) and answers the summary "big";
 * any other id streams the embedded model's summary word by word, 20 ms apart.
 */
final class PacedModel implements Model {
  final AtomicInteger written = new AtomicInteger();
  private final Model real = new EmbeddedModel();

  @Override
  public ModelInfo info() {
    return real.info();
  }

  @Override
  public Answer<Summary> summarize(SummarizeRequest request) {
    return summarize(request, piece -> {});
  }

  @Override
  public Answer<List<Suggestion>> suggest(SuggestRequest request) {
    return real.suggest(request);
  }

  @Override
  public Answer<Summary> summarize(SummarizeRequest request, TextSink sink) {
    String id = request.chat().id();
    Answer<Summary> answer = real.summarize(request);
    List<String> pieces = new ArrayList<>();
    if (id.startsWith("big-")) {
      int n = Integer.parseInt(id.substring(4));
      for (int i = 0; i < n; i++) {
        pieces.add(Character.toString('a' + i % 26).repeat(8000));
      }
    } else {
      for (String word : answer.value().text().split("(?<= )")) {
        pieces.add(word);
      }
    }
    if (id.equals("fail-first")) {
      throw new ModelException(ModelException.Reason.CONNECT, "the model server is down");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < pieces.size(); i++) {
      if (id.equals("fail-midway") && i == 2) {
        throw new ModelException(ModelException.Reason.CONNECT, "the model server went away");
      }
      sink.text(pieces.get(i));
      written.incrementAndGet();
      text.append(pieces.get(i));
      pause(id.equals("stall") && i == 0 ? 4_000 : id.startsWith("big-") ? 0 : 20);
    }
    // A big answer's text is not repeated in full in its final line, which would pass the limits.
    String summary = id.startsWith("big-") ? "big" : text.toString();
    return new Answer<>(new Summary(summary, answer.value().highlights()), answer.model());
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
