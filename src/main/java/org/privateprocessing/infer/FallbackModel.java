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
 * the model that actually answered, so a response says when the fallback did. When the answer is
 * streamed to a {@link TextSink}, the fallback answers only if the primary failed before the first
 * piece reached the sink; after that the failure propagates (see {@link
 * #summarize(SummarizeRequest, TextSink)}).
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

  /**
   * Streams the primary's summary; the fallback answers (streaming too) only if the primary failed
   * before the first piece reached the sink. After that the failure is logged (its cause only) and
   * thrown as a {@link ModelException}: the text already sent cannot be taken back, so the caller
   * must end the stream with an error. An exception thrown by the sink itself (the reader is gone)
   * is the caller's: it propagates unchanged and never starts the fallback.
   */
  @Override
  public Answer<Summary> summarize(SummarizeRequest request, TextSink sink) {
    return stream(
        "summarize",
        request,
        sink,
        (r, s) -> primary.summarize(r, s),
        (r, s) -> fallback.summarize(r, s));
  }

  /** As {@link #summarize(SummarizeRequest, TextSink)}, for the first suggestion. */
  @Override
  public Answer<List<Suggestion>> suggest(SuggestRequest request, TextSink sink) {
    return stream(
        "suggest",
        request,
        sink,
        (r, s) -> primary.suggest(r, s),
        (r, s) -> fallback.suggest(r, s));
  }

  /** A model call with a sink. */
  @FunctionalInterface
  private interface Streaming<R, T> {
    Answer<T> call(R request, TextSink sink);
  }

  /** What a sink threw, carried past the primary so that it is not taken for a model failure. */
  private static final class SinkFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SinkFailure(RuntimeException cause) {
      super(null, cause, false, false);
    }
  }

  private <R, T> Answer<T> stream(
      String task, R request, TextSink sink, Streaming<R, T> first, Streaming<R, T> second) {
    Objects.requireNonNull(sink, "sink");
    boolean[] started = new boolean[1];
    TextSink watched =
        piece -> {
          started[0] = true;
          try {
            sink.text(piece);
          } catch (RuntimeException e) {
            throw new SinkFailure(e);
          }
        };
    try {
      return first.call(request, watched);
    } catch (SinkFailure e) {
      throw (RuntimeException) e.getCause();
    } catch (RuntimeException e) {
      if (causedBy(e) instanceof SinkFailure f) { // wrapped by the primary on its way out
        throw (RuntimeException) f.getCause();
      }
      String cause = e instanceof ModelException m ? m.summary() : e.getClass().getSimpleName();
      if (started[0]) {
        LOG.log(
            Level.WARNING,
            () ->
                task
                    + ": model "
                    + primary.info().name()
                    + " failed after its answer began ("
                    + cause
                    + "); the answer is incomplete, no fallback");
        throw e instanceof ModelException m
            ? m
            : new ModelException(
                ModelException.Reason.INCOMPLETE,
                -1,
                "incomplete answer: model failed after its answer began ("
                    + e.getClass().getSimpleName()
                    + ")",
                null);
      }
      logFallback(task, cause);
      return second.call(request, sink);
    }
  }

  private static Throwable causedBy(Throwable e) {
    Throwable c = e.getCause();
    for (int i = 0; c != null && i < 16; i++, c = c.getCause()) {
      if (c instanceof SinkFailure) {
        return c;
      }
    }
    return null;
  }

  private void logFallback(String task, String cause) {
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
  }

  private <R, T> Answer<T> answer(
      String task, R request, Function<R, Answer<T>> first, Function<R, Answer<T>> second) {
    try {
      return first.apply(request);
    } catch (RuntimeException e) {
      logFallback(task, e instanceof ModelException m ? m.summary() : e.getClass().getSimpleName());
      return second.apply(request);
    }
  }
}
