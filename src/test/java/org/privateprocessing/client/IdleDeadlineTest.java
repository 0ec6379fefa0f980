package org.privateprocessing.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link IdleDeadline} on a real Vert.x timer, and the options that set it. */
class IdleDeadlineTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("silence past the deadline fires it once; touches before it keep it quiet")
  void firesOnceAfterSilence() throws Exception {
    AtomicInteger fired = new AtomicInteger();
    IdleDeadline idle = new IdleDeadline(vertx, 1_000);
    idle.start(fired::incrementAndGet);
    for (int i = 0; i < 15; i++) { // 1.5 s of pieces 100 ms apart
      Thread.sleep(100);
      idle.touch();
    }
    assertThat(fired).hasValue(0);
    Thread.sleep(2_500);
    assertThat(fired).hasValue(1);
    idle.touch();
    idle.resume();
    Thread.sleep(1_500);
    assertThat(fired).hasValue(1);
  }

  @Test
  @DisplayName("paused, the silence does not count; resumed, it counts from then; stopped, never")
  void pausedAndStopped() throws Exception {
    AtomicInteger fired = new AtomicInteger();
    IdleDeadline idle = new IdleDeadline(vertx, 1_000);
    idle.start(fired::incrementAndGet);
    idle.pause();
    Thread.sleep(1_500);
    assertThat(fired).hasValue(0);
    idle.resume();
    Thread.sleep(100);
    assertThat(fired).hasValue(0);
    Thread.sleep(2_500);
    assertThat(fired).hasValue(1);

    AtomicInteger never = new AtomicInteger();
    IdleDeadline done = new IdleDeadline(vertx, 200);
    done.start(never::incrementAndGet);
    done.stop();
    done.resume();
    Thread.sleep(600);
    assertThat(never).hasValue(0);
  }

  @Test
  @DisplayName("the idle deadline must be above 0, in the options as in the deadline")
  void mustBePositive() {
    ClientOptions o = ClientOptions.forRelay("http://127.0.0.1:1");
    assertThat(o.streamIdleMs()).isEqualTo(ClientOptions.DEFAULT_STREAM_IDLE_MS);
    assertThat(o.withStreamIdleMs(1_500).streamIdleMs()).isEqualTo(1_500);
    assertThat(o.withStreamIdleMs(1_500).withTimeoutMs(7).streamIdleMs()).isEqualTo(1_500);
    assertThatThrownBy(() -> o.withStreamIdleMs(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeouts must be above 0");
    assertThatThrownBy(() -> o.withStreamIdleMs(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IdleDeadline(vertx, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
