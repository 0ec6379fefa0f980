package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.privateprocessing.LogCapture;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.ratls.RaTlsClients;
import org.privateprocessing.attest.ratls.RaTlsFixtures;
import org.privateprocessing.attest.ratls.RaTlsTrustManager;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.issuer.IssuerKeys;
import org.privateprocessing.issuer.TestTokens;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.PrivateTokenChallenge;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenTypes;

/**
 * Issue #14 finding 3: the RA-TLS listener admits callers as the OHTTP path does. A Privacy Pass
 * token per request (the gateway's challenge, its spent-token store), the enclave's in-flight limit
 * (shared with the OHTTP path), the gateway's 64 KiB body limit; whoever fails any of them gets a
 * problem and no model time, and nothing is buffered beyond the limit.
 */
@ExtendWith(VertxExtension.class)
class RaTlsAdmissionTest {
  private static final String CHAT = EnclaveApiTest.CHAT.formatted("false");
  private static KeyPair key;
  private static EnclaveEvidence evidence;
  private static X509Certificate cert;

  @RegisterExtension final LogCapture log = LogCapture.everything();
  private final List<LogRecord> logged = log.records();

  @BeforeAll
  static void setUp() {
    key = RaTlsFixtures.p256();
    evidence = RaTlsFixtures.evidence(key);
    cert = RaTlsFixtures.certificate(key, evidence);
  }

  @AfterEach
  void noStackTraces() {
    assertThat(logged)
        .as("refusals log no stack trace")
        .noneMatch(r -> r.getThrown() != null)
        .noneMatch(r -> String.valueOf(r.getMessage()).contains("Exception"));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static RaTlsTrustManager trust() {
    return new RaTlsTrustManager(
        RaTlsFixtures.policy(),
        RaTlsFixtures.anchors(),
        Clock.fixed(RaTlsFixtures.NOW, ZoneOffset.UTC));
  }

  record Answer(int status, MultiMap headers, Buffer body) {
    Problem problem() throws Exception {
      assertThat(headers.get("content-type")).isEqualTo(Problem.MEDIA_TYPE);
      return Problem.parse(body.getBytes());
    }

    String slug() throws Exception {
      return problem().type().substring(Problem.TYPE_PREFIX.length());
    }
  }

  private static HttpClientAgent client(Vertx vertx, int connections) {
    return vertx.createHttpClient(
        RaTlsClients.httpClientOptions(trust()), new PoolOptions().setHttp1MaxSize(connections));
  }

  private static Future<Answer> send(
      HttpClientAgent client, int port, String authorization, String body) {
    return client
        .request(HttpMethod.POST, port, "127.0.0.1", "/v1/summarize")
        .compose(
            req -> {
              req.putHeader("content-type", "application/json");
              if (authorization != null) {
                req.putHeader("authorization", authorization);
              }
              return req.send(Buffer.buffer(body));
            })
        .compose(r -> r.body().map(b -> new Answer(r.statusCode(), r.headers(), b)));
  }

  private static Answer post(Vertx vertx, int port, String authorization, String body)
      throws Exception {
    HttpClientAgent client = client(vertx, 1);
    try {
      return await(send(client, port, authorization, body));
    } finally {
      client.close();
    }
  }

  private int deploy(Vertx vertx, RaTlsListener listener) throws Exception {
    return await(listener.deploy(vertx, key, cert, evidence)).actualPort();
  }

  @Test
  @DisplayName(
      "no token: 401 missing-token with the gateway's challenge in WWW-Authenticate, and the model is never called")
  void noTokenIsRefused(Vertx vertx) throws Exception {
    RaTlsListener listener = new RaTlsListener();
    Answer a = post(vertx, deploy(vertx, listener), null, CHAT);
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.slug()).isEqualTo("missing-token");
    List<PrivateTokenChallenge> challenges =
        PrivateTokenChallenge.parseWwwAuthenticate(a.headers().get("www-authenticate"));
    assertThat(challenges).hasSize(1);
    TokenChallenge challenge = challenges.get(0).challenge();
    assertThat(challenge.tokenType()).isEqualTo(TokenTypes.BLIND_RSA_2048);
    assertThat(challenge.originInfo()).containsExactly(RaTlsListener.ORIGIN);
    assertThat(challenge.encode()).isEqualTo(listener.credentials.challenges().get(0).encode());
    assertThat(listener.model.calls).hasValue(0);
    assertThat(listener.limiter.inFlight()).isZero();
  }

