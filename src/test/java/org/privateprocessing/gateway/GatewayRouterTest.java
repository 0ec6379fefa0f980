package org.privateprocessing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;
import org.privateprocessing.core.CredentialCheck;
import org.privateprocessing.core.InMemorySpentTokens;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.issuer.IssuerKeys;
import org.privateprocessing.issuer.TestTokens;
import org.privateprocessing.ohttp.EncapsulatedRequest;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenTypes;

/** The credential stage's routing, without Vert.x: enclaves are a plain in-memory link. */
class GatewayRouterTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final GatewayIdentity gateway = GatewayIdentity.generate(RANDOM);

  /** Echoes the inner bytes reversed, so a test can see exactly what reached the enclave. */
  private final EnclaveLink link =
      new EnclaveLink() {
        @Override
        public Future<byte[]> forward(String enclaveId, byte[] inner) {
          forwarded++;
          if ("dead".equals(enclaveId)) {
            return Future.failedFuture(
                PipelineException.of(
                    ProblemType.UNAVAILABLE, "no enclave is serving this id right now"));
          }
          byte[] reversed = new byte[inner.length];
          for (int i = 0; i < inner.length; i++) {
            reversed[i] = inner[inner.length - 1 - i];
          }
          return Future.succeededFuture(reversed);
        }
      };

  private int forwarded;
  private final TestTokens.MutableClock clock = new TestTokens.MutableClock();
  private final EnclaveRegistry registry = registry(clock, "e1", "dead", "left");
  private final InMemorySpentTokens spent = new InMemorySpentTokens(100, clock);
  private final IssuerKeys issuerKeys = TestTokens.keys(clock, TokenTypes.BLIND_RSA_2048);
  private final CredentialCheck credentials =
      new CredentialCheck("issuer.test", "gateway.test", issuerKeys, spent, clock);
  private final GatewayRouter router =
      new GatewayRouter(
          gateway,
          registry,
          link,
          credentials,
          "http://127.0.0.1:8082/.well-known/private-token-issuer-directory",
          RANDOM);

  /** "dead" announced but its link fails (died between beats); "left" said goodbye: GONE. */
  private static EnclaveRegistry registry(TestTokens.MutableClock clock, String... ids) {
    EnclaveRegistry r = new EnclaveRegistry(clock);
    for (String id : ids) {
      r.announce(
          new JsonObject()
              .put("id", id)
              .put("descriptor", new JsonObject().put("id", id))
              .put("ttlMs", 3_000));
    }
    r.leave(new JsonObject().put("id", "left"));
    return r;
  }

  private String freshToken() throws Exception {
    return PrivateTokenAuthorization.header(
        TestTokens.mint(issuerKeys, credentials.challenges().get(0), clock.instant()));
  }

  private BinaryHttpResponse roundTrip(BinaryHttpRequest request) throws Exception {
    return roundTrip(request.encode());
  }

  private BinaryHttpResponse roundTrip(byte[] bhttp) throws Exception {
    EncapsulatedRequest sealed =
        RequestEncapsulator.encapsulate(
            KeyConfigs.preferred(gateway.keyConfigs()).orElseThrow(), bhttp, RANDOM);
    byte[] answer =
        router
            .handle(sealed.bytes())
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    return BinaryHttpResponse.parse(sealed.opener().open(answer));
  }

  private BinaryHttpRequest toEnclave(String id, String contentType, byte[] body) throws Exception {
    return toEnclave(id, contentType, body, freshToken());
  }

  private static BinaryHttpRequest toEnclave(
      String id, String contentType, byte[] body, String authorization) {
    return BinaryHttpRequest.of(
        "POST",
        "https",
        "gateway",
        "/v1/enclave/" + id,
        List.of(new Field("content-type", contentType), new Field("authorization", authorization)),
        body);
  }

  @Test
  @DisplayName(
      "an inner request reaches the chosen enclave untouched and its answer comes back sealed")
  void forwardsToTheEnclave() throws Exception {
    BinaryHttpResponse response =
        roundTrip(toEnclave("e1", MediaTypes.OHTTP_REQUEST, new byte[] {1, 2, 3}));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("content-type")).contains(MediaTypes.OHTTP_RESPONSE);
    assertThat(response.content()).containsExactly(3, 2, 1);
  }

  @Test
  @DisplayName(
      "the enclave list holds the live enclaves only, with the token challenges and the issuer")
  void listsLiveEnclaves() throws Exception {
    BinaryHttpResponse response =
        roundTrip(
            BinaryHttpRequest.of(
                "GET", "https", "gateway", "/v1/enclaves", List.of(), new byte[0]));
    assertThat(response.status()).isEqualTo(200);
    JsonObject body = new JsonObject(new String(response.content(), StandardCharsets.UTF_8));
    assertThat(body.getJsonArray("enclaves").stream().map(e -> ((JsonObject) e).getString("id")))
        .containsExactly("dead", "e1");
    TokenChallenge listed =
        TokenChallenge.parse(Base64.getUrlDecoder().decode(body.getString("tokenChallenge")));
    assertThat(listed.encode()).isEqualTo(credentials.challenges().get(0).encode());
    assertThat(body.getString("issuer")).endsWith("/.well-known/private-token-issuer-directory");
  }

  @Test
  @DisplayName(
      "a request without a valid token gets an encapsulated 401 with a challenge, and reaches no enclave")
  void tokenIsRequired() throws Exception {
    BinaryHttpResponse missing =
        roundTrip(
            BinaryHttpRequest.of(
                "POST",
                "https",
                "gateway",
                "/v1/enclave/e1",
                List.of(new Field("content-type", MediaTypes.OHTTP_REQUEST)),
                new byte[] {1}));
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.header("www-authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("PrivateToken challenge="));

    String token = freshToken();
    assertThat(roundTrip(toEnclave("e1", MediaTypes.OHTTP_REQUEST, new byte[] {1}, token)).status())
        .isEqualTo(200);
    BinaryHttpResponse replay =
        roundTrip(toEnclave("e1", MediaTypes.OHTTP_REQUEST, new byte[] {1}, token));
    assertThat(replay.status()).isEqualTo(401);
    assertThat(Problem.parse(replay.content()).type()).endsWith("token-replayed");
  }

  @Test
  @DisplayName(
      "a request refused before the token check (unknown enclave, wrong type) does not spend its token")
  void refusedRequestsSpendNoToken() throws Exception {
    String token = freshToken();
    assertThat(roundTrip(toEnclave("e9", MediaTypes.OHTTP_REQUEST, new byte[] {1}, token)).status())
        .isEqualTo(404);
    assertThat(roundTrip(toEnclave("e1", "text/plain", new byte[] {1}, token)).status())
        .isEqualTo(415);
    assertThat(roundTrip(toEnclave("e1", MediaTypes.OHTTP_REQUEST, new byte[] {1}, token)).status())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("an outer layer that cannot be opened fails plainly with 400")
  void unopenableOuterLayerFailsPlainly() {
    Future<byte[]> garbage = router.handle(new byte[] {0, 0, 0x20, 0, 1, 0, 1, 9, 9});
    assertThat(garbage.failed()).isTrue();
    assertThat(garbage.cause()).isInstanceOf(PipelineException.class);
    assertThat(((PipelineException) garbage.cause()).status()).isEqualTo(400);
    Future<byte[]> unknownKey = router.handle(new byte[] {42, 0, 0x20, 0, 1, 0, 1});
    assertThat(((PipelineException) unknownKey.cause()).problem().type()).contains("ohttp");
  }

  @Test
  @DisplayName(
      "errors after the outer layer opened travel inside it: bad Binary HTTP, unknown enclave, dead enclave")
  void errorsAreEncapsulated() throws Exception {
    BinaryHttpResponse malformed = roundTrip(new byte[] {0, 3, 'G'});
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(Problem.parse(malformed.content()).type()).endsWith("binary-http");

    BinaryHttpResponse unknown =
        roundTrip(toEnclave("e9", MediaTypes.OHTTP_REQUEST, new byte[] {1}));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(Problem.parse(unknown.content()).type()).endsWith("unknown-enclave");

    BinaryHttpResponse dead =
        roundTrip(toEnclave("dead", MediaTypes.OHTTP_REQUEST, new byte[] {1}));
    assertThat(dead.status()).isEqualTo(503);
    assertThat(dead.header("retry-after")).contains("2");

    BinaryHttpResponse wrongType = roundTrip(toEnclave("e1", "application/json", new byte[] {1}));
    assertThat(wrongType.status()).isEqualTo(415);

    BinaryHttpResponse wrongMethod =
        roundTrip(
            BinaryHttpRequest.of(
                "DELETE", "https", "gateway", "/v1/enclaves", List.of(), new byte[0]));
    assertThat(wrongMethod.status()).isEqualTo(405);

    BinaryHttpResponse nowhere =
        roundTrip(
            BinaryHttpRequest.of("GET", "https", "gateway", "/admin", List.of(), new byte[0]));
    assertThat(nowhere.status()).isEqualTo(404);
  }

  @Test
  @DisplayName(
      "a request for an enclave that left or fell silent gets an encapsulated 503 with Retry-After and spends no token")
  void goneEnclaveIsRetryableAndSpendsNothing() throws Exception {
    String token = freshToken();
    BinaryHttpResponse left =
        roundTrip(toEnclave("left", MediaTypes.OHTTP_REQUEST, new byte[] {1}, token));
    assertThat(left.status()).isEqualTo(503);
    assertThat(left.header("retry-after")).contains("1");
    assertThat(Problem.parse(left.content()).type()).endsWith("enclave-unavailable");

    clock.now = clock.now.plusSeconds(4);
    BinaryHttpResponse silent =
        roundTrip(toEnclave("e1", MediaTypes.OHTTP_REQUEST, new byte[] {1}, token));
    assertThat(silent.status()).isEqualTo(503);
    assertThat(silent.header("retry-after")).contains("1");
    assertThat(forwarded).as("nothing reached an enclave").isZero();
    assertThat(spent.size()).as("the token is still good").isZero();

    BinaryHttpResponse listing =
        roundTrip(
            BinaryHttpRequest.of(
                "GET", "https", "gateway", "/v1/enclaves", List.of(), new byte[0]));
    JsonObject body = new JsonObject(new String(listing.content(), StandardCharsets.UTF_8));
    assertThat(body.getJsonArray("enclaves")).isEmpty();
  }
}
