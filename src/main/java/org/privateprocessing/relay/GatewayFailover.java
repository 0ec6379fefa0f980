package org.privateprocessing.relay;

import io.vertx.core.Future;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which gateway the relay sends to, and when it may try another: active/standby over {@link
 * RelayOptions#gatewayUrls()}.
 *
 * <p>Why not round robin: every gateway generates its own outer keys, and a client seals to the
 * keys of the one gateway whose {@code /.well-known/ohttp-gateway} it fetched. The key id (the only
 * clear byte that names a key) is the same on every gateway, so the relay cannot tell whose keys a
 * request was sealed to. Spreading requests would send half of them to a gateway that cannot open
 * them. So all traffic goes to the current gateway; the relay moves to the next one only when the
 * current one refuses the connection, and stays with whichever answered last.
 *
 * <p>When it may try another: only when the request cannot have been processed. A refused or
 * timed-out connect proves it never left; a plain (not encapsulated) 400 proves the gateway could
 * not open the outer layer, so it spent no token and did no work. After a failover a client still
 * holds the dead gateway's keys: its next request gets the live gateway's 400, on which the SDK
 * fetches the keys again, and from then on it is served. Anything else (a timeout after the
 * connection was made, a reset mid-answer) might have been delivered and is never retried: a second
 * delivery would spend work twice.
 */
public final class GatewayFailover {
  private final List<String> urls;
  private final AtomicInteger current = new AtomicInteger();

  public GatewayFailover(List<String> urls) {
    if (urls == null || urls.isEmpty()) {
      throw new IllegalArgumentException("at least one gateway URL");
    }
    this.urls = List.copyOf(urls);
  }

  /** The gateway tried first now. */
  public String current() {
    return urls.get(current.get());
  }

  /**
   * Sends to the current gateway, then to the others in order while the failure proves nothing was
   * processed. The result is the last HTTP answer any gateway gave (so a client sees the 400 that
   * makes it fetch keys again), or the first failure when none answered.
   *
   * @param send sends to one base URL
   * @param unopened true for an answer that shows the gateway could not open the request
   */
  public <T> Future<T> send(Function<String, Future<T>> send, Predicate<T> unopened) {
    int first = current.get();
    return attempt(send, unopened, first, 0, null, null);
  }

  private <T> Future<T> attempt(
      Function<String, Future<T>> send,
      Predicate<T> unopened,
      int first,
      int tried,
      T lastAnswer,
      Throwable firstFailure) {
    int index = (first + tried) % urls.size();
    boolean last = tried + 1 >= urls.size();
    return send.apply(urls.get(index))
        .transform(
            outcome -> {
              if (outcome.succeeded()) {
                T answer = outcome.result();
                if (!unopened.test(answer)) {
                  current.set(index);
                  return Future.succeededFuture(answer);
                }
                return last
                    ? Future.succeededFuture(answer)
                    : attempt(send, unopened, first, tried + 1, answer, firstFailure);
              }
              Throwable t = outcome.cause();
              // Netty's connect timeout is a ConnectException too.
              if (!(t instanceof ConnectException)) {
                return Future.failedFuture(t);
              }
              Throwable failure = firstFailure != null ? firstFailure : t;
              if (last) {
                return lastAnswer != null
                    ? Future.succeededFuture(lastAnswer)
                    : Future.failedFuture(failure);
              }
              return attempt(send, unopened, first, tried + 1, lastAnswer, failure);
            });
  }
}