  @Test
  @DisplayName("a valid token: 200 with the summary; the same token again: 401 token-replayed")
  void validTokenOnce(Vertx vertx) throws Exception {
    RaTlsListener listener = new RaTlsListener();
    int port = deploy(vertx, listener);
    String token = listener.token();
    Answer ok = post(vertx, port, token, CHAT);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(SummarizeResponse.parse(ok.body().getBytes()).summary()).isNotBlank();
    Answer again = post(vertx, port, token, CHAT);
    assertThat(again.status()).isEqualTo(401);
    assertThat(again.slug()).isEqualTo("token-replayed");
    assertThat(again.headers().get("www-authenticate")).startsWith("PrivateToken ");
    assertThat(listener.model.calls).hasValue(1);
    assertThat(listener.spent.size()).isEqualTo(1);
    assertThat(listener.limiter.inFlight()).isZero();
  }

  @Test
  @DisplayName(
      "one spent-token store for both paths: a token spent at the gateway is refused here, and one spent here at the gateway")
  void oneStoreForBothPaths(Vertx vertx) throws Exception {
    RaTlsListener listener = new RaTlsListener();
    int port = deploy(vertx, listener);
    String spentAtGateway = listener.token();
    String passed = await(listener.gateway.check(Optional.of(spentAtGateway)).map(v -> "passed"));
    assertThat(passed).isEqualTo("passed");
    Answer here = post(vertx, port, spentAtGateway, CHAT);
    assertThat(here.status()).isEqualTo(401);
    assertThat(here.slug()).isEqualTo("token-replayed");

    String spentHere = listener.token();
    assertThat(post(vertx, port, spentHere, CHAT).status()).isEqualTo(200);
    Throwable atGateway = listener.gateway.check(Optional.of(spentHere)).cause();
    assertThat(atGateway).isInstanceOf(PipelineException.class);
    assertThat(((PipelineException) atGateway).problem().type()).endsWith(":token-replayed");
    assertThat(listener.model.calls).hasValue(1);
  }

