package org.privateprocessing.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.RedisServer;
import org.privateprocessing.core.RedisStore;
import org.privateprocessing.core.StateStoreOptions;

/** The accounts' issuance windows in each store: limits hold across restarts and replicas. */
class IssuanceWindowsTest {
  @TempDir Path dir;
  private final TestTokens.MutableClock clock = new TestTokens.MutableClock();
  private final Duration window = Duration.ofSeconds(3_600);

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private FileIssuanceWindows file() throws IOException {
    return FileIssuanceWindows.open(dir, 3, window, clock);
  }

  @Test
  @DisplayName("file: the limit holds across a restart; a slot given back counts again")
  void fileLimitSurvivesRestart() throws Exception {
    try (FileIssuanceWindows w = file()) {
      assertThat(await(w.tryAcquire("alice", clock.now))).isZero();
      assertThat(await(w.tryAcquire("alice", clock.now))).isZero();
      assertThat(await(w.tryAcquire("bob", clock.now))).isZero();
    }
    clock.now = clock.now.plusSeconds(600);
    try (FileIssuanceWindows w = file()) {
      assertThat(await(w.tryAcquire("alice", clock.now))).isZero();
      assertThat(await(w.tryAcquire("alice", clock.now)))
          .as("wait until the window ends")
          .isEqualTo(3_000);
      await(w.release("alice"));
    }
    try (FileIssuanceWindows w = file()) {
      assertThat(await(w.tryAcquire("alice", clock.now))).isZero();
      assertThat(await(w.tryAcquire("alice", clock.now))).isPositive();
      clock.now = clock.now.plusSeconds(3_000);
      assertThat(await(w.tryAcquire("alice", clock.now))).as("a new window").isZero();
    }
    byte[] content = Files.readAllBytes(dir.resolve(FileIssuanceWindows.FILE_NAME));
    assertThat(new String(content, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("alice")
        .doesNotContain("bob");
  }

  @Test
  @DisplayName("file: a damaged record refuses start, naming the file")
  void fileDamageRefused() throws Exception {
    try (FileIssuanceWindows w = file()) {
      await(w.tryAcquire("alice", clock.now));
      await(w.tryAcquire("bob", clock.now));
    }
    Path f = dir.resolve(FileIssuanceWindows.FILE_NAME);
    byte[] content = Files.readAllBytes(f);
    content[10] ^= 1;
    Files.write(f, content);
    assertThatThrownBy(this::file)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("offset 8");
  }

  @Test
  @DisplayName("file: a closed store refuses issuance (503 issuance-store-unavailable)")
  void closedFileRefuses() throws Exception {
    FileIssuanceWindows w = file();
    w.close();
    assertThatThrownBy(() -> await(w.tryAcquire("alice", clock.now)))
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  @DisplayName("redis: two issuer replicas share one window per account; down -> refused")
  void redisSharedByReplicas() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisServer redis = RedisServer.start(dir.resolve("redis"), "always")) {
      StateStoreOptions.Redis o =
          StateStoreOptions.fromJson(
                  new JsonObject()
                      .put(
                          "stateStore",
                          new JsonObject()
                              .put("type", "redis")
                              .put(
                                  "redis",
                                  new JsonObject().put("url", redis.url()).put("timeoutMs", 500))))
              .redis();
      RedisIssuanceWindows a =
          new RedisIssuanceWindows(await(RedisStore.connect(vertx, o)), 3, window);
      RedisIssuanceWindows b =
          new RedisIssuanceWindows(await(RedisStore.connect(vertx, o)), 3, window);
      assertThat(await(a.tryAcquire("alice", clock.now))).isZero();
      assertThat(await(b.tryAcquire("alice", clock.now))).isZero();
      assertThat(await(a.tryAcquire("alice", clock.now))).isZero();
      long wait = await(b.tryAcquire("alice", clock.now));
      assertThat(wait).isBetween(3_590L, 3_600L);
      assertThat(await(a.tryAcquire("bob", clock.now))).isZero();
      await(b.release("alice"));
      assertThat(await(a.tryAcquire("alice", clock.now))).isZero();
      assertThat(await(a.tryAcquire("alice", clock.now))).isPositive();

      redis.kill();
      assertThatThrownBy(() -> await(a.tryAcquire("carol", clock.now)))
          .isInstanceOf(ExecutionException.class);
      redis.start();
      // Back by itself, and the count survived the kill (appendfsync always).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      long again;
      while (true) {
        try {
          again = await(a.tryAcquire("alice", clock.now));
          break;
        } catch (ExecutionException e) {
          assertThat(System.nanoTime()).isLessThan(deadline);
          Thread.sleep(200);
        }
      }
      assertThat(again).isPositive();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName(
      "an issuer whose window store fails refuses with 503 issuance-store-unavailable, issuing"
          + " nothing; with a durable file store it issues until the limit, across a restart")
  void issuerRefusesWhenStoreFails() throws Exception {
    IssuerKeys keys = TestTokens.keys(clock, org.privateprocessing.token.TokenTypes.VOPRF_P384);
    IssuerOptions options =
        IssuerOptions.fromJson(
            new JsonObject()
                .put("tokenTypes", new io.vertx.core.json.JsonArray().add(1))
                .put("tokensPerWindow", 2));
    java.util.function.Supplier<byte[]> request =
        () -> {
          var key =
              keys.current(org.privateprocessing.token.TokenTypes.VOPRF_P384, clock.now)
                  .orElseThrow();
          var challenge =
              new org.privateprocessing.token.TokenChallenge(
                  org.privateprocessing.token.TokenTypes.VOPRF_P384,
                  "issuer.test",
                  new byte[0],
                  java.util.List.of("gateway.test"));
          try {
            return org.privateprocessing.token.TokenIssuance.begin(
                    key.key().tokenKey(), challenge, TestTokens.RANDOM)
                .request()
                .encode();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    IssuanceWindows failing =
        new IssuanceWindows() {
          @Override
          public Future<Long> tryAcquire(String account, java.time.Instant now) {
            return Future.failedFuture(new IOException("disk gone"));
          }

          @Override
          public Future<Void> release(String account) {
            return Future.succeededFuture();
          }
        };
    IssuerService broken = new IssuerService(options, keys, failing, clock);
    assertThatThrownBy(
            () -> broken.issue(java.util.Optional.of("Bearer demo"), request.get(), "127.0.0.1"))
        .isInstanceOfSatisfying(
            org.privateprocessing.core.PipelineException.class,
            e -> {
              assertThat(e.is(org.privateprocessing.core.ProblemType.ISSUANCE_STORE_UNAVAILABLE))
                  .isTrue();
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.headers()).containsEntry("retry-after", "5");
              assertThat(e.getMessage()).doesNotContain("disk gone");
            });

    try (FileIssuanceWindows w = FileIssuanceWindows.open(dir, 2, window, clock)) {
      IssuerService s = new IssuerService(options, keys, w, clock);
      assertThat(s.issue(java.util.Optional.of("Bearer demo"), request.get(), "127.0.0.1"))
          .isNotNull();
    }
    try (FileIssuanceWindows w = FileIssuanceWindows.open(dir, 2, window, clock)) {
      IssuerService s = new IssuerService(options, keys, w, clock);
      assertThat(s.issue(java.util.Optional.of("Bearer demo"), request.get(), "127.0.0.1"))
          .isNotNull();
      assertThatThrownBy(
              () -> s.issue(java.util.Optional.of("Bearer demo"), request.get(), "127.0.0.1"))
          .isInstanceOfSatisfying(
              org.privateprocessing.core.PipelineException.class,
              e -> assertThat(e.is(org.privateprocessing.core.ProblemType.RATE_LIMITED)).isTrue());
    }
  }
}
