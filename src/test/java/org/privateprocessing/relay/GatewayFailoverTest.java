package org.privateprocessing.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GatewayFailoverTest {
  private static final String A = "http://a";
  private static final String B = "http://b";
  private static final String C = "http://c";

  /** Each gateway answers with a status, or fails with an exception; calls are recorded. */
  private static Function<String, Future<Integer>> gateways(
      Map<String, Object> behaviour, List<String> calls) {
    return url -> {
      calls.add(url);
      Object b = behaviour.get(url);
      return b instanceof Throwable t
          ? Future.failedFuture(t)
          : Future.succeededFuture((Integer) b);
    };
  }

  private static boolean unopened(Integer status) {
    return status == 400;
  }

  private static <T> T result(Future<T> f) {
    assertThat(f.isComplete()).isTrue();
    if (f.failed()) {
      throw new AssertionError("failed: " + f.cause());
    }
    return f.result();
  }

  /** A failover whose health clock the test moves. */
  private final long[] now = {0};

  private GatewayFailover failover(String... urls) {
    return new GatewayFailover(List.of(urls), () -> now[0], 2_000);
  }

  @Test
  @DisplayName("requests are spread over the gateways in turn (they share one key set)")
  void spreadsRequestsInTurn() {
    GatewayFailover failover = failover(A, B);
    List<String> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      assertThat(
              result(
                  failover.send(
                      gateways(Map.of(A, 200, B, 200), calls), GatewayFailoverTest::unopened)))
          .isEqualTo(200);
    }
    assertThat(calls).containsExactly(A, B, A, B);
  }

  @Test
  @DisplayName(
      "a gateway that refused a connection is tried after the others until its down time ends")
  void refusedConnectFailsOverAndIsPassedOver() {
    GatewayFailover failover = failover(A, B);
    List<String> calls = new ArrayList<>();
    Map<String, Object> aDown = Map.of(A, new ConnectException("refused"), B, 200);
    for (int i = 0; i < 3; i++) {
      assertThat(result(failover.send(gateways(aDown, calls), GatewayFailoverTest::unopened)))
          .isEqualTo(200);
    }
    assertThat(calls).containsExactly(A, B, B, B);
    calls.clear();
    now[0] += 2_001;
    Map<String, Object> bothUp = Map.of(A, 200, B, 200);
    result(failover.send(gateways(bothUp, calls), GatewayFailoverTest::unopened));
    result(failover.send(gateways(bothUp, calls), GatewayFailoverTest::unopened));
    assertThat(calls).as("A is back in turn").containsExactlyInAnyOrder(A, B);
  }

  @Test
  @DisplayName("a request a gateway could not open is tried at the next, whose answer counts")
  void unopenedRequestTriesTheNext() {
    GatewayFailover failover = failover(A, B);
    List<String> calls = new ArrayList<>();
    assertThat(
            result(
                failover.send(
                    gateways(Map.of(A, 400, B, 200), calls), GatewayFailoverTest::unopened)))
        .isEqualTo(200);
    assertThat(calls).containsExactly(A, B);
  }

  @Test
  @DisplayName(
      "when no gateway can open it, the client gets the 400 (so it fetches keys again), not a 502")
  void staleKeysGetThe400EvenIfAGatewayIsDown() {
    GatewayFailover failover = failover(A, B, C);
    List<String> calls = new ArrayList<>();
    Map<String, Object> behaviour =
        Map.of(A, new ConnectException("refused"), B, 400, C, new ConnectException("refused"));
    assertThat(result(failover.send(gateways(behaviour, calls), GatewayFailoverTest::unopened)))
        .isEqualTo(400);
    assertThat(calls).containsExactly(A, B, C);
  }

  @Test
  @DisplayName(
      "a gateway serving another key list than its peers is flagged and gets requests only when the others are down")
  void mismatchedKeyListIsFlagged() {
    GatewayFailover failover = failover(A, B, C);
    assertThat(failover.keyLists(Map.of(A, new byte[] {1}, B, new byte[] {1}, C, new byte[] {2})))
        .containsExactly(C);
    assertThat(failover.flagged()).containsExactly(C);
    List<String> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      result(
          failover.send(
              gateways(Map.of(A, 200, B, 200, C, 200), calls), GatewayFailoverTest::unopened));
    }
    assertThat(calls).doesNotContain(C).contains(A, B);
    calls.clear();
    Map<String, Object> peersDown =
        Map.of(A, new ConnectException("a"), B, new ConnectException("b"), C, 200);
    assertThat(result(failover.send(gateways(peersDown, calls), GatewayFailoverTest::unopened)))
        .isEqualTo(200);
    assertThat(calls).endsWith(C);
    // A flagged gateway that serves the peers' list again is unflagged; a silent one keeps
    // standing.
    assertThat(failover.keyLists(Map.of(A, new byte[] {1}, C, new byte[] {1}))).isEmpty();
    assertThat(failover.flagged()).isEmpty();
  }

  @Test
  @DisplayName("two gateways with different key lists: the one configured first counts")
  void tieGoesToTheFirstConfigured() {
    GatewayFailover failover = failover(A, B);
    assertThat(failover.keyLists(Map.of(A, new byte[] {1}, B, new byte[] {2}))).containsExactly(B);
  }

  @Test
  @DisplayName("all gateways refusing the connection fail with the first refusal")
  void allDownFailsWithTheFirstRefusal() {
    GatewayFailover failover = new GatewayFailover(List.of(A, B));
    ConnectException first = new ConnectException("a refused");
    Future<Integer> f =
        failover.send(
            gateways(Map.of(A, first, B, new ConnectException("b refused")), new ArrayList<>()),
            GatewayFailoverTest::unopened);
    assertThat(f.failed()).isTrue();
    assertThat(f.cause()).isSameAs(first);
  }

  @Test
  @DisplayName(
      "a failure after the connection was made is never retried (the request may have been delivered)")
  void timeoutIsNotRetried() {
    GatewayFailover failover = new GatewayFailover(List.of(A, B));
    List<String> calls = new ArrayList<>();
    Future<Integer> f =
        failover.send(
            gateways(Map.of(A, new TimeoutException("late"), B, 200), calls),
            GatewayFailoverTest::unopened);
    assertThat(f.failed()).isTrue();
    assertThat(f.cause()).isInstanceOf(TimeoutException.class);
    assertThat(calls).containsExactly(A);
  }

  @Test
  @DisplayName("a failover needs at least one gateway")
  void needsAGateway() {
    assertThatThrownBy(() -> new GatewayFailover(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GatewayFailover(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
