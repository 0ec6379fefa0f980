package org.privateprocessing.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * A streamed answer: its text as the enclave's model writes it, piece by piece ({@link #text()}),
 * and the complete answer once the stream ended with its final chunk ({@link #answer()}).
 *
 * <p>The text is a Vert.x {@link ReadStream}: a reader that pauses it stops the stream behind it
 * (the SDK stops reading the relay's connection once a few pieces wait, and the chain stops back to
 * the model), so no buffer grows without bound. Without a handler the pieces are dropped, and the
 * answer still completes. The answer fails with a {@link PrivateProcessingException} when the
 * stream broke: {@code incomplete-answer} when it ended without its final chunk (a cut connection,
 * a relay deadline), {@code bad-chunk} for a chunk that does not authenticate, or the problem the
 * enclave reported in place of its final answer. Text already received is then never a whole
 * answer.
 *
 * @param <T> the answer's type ({@code SummarizeResponse}, {@code SuggestResponse})
 */
public final class AnswerStream<T> {
  /** Pieces that may wait in the SDK before it stops reading the connection. */
  static final int MAX_WAITING = 8;

  private final Promise<PrivateProcessingClient.Answered<T>> answered = Promise.promise();
  private final Text text = new Text();

  AnswerStream() {}

  /** The text of the answer as it is written; ends when the answer is complete or failed. */
  public ReadStream<String> text() {
    return text;
  }

  /** The complete answer, exactly as the non-streaming call returns it. */
  public Future<T> answer() {
    return answered.future().map(PrivateProcessingClient.Answered::answer);
  }

  /**
   * The complete answer with its {@link Receipt}, as {@code summarizeWithReceipt} returns it: the
   * answer is bound to the enclave the client verified, or it fails with {@code enclave-mismatch}.
   */
  public Future<PrivateProcessingClient.Answered<T>> answered() {
    return answered.future();
  }

  /** Where the SDK's connection is paused and resumed from (set by the call under way). */
  interface Source {
    void pause();

    void resume();
  }

  void source(Source source) {
    text.source(source);
  }

  /** Whether any text reached the stream (a retry is safe only before). */
  boolean anyText() {
    return text.any;
  }

  void piece(String piece) {
    text.push(piece);
  }

  // The text ends before the answer completes: whoever waits on the answer then finds the text's
  // end (or exception) handler already called, unless its reader paused with pieces still queued.
  void complete(PrivateProcessingClient.Answered<T> value) {
    if (!answered.future().isComplete()) {
      try {
        text.end(null);
      } finally {
        answered.tryComplete(value);
      }
    }
  }

  void fail(Throwable t) {
    if (!answered.future().isComplete()) {
      try {
        text.end(t);
      } finally {
        answered.tryFail(t);
      }
    }
  }

  boolean isDone() {
    return answered.future().isComplete();
  }

  /** The text as a read stream with a small bounded queue; all calls on one event loop. */
  private static final class Text implements ReadStream<String> {
    private final Deque<String> queue = new ArrayDeque<>();
    private Handler<String> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private long demand = Long.MAX_VALUE;
    private Source source;
    private boolean sourcePaused;
    private boolean ended;
    private Throwable failure;
    private boolean endDelivered;
    boolean any;

    synchronized void source(Source s) {
      source = s;
      sourcePaused = false;
      if (queue.size() >= MAX_WAITING) {
        sourcePaused = true;
        s.pause();
      }
    }

    void push(String piece) {
      synchronized (this) {
        any = true;
        queue.add(piece);
      }
      drain();
    }

    void end(Throwable t) {
      synchronized (this) {
        ended = true;
        failure = t;
      }
      drain();
    }

    private void drain() {
      while (true) {
        Handler<String> h;
        String next;
        synchronized (this) {
          if (queue.isEmpty() || demand == 0) {
            break;
          }
          next = queue.poll();
          if (demand != Long.MAX_VALUE) {
            demand--;
          }
          h = handler;
        }
        if (h != null) {
          h.handle(next);
        }
      }
      Handler<Void> end = null;
      Handler<Throwable> error = null;
      Throwable t;
      synchronized (this) {
        if (queue.size() >= MAX_WAITING && !sourcePaused && source != null) {
          sourcePaused = true;
          source.pause();
        } else if (queue.size() < MAX_WAITING && sourcePaused && source != null) {
          sourcePaused = false;
          source.resume();
        }
        t = failure;
        if (ended && queue.isEmpty() && !endDelivered) {
          endDelivered = true;
          end = endHandler;
          error = exceptionHandler;
        }
      }
      if (t != null && error != null) {
        error.handle(t);
      } else if (t == null && end != null) {
        end.handle(null);
      }
    }

    @Override
    public ReadStream<String> exceptionHandler(Handler<Throwable> h) {
      synchronized (this) {
        exceptionHandler = h;
      }
      return this;
    }

    @Override
    public ReadStream<String> handler(Handler<String> h) {
      synchronized (this) {
        handler = h;
      }
      drain();
      return this;
    }

    @Override
    public ReadStream<String> pause() {
      synchronized (this) {
        demand = 0;
      }
      return this;
    }

    @Override
    public ReadStream<String> resume() {
      return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<String> fetch(long amount) {
      if (amount < 0) {
        throw new IllegalArgumentException("amount must not be negative");
      }
      synchronized (this) {
        demand = amount == Long.MAX_VALUE || demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      }
      drain();
      return this;
    }

    @Override
    public ReadStream<String> endHandler(Handler<Void> h) {
      synchronized (this) {
        endHandler = h;
      }
      drain();
      return this;
    }
  }

  static <T> AnswerStream<T> failed(Throwable t) {
    AnswerStream<T> s = new AnswerStream<>();
    s.fail(Objects.requireNonNull(t));
    return s;
  }
}
