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

  @Test
  @DisplayName(
      "every request goes to the same gateway while it answers (no round robin: keys differ per gateway)")
  void staysWithTheCurrentGateway() {
    GatewayFailover failover = new GatewayFailover(List.of(A, B));
    List<String> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      assertThat(
              result(
                  failover.send(
                      gateways(Map.of(A, 200, B, 200), calls), GatewayFailoverTest::unopened)))
          .isEqualTo(200);
    }
    assertThat(calls).containsExactly(A, A, A, A);
  }

  @Test
  @DisplayName("a refused connection moves to the next gateway, which then stays current")
  void refusedConnectFailsOverAndSticks() {
    GatewayFailover failover = new GatewayFailover(List.of(A, B));
    List<String> calls = new ArrayList<>();
    Map<String, Object> aDown = Map.of(A, new ConnectException("refused"), B, 200);
    assertThat(result(failover.send(gateways(aDown, calls), GatewayFailoverTest::unopened)))
        .isEqualTo(200);
    assertThat(failover.current()).isEqualTo(B);
    result(failover.send(gateways(aDown, calls), GatewayFailoverTest::unopened));
    assertThat(calls).containsExactly(A, B, B);
  }

  @Test
  @DisplayName(
      "a request the current gateway could not open is tried at the next, whose answer counts")
  void unopenedRequestTriesTheNext() {
    GatewayFailover failover = new GatewayFailover(List.of(A, B));
    List<String> calls = new ArrayList<>();
    assertThat(
            result(
                failover.send(
                    gateways(Map.of(A, 400, B, 200), calls), GatewayFailoverTest::unopened)))
        .isEqualTo(200);
    assertThat(calls).containsExactly(A, B);
    assertThat(failover.current()).isEqualTo(B);
  }

  @Test
  @DisplayName(
      "when no gateway can open it, the client gets the 400 (so it fetches keys again), not a 502")
  void staleKeysGetThe400EvenIfAGatewayIsDown() {
    GatewayFailover failover = new GatewayFailover(List.of(A, B, C));
    List<String> calls = new ArrayList<>();
    Map<String, Object> behaviour =
        Map.of(A, new ConnectException("refused"), B, 400, C, new ConnectException("refused"));
    assertThat(result(failover.send(gateways(behaviour, calls), GatewayFailoverTest::unopened)))
        .isEqualTo(400);
    assertThat(calls).containsExactly(A, B, C);
    assertThat(failover.current()).as("no gateway served, the current one is kept").isEqualTo(A);
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
