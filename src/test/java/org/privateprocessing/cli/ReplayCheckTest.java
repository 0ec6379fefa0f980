package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.client.PrivateProcessingException.Source;
import org.privateprocessing.token.Token;

class ReplayCheckTest {
  private static final PrivateProcessingException REPLAYED =
      new PrivateProcessingException(
          Source.GATEWAY, 401, "https://private-processing.org/problems/token-replayed", "spent");
  private static final PrivateProcessingException UNAVAILABLE =
      new PrivateProcessingException(
          Source.GATEWAY,
          503,
          "https://private-processing.org/problems/spent-token-store-unavailable",
          "down");

  private static Token token(int n) {
    byte[] nonce = new byte[32];
    nonce[0] = (byte) n;
    return new Token(2, nonce, new byte[32], new byte[32], new byte[256]);
  }

  @Test
  @DisplayName(
      "a replay accepted after an answered first request is a double spend; after a failed one it is not")
  void classifies() {
    assertThat(ReplayCheck.classify(true, REPLAYED)).isEqualTo(ReplayCheck.Outcome.REFUSED);
    assertThat(ReplayCheck.classify(false, REPLAYED)).isEqualTo(ReplayCheck.Outcome.REFUSED);
    assertThat(ReplayCheck.classify(true, null)).isEqualTo(ReplayCheck.Outcome.DOUBLE_SPENT);
    assertThat(ReplayCheck.classify(false, null))
        .isEqualTo(ReplayCheck.Outcome.ACCEPTED_AFTER_FAILURE);
    assertThat(ReplayCheck.classify(true, UNAVAILABLE)).isEqualTo(ReplayCheck.Outcome.OTHER);
    assertThat(ReplayCheck.classify(true, new java.util.concurrent.CompletionException(REPLAYED)))
        .isEqualTo(ReplayCheck.Outcome.REFUSED);
    assertThat(ReplayCheck.classify(true, new IllegalStateException("no answer")))
        .isEqualTo(ReplayCheck.Outcome.OTHER);
  }

  @Test
  @DisplayName(
      "every recorded token is sent once more, at most N at a time, and the counts add up in the JSON line")
  void sendsEachOnceAndCounts() throws Exception {
    ReplayCheck check = new ReplayCheck();
    for (int i = 0; i < 10; i++) {
      check.record(token(i), i != 9);
    }
    Set<Integer> seen = new HashSet<>();
    // A store that spent tokens 0..7 and forgot 8 (answered: a double spend) and 9 (failed first).
    Future<Void> done =
        check.run(
            t -> {
              int n = t.nonce()[0];
              synchronized (seen) {
                assertThat(seen.add(n)).as("each token sent once").isTrue();
              }
              if (n == 5) {
                return Future.failedFuture(UNAVAILABLE);
              }
              return n >= 8 ? Future.succeededFuture() : Future.failedFuture(REPLAYED);
            },
            3);
    done.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(seen).hasSize(10);
    JsonObject json = check.putInto(new JsonObject());
    assertThat(json.getLong("replayChecked")).isEqualTo(10);
    assertThat(json.getLong("replayRefused")).isEqualTo(7);
    assertThat(json.getLong("doubleSpent")).isEqualTo(1);
    assertThat(json.getLong("replayAcceptedAfterFailure")).isEqualTo(1);
    assertThat(json.getLong("replayOther")).isEqualTo(1);
    assertThat(json.getJsonObject("replayOtherByType").getLong("503 spent-token-store-unavailable"))
        .isEqualTo(1);
    assertThat(check.doubleSpent()).isEqualTo(1);
    assertThat(check.summary()).contains("1 double spent");
  }

  @Test
  @DisplayName("nothing recorded: the check completes at once with zeros")
  void empty() {
    ReplayCheck check = new ReplayCheck();
    assertThat(check.run(t -> Future.succeededFuture(), 4).succeeded()).isTrue();
    assertThat(check.putInto(new JsonObject()).getLong("replayChecked")).isZero();
  }
}
