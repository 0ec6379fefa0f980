package org.privateprocessing.cli;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.token.Token;

/**
 * The double-spend check of {@code loadtest --check-replays}: every token the run sent is sent once
 * more at the end, and each must be refused as {@code token-replayed} (RFC 9577 section 2.2: a
 * token buys one request). A token whose first request was <em>answered</em> and is accepted again
 * is a <b>double spend</b>. A token whose first request failed may be accepted once now (its
 * spending was never recorded: the spent-token store was down, or no gateway was reached), which is
 * counted apart and is no double spend; anything else the second sending meets (a 503 while a node
 * is still down) is counted by type. Holds the tokens in memory for the run only, never writes them
 * anywhere. Safe to record into from several event loops.
 */
final class ReplayCheck {
  /** The problem type's last segment a replay must be refused with. */
  static final String REPLAYED = ProblemType.TOKEN_REPLAYED.slug();

  /** How one replay ended. */
  enum Outcome {
    /** Refused as spent: what every replay must get. */
    REFUSED,
    /** Accepted again although its first request was answered: a double spend. */
    DOUBLE_SPENT,
    /** Accepted now after its first request had failed: spent once, now. */
    ACCEPTED_AFTER_FAILURE,
    /** Neither: another problem, or no answer. */
    OTHER
  }

  private record Used(Token token, boolean answered) {}

  private final List<Used> used = new ArrayList<>();
  private final Map<String, Long> otherByType = new TreeMap<>();
  private final Map<Outcome, Long> counts = new TreeMap<>();

  /** Notes a token the run sent, and whether its request was answered. */
  synchronized void record(Token token, boolean answered) {
    used.add(new Used(token, answered));
  }

  synchronized int recorded() {
    return used.size();
  }

  /**
   * Sends every recorded token once more through {@code send}, at most {@code concurrency} at a
   * time, and classifies the outcomes. Completes when all have ended ({@code send} is bounded by
   * the client's timeout).
   */
  Future<Void> run(Function<Token, Future<?>> send, int concurrency) {
    List<Used> all;
    synchronized (this) {
      all = List.copyOf(used);
    }
    if (all.isEmpty()) {
      return Future.succeededFuture();
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Promise<Void> finished = Promise.promise();
    int workers = Math.max(1, Math.min(concurrency, all.size()));
    for (int w = 0; w < workers; w++) {
      sendNext(all, send, next, done, finished);
    }
    return finished.future();
  }

  private void sendNext(
      List<Used> all,
      Function<Token, Future<?>> send,
      AtomicInteger next,
      AtomicInteger done,
      Promise<Void> finished) {
    int i = next.getAndIncrement();
    if (i >= all.size()) {
      return;
    }
    Used u = all.get(i);
    Future<?> sent;
    try {
      sent = send.apply(u.token());
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(
        ar -> {
          count(classify(u.answered(), ar.succeeded() ? null : ar.cause()), ar.cause());
          if (done.incrementAndGet() == all.size()) {
            finished.tryComplete();
          } else {
            sendNext(all, send, next, done, finished);
          }
        });
  }

  /**
   * How a replay ended: {@code failure} null when it was accepted, {@code firstAnswered} whether
   * the token's first request was answered.
   */
  static Outcome classify(boolean firstAnswered, Throwable failure) {
    if (failure == null) {
      return firstAnswered ? Outcome.DOUBLE_SPENT : Outcome.ACCEPTED_AFTER_FAILURE;
    }
    Throwable cause = unwrap(failure);
    if (cause instanceof PrivateProcessingException p
        && p.type() != null
        && p.type().endsWith(REPLAYED)) {
      return Outcome.REFUSED;
    }
    return Outcome.OTHER;
  }

  private synchronized void count(Outcome outcome, Throwable failure) {
    counts.merge(outcome, 1L, Long::sum);
    if (outcome == Outcome.OTHER) {
      Throwable cause = unwrap(failure);
      String kind =
          cause instanceof PrivateProcessingException p && p.type() != null
              ? (p.status() > 0 ? p.status() + " " : "") + lastSegment(p.type())
              // The class name only: an unexpected exception's message might quote content.
              : cause.getClass().getSimpleName();
      otherByType.merge(kind, 1L, Long::sum);
    }
  }

  synchronized long count(Outcome outcome) {
    return counts.getOrDefault(outcome, 0L);
  }

  /** Double spends found: the run fails when this is not 0. */
  synchronized long doubleSpent() {
    return count(Outcome.DOUBLE_SPENT);
  }

  /** Adds the check's counts to the run's JSON line. */
  synchronized JsonObject putInto(JsonObject json) {
    JsonObject other = new JsonObject();
    otherByType.forEach(other::put);
    return json.put("replayChecked", (long) used.size())
        .put("replayRefused", count(Outcome.REFUSED))
        .put("doubleSpent", count(Outcome.DOUBLE_SPENT))
        .put("replayAcceptedAfterFailure", count(Outcome.ACCEPTED_AFTER_FAILURE))
        .put("replayOther", count(Outcome.OTHER))
        .put("replayOtherByType", other);
  }

  /** One line for a person. */
  synchronized String summary() {
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "replay check: %d token(s) sent once more: %d refused as %s, %d double spent,"
                    + " %d accepted after a failed first request, %d other",
                used.size(),
                count(Outcome.REFUSED),
                REPLAYED,
                count(Outcome.DOUBLE_SPENT),
                count(Outcome.ACCEPTED_AFTER_FAILURE),
                count(Outcome.OTHER)));
    otherByType.forEach(
        (k, n) -> b.append(String.format(Locale.ROOT, "%n    other: %s x %d", k, n)));
    return b.toString();
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String lastSegment(String type) {
    int slash = type.lastIndexOf('/');
    return slash >= 0 && slash < type.length() - 1 ? type.substring(slash + 1) : type;
  }
}
