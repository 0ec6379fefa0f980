package org.privateprocessing.relay;

import io.vertx.core.Future;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Which gateway the relay sends each request to, and when it may try another: round robin over the
 * healthy gateways of {@link RelayOptions#gatewayUrls()}, with failover.
 *
 * <p>Why round robin is right: the replicas of one origin share one key directory, so they serve
 * the same key configs and any of them opens any request. The relay checks that (it reads every
 * gateway's {@code /.well-known/ohttp-gateway} before it serves and every few seconds, {@link
 * #keyLists}): a gateway whose key list differs from its peers' is <em>flagged</em> and gets
 * requests only when no other gateway is reachable, because it could not open what clients sealed
 * to the others' keys.
 *
 * <p>Healthy: a gateway that refused a connection is passed over for {@code downMs}; it is still
 * tried, after the others, so a gateway back from a restart is found again.
 *
 * <p>When it may try another: only when the request cannot have been processed. A refused or
 * timed-out connect proves it never left; a plain (not encapsulated) 400 proves the gateway could
 * not open the outer layer, so it spent no token and did no work. Anything else (a timeout after
 * the connection was made, a reset mid-answer) might have been delivered and is never retried: a
 * second delivery would spend work twice.
 *
 * <p>A streamed ({@code message/ohttp-chunked-req}) request is narrower still, because the relay
 * pipes its body as it arrives and keeps no copy to send twice: the relay connects first and
 * retries only a refused or timed-out connect, while nothing of the body has been sent; once the
 * body is on its way there is nothing left to resend, so a plain 400 is passed to the client as it
 * is (the SDK then fetches the keys again and retries once, as for a whole request). Holding the
 * body for a retry would mean holding up to {@link RelayOptions#maxBodyBytes()} per request and
 * waiting for all of it before the gateway could check the token; streaming trades that retry for
 * bounded memory and an early answer.
 */
public final class GatewayFailover {
  /** How long a gateway that refused a connection is tried after the others. */
  public static final long DEFAULT_DOWN_MS = 2_000;

  private final List<String> urls;
  private final AtomicLong turn = new AtomicLong();
  private final Map<String, Long> downUntil = new ConcurrentHashMap<>();
  private final LongSupplier millis;
  private final long downMs;
  private volatile Set<String> flagged = Set.of();

  public GatewayFailover(List<String> urls) {
    this(urls, System::currentTimeMillis, DEFAULT_DOWN_MS);
  }

  /**
   * @param millis the clock health is judged by (tests pass their own)
   * @param downMs how long a gateway that refused a connection is tried last
   */
  public GatewayFailover(List<String> urls, LongSupplier millis, long downMs) {
    if (urls == null || urls.isEmpty()) {
      throw new IllegalArgumentException("at least one gateway URL");
    }
    this.urls = List.copyOf(urls);
    this.millis = millis;
    this.downMs = downMs;
  }

  public List<String> urls() {
    return urls;
  }

  /** The gateways whose key list differs from their peers', as of the last {@link #keyLists}. */
  public Set<String> flagged() {
    return flagged;
  }

  /**
   * Takes in the key lists the gateways served just now ({@code url -> application/ohttp-keys}
   * bytes; a gateway that did not answer is absent and keeps its standing). The list most gateways
   * serve is the origin's (on a tie, that of the gateway configured first); every gateway serving
   * another is flagged.
   *
   * @return the gateways flagged now that were not before (for a warning)
   */
  public List<String> keyLists(Map<String, byte[]> lists) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String url : urls) {
      byte[] list = lists.get(url);
      if (list != null) {
        groups.computeIfAbsent(Arrays.toString(list), k -> new ArrayList<>()).add(url);
      }
    }
    List<String> majority = List.of();
    for (List<String> g : groups.values()) {
      if (g.size() > majority.size()) {
        majority = g;
      }
    }
    Set<String> next = new java.util.HashSet<>();
    for (List<String> g : groups.values()) {
      if (g != majority) {
        next.addAll(g);
      }
    }
    List<String> newly = new ArrayList<>();
    for (String url : urls) {
      if (next.contains(url) && !flagged.contains(url)) {
        newly.add(url);
      }
    }
    flagged = Set.copyOf(next);
    return newly;
  }

  /**
   * The order this request tries the gateways in: the healthy ones in turn (each request starts one
   * further), then those that refused a connection lately, then the flagged ones.
   */
  List<String> order() {
    long now = millis.getAsLong();
    int n = urls.size();
    int start = (int) Math.floorMod(turn.getAndIncrement(), (long) n);
    List<String> healthy = new ArrayList<>();
    List<String> down = new ArrayList<>();
    List<String> odd = new ArrayList<>();
    Set<String> f = flagged;
    for (int i = 0; i < n; i++) {
      String url = urls.get((start + i) % n);
      if (f.contains(url)) {
        odd.add(url);
      } else if (downUntil.getOrDefault(url, 0L) > now) {
        down.add(url);
      } else {
        healthy.add(url);
      }
    }
    healthy.addAll(down);
    healthy.addAll(odd);
    return healthy;
  }

  /**
   * Sends to the next gateway in turn, then to the others while the failure proves nothing was
   * processed. The result is the last HTTP answer any gateway gave (so a client sees the 400 that
   * makes it fetch keys again), or the first failure when none answered.
   *
   * @param send sends to one base URL
   * @param unopened true for an answer that shows the gateway could not open the request
   */
  public <T> Future<T> send(Function<String, Future<T>> send, Predicate<T> unopened) {
    return attempt(order(), send, unopened, 0, null, null);
  }

  private <T> Future<T> attempt(
      List<String> order,
      Function<String, Future<T>> send,
      Predicate<T> unopened,
      int tried,
      T lastAnswer,
      Throwable firstFailure) {
    String url = order.get(tried);
    boolean last = tried + 1 >= order.size();
    return send.apply(url)
        .transform(
            outcome -> {
              if (outcome.succeeded()) {
                downUntil.remove(url);
                T answer = outcome.result();
                if (!unopened.test(answer)) {
                  return Future.succeededFuture(answer);
                }
                return last
                    ? Future.succeededFuture(answer)
                    : attempt(order, send, unopened, tried + 1, answer, firstFailure);
              }
              Throwable t = outcome.cause();
              // Netty's connect timeout is a ConnectException too.
              if (!(t instanceof ConnectException)) {
                return Future.failedFuture(t);
              }
              downUntil.put(url, millis.getAsLong() + downMs);
              Throwable failure = firstFailure != null ? firstFailure : t;
              if (last) {
                return lastAnswer != null
                    ? Future.succeededFuture(lastAnswer)
                    : Future.failedFuture(failure);
              }
              return attempt(order, send, unopened, tried + 1, lastAnswer, failure);
            });
  }
}
