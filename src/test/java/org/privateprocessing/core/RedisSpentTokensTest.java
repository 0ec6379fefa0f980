package org.privateprocessing.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.issuer.IssuerKeys;
import org.privateprocessing.issuer.TestTokens;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenTypes;

/** Spent tokens in a real redis-server on 127.0.0.1 (no mock): shared, durable, fail closed. */
class RedisSpentTokensTest {
  @TempDir Path dir;
  private Vertx vertx;
  private RedisServer redis;
  private final TestTokens.MutableClock clock = new TestTokens.MutableClock();
  private final IssuerKeys keys = TestTokens.keys(clock, TokenTypes.BLIND_RSA_2048);

  @BeforeEach
  void setUp() {
    RedisServer.assumeInstalled();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (redis != null) {
      redis.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static StateStoreOptions.Redis options(String url, JsonObject more) {
    JsonObject r = new JsonObject().put("url", url).put("timeoutMs", 500);
    more.forEach(e -> r.put(e.getKey(), e.getValue()));
    return StateStoreOptions.fromJson(
            new JsonObject()
                .put("stateStore", new JsonObject().put("type", "redis").put("redis", r)))
        .redis();
  }

  private RedisStore connect(JsonObject more) throws Exception {
    return await(RedisStore.connect(vertx, options(redis.url(), more)));
  }

  private CredentialCheck check(SpentTokens spent) {
    return new CredentialCheck("issuer.test", "gateway.test", keys, spent, clock);
  }

  private Token mint(CredentialCheck c) throws Exception {
    return TestTokens.mint(keys, c.challenges().get(0), clock.instant());
  }

  private static Optional<String> header(Token t) {
    return Optional.of(PrivateTokenAuthorization.header(t));
  }

  private static PipelineException refusal(Future<Void> f) {
    Throwable t = null;
    try {
      await(f);
    } catch (ExecutionException e) {
      t = e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(t).as("expected a refusal").isInstanceOf(PipelineException.class);
    return (PipelineException) t;
  }

  @Test
  @DisplayName(
      "a token spent at one gateway is refused at another sharing the Redis; its key expires")
  void sharedAcrossGateways() throws Exception {
    redis = RedisServer.start(dir, "always");
    RedisStore a = connect(new JsonObject());
    RedisStore b = connect(new JsonObject());
    CredentialCheck gatewayA = check(new RedisSpentTokens(a, clock));
    CredentialCheck gatewayB = check(new RedisSpentTokens(b, clock));
    Token token = mint(gatewayA);
    await(gatewayA.check(header(token)));
    assertThat(refusal(gatewayB.check(header(token))).is(ProblemType.TOKEN_REPLAYED)).isTrue();
    assertThat(refusal(gatewayA.check(header(token))).is(ProblemType.TOKEN_REPLAYED)).isTrue();

    // The entry lives as long as its key is accepted, no longer; and is a hash, not the token.
    String key = a.key("spent:" + RedisSpentTokens.key(token.tokenKeyId(), token.nonce()));
    long pttl = await(a.send(Request.cmd(Command.PTTL).arg(key))).toLong();
    long untilRetired =
        keys.byKeyId(token.tokenKeyId(), clock.instant()).orElseThrow().retiredAt().toEpochMilli()
            - clock.millis();
    assertThat(pttl).isBetween(untilRetired - 60_000, untilRetired);
    assertThat(await(a.send(Request.cmd(Command.DBSIZE))).toLong()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "Redis killed (-9): 503 spent-token-store-unavailable, then service resumes by itself; a"
          + " token spent before the kill stays spent (appendfsync always)")
  void redisKilledAndBack() throws Exception {
    redis = RedisServer.start(dir, "always");
    RedisStore store = connect(new JsonObject());
    CredentialCheck gateway = check(new RedisSpentTokens(store, clock));
    Token before = mint(gateway);
    await(gateway.check(header(before)));

    redis.kill();
    Token during = mint(gateway);
    PipelineException down = refusal(gateway.check(header(during)));
    assertThat(down.is(ProblemType.SPENT_TOKEN_STORE_UNAVAILABLE)).isTrue();
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.headers()).containsEntry("retry-after", "5");
    assertThat(down.getMessage()).doesNotContain("127.0.0.1").doesNotContain("Connection");

    redis.start();
    // No restart of the gateway: the pool reconnects on the next request.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        await(gateway.check(header(during)));
        break;
      } catch (ExecutionException e) {
        assertThat(System.nanoTime()).as("resumed within 20 s").isLessThan(deadline);
        Thread.sleep(200);
      }
    }
    assertThat(refusal(gateway.check(header(before))).is(ProblemType.TOKEN_REPLAYED)).isTrue();
    assertThat(refusal(gateway.check(header(during))).is(ProblemType.TOKEN_REPLAYED)).isTrue();
  }

  @Test
  @DisplayName("a hung Redis (SIGSTOP) is refused after timeoutMs, not waited on; resumes after")
  void hungRedisTimesOut() throws Exception {
    redis = RedisServer.start(dir, "always");
    RedisStore store = connect(new JsonObject());
    CredentialCheck gateway = check(new RedisSpentTokens(store, clock));
    await(gateway.check(header(mint(gateway))));
    redis.pause();
    try {
      long t0 = System.nanoTime();
      PipelineException e = refusal(gateway.check(header(mint(gateway))));
      assertThat(e.is(ProblemType.SPENT_TOKEN_STORE_UNAVAILABLE)).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(10_000);
    } finally {
      redis.resume();
    }
    Token after = mint(gateway);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        await(gateway.check(header(after)));
        break;
      } catch (ExecutionException e) {
        assertThat(System.nanoTime()).as("resumed within 20 s").isLessThan(deadline);
        Thread.sleep(200);
      }
    }
  }

  @Test
  @DisplayName(
      "Redis down at start: the node starts, refuses with 503, and serves once Redis is up")
  void downAtStart() throws Exception {
    redis = RedisServer.start(dir, "always");
    redis.kill();
    RedisStore store = connect(new JsonObject());
    CredentialCheck gateway = check(new RedisSpentTokens(store, clock));
    Token token = mint(gateway);
    assertThat(refusal(gateway.check(header(token))).is(ProblemType.SPENT_TOKEN_STORE_UNAVAILABLE))
        .isTrue();
    redis.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        await(gateway.check(header(token)));
        break;
      } catch (ExecutionException e) {
        assertThat(System.nanoTime()).as("resumed within 20 s").isLessThan(deadline);
        Thread.sleep(200);
      }
    }
  }

  @Test
  @DisplayName("a Redis without its append-only file is refused at start, saying how to fix it")
  void notDurableRefused() throws Exception {
    redis = RedisServer.start(dir, "always", "--appendonly", "no");
    assertThatThrownBy(() -> connect(new JsonObject()))
        .hasRootCauseInstanceOf(IllegalArgumentException.class)
        .rootCause()
        .hasMessageContaining("stateStore.redis")
        .hasMessageContaining("aof_enabled:0")
        .hasMessageContaining("--appendonly yes");
  }

  @Test
  @DisplayName("a Redis that may evict keys when full is refused at start, saying how to fix it")
  void evictingRedisRefused() throws Exception {
    redis = RedisServer.start(dir, "always", "--maxmemory-policy", "allkeys-lru");
    assertThatThrownBy(() -> connect(new JsonObject()))
        .rootCause()
        .hasMessageContaining("maxmemory_policy")
        .hasMessageContaining("noeviction");
  }

  @Test
  @DisplayName("AUTH: the password from an owner-only file works; none or a wrong one refuse start")
  void passwordAuth() throws Exception {
    redis = RedisServer.start(dir, "always", "--requirepass", "s3cret-for-tests");
    Path good = dir.resolve("redis.pass");
    Files.writeString(good, "s3cret-for-tests\n");
    Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("rw-------"));
    RedisStore store = connect(new JsonObject().put("passwordFile", good.toString()));
    CredentialCheck gateway = check(new RedisSpentTokens(store, clock));
    await(gateway.check(header(mint(gateway))));

    assertThatThrownBy(() -> connect(new JsonObject()))
        .rootCause()
        .hasMessageContaining("stateStore.redis")
        .hasMessageContaining("NOAUTH");
    Path wrong = dir.resolve("wrong.pass");
    Files.writeString(wrong, "nope");
    Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> connect(new JsonObject().put("passwordFile", wrong.toString())))
        .rootCause()
        .hasMessageContaining("stateStore.redis")
        .hasMessageContaining("WRONGPASS");
  }

  @Test
  @DisplayName(
      "a token whose key retires now is still recorded (for a millisecond), never accepted twice")
  void expiringKey() throws Exception {
    redis = RedisServer.start(dir, "always");
    RedisSpentTokens spent = new RedisSpentTokens(connect(new JsonObject()), clock);
    byte[] id = FileSpentTokensTest.bytes(32);
    byte[] nonce = FileSpentTokensTest.bytes(32);
    assertThat(await(spent.redeem(id, nonce, Instant.now().plusSeconds(60)))).isTrue();
    assertThat(await(spent.redeem(id, nonce, Instant.now().plusSeconds(60)))).isFalse();
    assertThat(await(spent.redeem(id, FileSpentTokensTest.bytes(32), clock.now.minusSeconds(1))))
        .isTrue();
  }
}
