package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.node.PrivatePathTest;

/** A plaintext message sent any way but local-only fails at once, not after a send timeout. */
class LocalOnlyGuardTest {
  private static final long LONG_TIMEOUT_MS = 600_000;
  private Vertx vertx;
  private final AtomicInteger received = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    Codecs.register(vertx); // idempotent: the guard is installed once
    PrivatePathTest.await(
        vertx
            .eventBus()
            .<LocalOnly<String>>consumer(
                "plain",
                m -> {
                  received.incrementAndGet();
                  m.reply("ok");
                })
            .completion());
  }

  @AfterEach
  void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
  }

  private Throwable failure(Object body, DeliveryOptions options) throws Exception {
    try {
      // A send timeout of ten minutes: only an immediate refusal ends this within the get() bound.
      vertx
          .eventBus()
          .request("plain", body, options.setSendTimeout(LONG_TIMEOUT_MS))
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a refusal");
  }

  @Test
  @DisplayName(
      "a LocalOnly sent with default options is refused before delivery with a clear ERROR reply")
  void localOnlyWithoutLocalDeliveryIsRefusedAtOnce() throws Exception {
    Throwable refused = failure(new LocalOnly<>("plaintext"), new DeliveryOptions());
    assertThat(refused)
        .isInstanceOfSatisfying(
            ReplyException.class,
            r -> {
              assertThat(r.failureType()).isEqualTo(ReplyFailure.ERROR);
              assertThat(r.failureCode()).isEqualTo(500);
              assertThat(r.getMessage())
                  .contains("local-only")
                  .contains("LocalOnlyCodec.delivery()")
                  .doesNotContain("plaintext\"");
            });
    assertThat(received).hasValue(0);
  }

  @Test
  @DisplayName(
      "setting local-only by hand is not enough: the guard wants LocalOnlyCodec.delivery()")
  void handMadeLocalOnlyOptionsAreRefused() throws Exception {
    Throwable refused =
        failure(new LocalOnly<>("x"), new DeliveryOptions().setCodecName(LocalOnlyCodec.NAME));
    assertThat(refused).isInstanceOf(ReplyException.class);
    assertThat(received).hasValue(0);
  }

  @Test
  @DisplayName("a LocalOnly sent with LocalOnlyCodec.delivery() is delivered to the local consumer")
  void localOnlyWithDeliveryArrives() throws Exception {
    Object reply =
        PrivatePathTest.await(
                vertx.eventBus().request("plain", new LocalOnly<>("x"), LocalOnlyCodec.delivery()))
            .body();
    assertThat(reply).isEqualTo("ok");
    assertThat(received).hasValue(1);
  }

  @Test
  @DisplayName(
      "local-only delivery to an address with no consumer on this node fails at once with NO_HANDLERS")
  void noLocalConsumerIsNoHandlers() throws Exception {
    Throwable none;
    try {
      vertx
          .eventBus()
          .request(
              "nobody-here",
              new LocalOnly<>("x"),
              LocalOnlyCodec.delivery().setSendTimeout(LONG_TIMEOUT_MS))
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      throw new AssertionError("expected NO_HANDLERS");
    } catch (ExecutionException e) {
      none = e.getCause();
    }
    assertThat(none)
        .isInstanceOfSatisfying(
            ReplyException.class,
            r -> assertThat(r.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
  }

  @Test
  @DisplayName("other bodies pass the guard untouched")
  void otherBodiesPass() throws Exception {
    assertThat(PrivatePathTest.await(vertx.eventBus().request("plain", "not wrapped")).body())
        .isEqualTo("ok");
  }
}
