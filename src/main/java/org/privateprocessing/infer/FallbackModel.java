package org.privateprocessing.infer;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;

/**
 * Answers with a primary model and, when it fails in any way (timeout, HTTP error, malformed or
 * refused answer, or any other runtime exception), with a fallback model. The {@link Answer} names
 * the model that actually answered, so a response says when the fallback did.
 *
 * <p>A failure is logged as its cause only ({@link ModelException#summary()}, or the exception's
 * class name): never its message of an unknown exception, nor any content. Thread-safe if both
 * models are.
 */
public final class FallbackModel implements Model {
  private static final Logger LOG = Logger.getLogger(FallbackModel.class.getName());

  private final Model primary;
  private final Model fallback;

  public FallbackModel(Model primary, Model fallback) {
    this.primary = Objects.requireNonNull(primary, "primary");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  /** The primary's: the model that answers when all is well. */
  @Override
  public ModelInfo info() {
    return primary.info();
  }

  @Override
  public Answer<Summary> summarize(SummarizeRequest request) {
    return answer("summarize", request, primary::summarize, fallback::summarize);
  }

  @Override
  public Answer<List<Suggestion>> suggest(SuggestRequest request) {
    return answer("suggest", request, primary::suggest, fallback::suggest);
  }

  private <R, T> Answer<T> answer(
      String task, R request, Function<R, Answer<T>> first, Function<R, Answer<T>> second) {
    try {
      return first.apply(request);
    } catch (RuntimeException e) {
      String cause = e instanceof ModelException m ? m.summary() : e.getClass().getSimpleName();
      ModelInfo answering = fallback.info();
      LOG.log(
          Level.WARNING,
          () ->
              task
                  + ": model "
                  + primary.info().name()
                  + " failed ("
                  + cause
                  + "); answering with "
                  + answering.name()
                  + " "
                  + answering.version());
      return second.apply(request);
    }
  }
}