  @Test
  @DisplayName(
      "bad tokens are 401 problems naming the check, spend nothing and never reach the model")
  void badTokensAreRefused(Vertx vertx) throws Exception {
    RaTlsListener listener = new RaTlsListener();
    int port = deploy(vertx, listener);
    byte[] encoded =
        TestTokens.mint(
                listener.issuerKeys,
                listener.credentials.challenges().get(0),
                listener.tokenClock.instant())
            .encode();
    byte[] forged = encoded.clone();
    forged[forged.length - 1] ^= 1;
    IssuerKeys otherIssuer = TestTokens.keys(listener.tokenClock, TokenTypes.BLIND_RSA_2048);
    TokenChallenge elsewhere =
        new TokenChallenge(
            TokenTypes.BLIND_RSA_2048, RaTlsListener.ISSUER, new byte[0], List.of("other.origin"));
    String[][] cases = {
      {"Bearer abc", "malformed-token"},
      {"PrivateToken token=\"***\"", "malformed-token"},
      {
        "PrivateToken token=\"" + b64(java.util.Arrays.copyOf(encoded, 40)) + "\"",
        "malformed-token"
      },
      {"PrivateToken token=\"" + b64(forged) + "\"", "invalid-token"},
      {
        PrivateTokenAuthorization.header(
            TestTokens.mint(
                otherIssuer, listener.credentials.challenges().get(0), listener.tokenClock.now)),
        "unknown-token-key"
      },
      {
        PrivateTokenAuthorization.header(
            TestTokens.mint(listener.issuerKeys, elsewhere, listener.tokenClock.now)),
        "wrong-challenge"
      },
    };
    for (String[] c : cases) {
      Answer a = post(vertx, port, c[0], CHAT);
      assertThat(a.status()).as(c[1]).isEqualTo(401);
      assertThat(a.slug()).as(c[0]).isEqualTo(c[1]);
      assertThat(a.problem().detail()).isNotBlank();
    }
    assertThat(listener.model.calls).hasValue(0);
    assertThat(listener.spent.size()).isZero();
    assertThat(listener.limiter.inFlight()).isZero();
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Test
  @DisplayName(
      "a body announced at 1 MiB gets 413 before it is sent (1 KiB of it was), spends no token and never reaches the model")
  void largeBodyRefusedUnread(Vertx vertx) throws Exception {
    RaTlsListener listener = new RaTlsListener();
    int port = deploy(vertx, listener);
    String token = listener.token();
    HttpClientAgent client = client(vertx, 1);
    try {
      HttpClientRequest req =
          await(client.request(HttpMethod.POST, port, "127.0.0.1", "/v1/summarize"));
      req.putHeader("content-type", "application/json")
          .putHeader("authorization", token)
          .putHeader("content-length", Integer.toString(1 << 20));
      req.write(Buffer.buffer(new byte[1024]));
      // The rest of the mebibyte is never sent: the answer must come anyway.
      Answer a =
          await(
              req.response()
                  .compose(r -> r.body().map(b -> new Answer(r.statusCode(), r.headers(), b))));
      assertThat(a.status()).isEqualTo(413);
      assertThat(a.slug()).isEqualTo("body-too-large");
    } finally {
      client.close();
    }
    assertThat(listener.spent.size()).as("no token spent").isZero();
    assertThat(listener.model.calls).hasValue(0);
    awaitIdle(listener);
    // The token is still good.
    assertThat(post(vertx, port, token, CHAT).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a chunked body past 64 KiB is cut off with 413; one at the limit is read")
  void chunkedBodyLimit(Vertx vertx) throws Exception {
    RaTlsListener listener = new RaTlsListener();
    int port = deploy(vertx, listener);
    String padded = "{\"x\":\"" + "a".repeat(RaTlsListener.MAX_BODY) + "\"}";
    HttpClientAgent client = client(vertx, 1);
    try {
      HttpClientRequest req =
          await(client.request(HttpMethod.POST, port, "127.0.0.1", "/v1/summarize"));
      req.setChunked(true)
          .putHeader("content-type", "application/json")
          .putHeader("authorization", listener.token());
      Answer a =
          await(
              req.send(Buffer.buffer(padded))
                  .compose(r -> r.body().map(b -> new Answer(r.statusCode(), r.headers(), b))));
      assertThat(a.status()).isEqualTo(413);
    } finally {
      client.close();
    }
    String atLimit =
        "{\"x\":\"" + "a".repeat(RaTlsListener.MAX_BODY - "{\"x\":\"\"}".length()) + "\"}";
    Answer read = post(vertx, port, listener.token(), atLimit);
    assertThat(read.status()).as("read, then refused by the API").isEqualTo(400);
    assertThat(read.slug()).isEqualTo("invalid-request");
    assertThat(listener.model.calls).hasValue(0);
  }

  @Test
  @DisplayName(
      "the OHTTP path's work counts: with the shared limit taken, RA-TLS gets 503 overloaded with Retry-After, spending nothing")
  void sharedLimitRefuses(Vertx vertx) throws Exception {
    RaTlsListener listener = new RaTlsListener(2);
    int port = deploy(vertx, listener);
    // What InferenceVerticle holds while two OHTTP requests run.
    assertThat(listener.limiter.tryAcquire()).isTrue();
    assertThat(listener.limiter.tryAcquire()).isTrue();
    String token = listener.token();
    Answer busy = post(vertx, port, token, CHAT);
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.slug()).isEqualTo("overloaded");
    assertThat(busy.headers().get("retry-after")).isEqualTo("1");
    assertThat(listener.spent.size()).isZero();
    assertThat(listener.model.calls).hasValue(0);
    listener.limiter.release();
    assertThat(post(vertx, port, token, CHAT).status()).isEqualTo(200);
    listener.limiter.release();
    assertThat(listener.limiter.inFlight()).isZero();
  }

  @Test
  @DisplayName(
      "20 parallel requests against a limit of 4 while the model is held: 4 run, 16 get 503, never more than 4 at once")
  void parallelRequestsAreBounded(Vertx vertx) throws Exception {
    RaTlsListener listener = new RaTlsListener(4);
    int port = deploy(vertx, listener);
    listener.model.hold();
    HttpClientAgent client = client(vertx, 20);
    List<Future<Answer>> all = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        all.add(send(client, port, listener.token(), CHAT));
      }
      // Sixteen answers come back while four requests still hold the model.
      long deadline = System.currentTimeMillis() + 20_000;
      while (all.stream().filter(Future::isComplete).count() < 16
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      List<Future<Answer>> answered = all.stream().filter(Future::isComplete).toList();
      assertThat(answered).hasSize(16);
      for (Future<Answer> f : answered) {
        assertThat(f.result().status()).isEqualTo(503);
        assertThat(f.result().slug()).isEqualTo("overloaded");
      }
      assertThat(listener.limiter.inFlight()).isEqualTo(4);
      assertThat(listener.model.running).hasValue(4);
      listener.model.release();
      long ok = 0;
      for (Future<Answer> f : all) {
        if (await(f).status() == 200) {
          ok++;
        }
      }
      assertThat(ok).isEqualTo(4);
    } finally {
      listener.model.release();
      client.close();
    }
    assertThat(listener.model.mostAtOnce.get()).isLessThanOrEqualTo(4);
    assertThat(listener.model.calls).hasValue(4);
    awaitIdle(listener);
  }

  @Test
  @DisplayName(
      "20 parallel 1 MiB bodies (the finding's attack): without tokens all 401, with tokens all 413; none read, none reach the model")
  void parallelMebibytesAreRefused(Vertx vertx) throws Exception {
    RaTlsListener listener = new RaTlsListener();
    int port = deploy(vertx, listener);
    String big = "{\"x\":\"" + "a".repeat((1 << 20) - 20) + "\"}";
    HttpClientAgent client = client(vertx, 20);
    try {
      for (boolean withToken : new boolean[] {false, true}) {
        List<Future<Answer>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          all.add(send(client, port, withToken ? listener.token() : null, big));
        }
        for (Future<Answer> f : all) {
          assertThat(await(f).status()).isEqualTo(withToken ? 413 : 401);
        }
      }
    } finally {
      client.close();
    }
    assertThat(listener.model.calls).hasValue(0);
    assertThat(listener.spent.size()).isZero();
    awaitIdle(listener);
  }

  @Test
  @DisplayName(
      "a client that leaves in the middle of its body gives its slot back and spends nothing")
  void disconnectReleasesSlot(Vertx vertx) throws Exception {
    RaTlsListener listener = new RaTlsListener(1);
    int port = deploy(vertx, listener);
    HttpClientAgent client = client(vertx, 1);
    try {
      HttpClientRequest req =
          await(client.request(HttpMethod.POST, port, "127.0.0.1", "/v1/summarize"));
      req.putHeader("content-type", "application/json")
          .putHeader("authorization", listener.token())
          .putHeader("content-length", "4000");
      await(req.write(Buffer.buffer(new byte[100])));
      long deadline = System.currentTimeMillis() + 10_000;
      while (listener.limiter.inFlight() == 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertThat(listener.limiter.inFlight()).as("the slot is held while the body comes").isOne();
      await(req.connection().close());
    } finally {
      client.close();
    }
    awaitIdle(listener);
    assertThat(listener.spent.size()).isZero();
    assertThat(listener.model.calls).hasValue(0);
  }

  private static void awaitIdle(RaTlsListener listener) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (listener.limiter.inFlight() != 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertThat(listener.limiter.inFlight()).as("every slot given back").isZero();
  }
}
