package org.privateprocessing.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.PrivatePathTest;
import org.privateprocessing.node.Role;
import org.privateprocessing.token.IssuerDirectory;
import org.privateprocessing.token.MediaTypes;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenIssuance;
import org.privateprocessing.token.TokenRequest;
import org.privateprocessing.token.TokenResponse;
import org.privateprocessing.token.TokenTypes;

/** The issuer role over HTTP, spoken to the way an RFC 9578 client would. */
class IssuerTest {
  private static final TokenChallenge CHALLENGE =
      new TokenChallenge(
          TokenTypes.BLIND_RSA_2048,
          "issuer.private-processing.local",
          new byte[0],
          List.of("gateway.test"));
  private Vertx vertx;
  private WebClient http;
  private String base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
    JsonObject conf =
        new JsonObject()
            .put("profile", "demo")
            // Each test a fresh data directory: the issuance windows are durable in it.
            .put("dataDir", java.nio.file.Files.createTempDirectory("pp-issuer").toString())
            .put("attestation", new JsonObject().put("tlsPort", 0))
            .put("issuer", new JsonObject().put("port", 0).put("tokensPerWindow", 3));
    base = PrivatePathTest.await(Node.start(vertx, Role.ISSUER, conf)).issuerUrl();
  }

  @AfterEach
  void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
  }

  private IssuerDirectory directory() throws Exception {
    HttpResponse<Buffer> response =
        PrivatePathTest.await(
            http.getAbs(base + "/.well-known/private-token-issuer-directory").send());
    assertThat(response.getHeader("content-type")).isEqualTo(IssuerDirectory.MEDIA_TYPE);
    return IssuerDirectory.parse(response.body().getBytes());
  }

  private HttpResponse<Buffer> post(String authorization, String contentType, byte[] body)
      throws Exception {
    var request = http.postAbs(base + "/token-request").putHeader("content-type", contentType);
    if (authorization != null) {
      request.putHeader("authorization", authorization);
    }
    return PrivatePathTest.await(request.sendBuffer(Buffer.buffer(body)));
  }

  private TokenIssuance.Pending begin(int type) throws Exception {
    IssuerDirectory.TokenKey key =
        directory().tokenKeys().stream()
            .filter(k -> k.tokenType() == type)
            .findFirst()
            .orElseThrow();
    TokenChallenge challenge =
        new TokenChallenge(type, CHALLENGE.issuerName(), new byte[0], CHALLENGE.originInfo());
    return TokenIssuance.begin(key.tokenKey(), challenge, TestTokens.RANDOM);
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(Problem.parse(response.body().getBytes()).status()).isEqualTo(status);
  }

  @Test
  @DisplayName("the directory lists the current and the next key of both types, with not-before")
  void directoryListsCurrentAndNextKeys() throws Exception {
    IssuerDirectory dir = directory();
    assertThat(dir.issuerRequestUri()).isEqualTo("/token-request");
    assertThat(dir.tokenKeys())
        .extracting(IssuerDirectory.TokenKey::tokenType)
        .containsExactly(2, 2, 1, 1);
    assertThat(dir.tokenKeys().get(1).notBefore())
        .isGreaterThan(dir.tokenKeys().get(0).notBefore());
  }

  @Test
  @DisplayName("an authenticated client gets a token of each type that unblinds and verifies")
  void issuesBothTypes() throws Exception {
    for (int type : List.of(TokenTypes.BLIND_RSA_2048, TokenTypes.VOPRF_P384)) {
      TokenIssuance.Pending pending = begin(type);
      HttpResponse<Buffer> response =
          post("Bearer demo", MediaTypes.TOKEN_REQUEST, pending.request().encode());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("content-type")).isEqualTo(MediaTypes.TOKEN_RESPONSE);
      Token token = pending.finish(TokenResponse.parse(type, response.body().getBytes()));
      assertThat(token.tokenType()).isEqualTo(type);
    }
  }

  @Test
  @DisplayName("missing or wrong bearer credentials get 401 with a Bearer challenge")
  void bearerIsRequired() throws Exception {
    byte[] request = begin(TokenTypes.BLIND_RSA_2048).request().encode();
    HttpResponse<Buffer> missing = post(null, MediaTypes.TOKEN_REQUEST, request);
    assertProblem(missing, 401);
    assertThat(missing.getHeader("www-authenticate")).startsWith("Bearer");
    assertProblem(post("Bearer not-demo", MediaTypes.TOKEN_REQUEST, request), 401);
    assertProblem(post("Basic ZGVtbzpkZW1v", MediaTypes.TOKEN_REQUEST, request), 401);
  }

  @Test
  @DisplayName(
      "malformed requests get 400, wrong types 415, and none of them counts against the limit")
  void badRequestsAreRefusedAndNotCounted() throws Exception {
    assertProblem(post("Bearer demo", MediaTypes.TOKEN_REQUEST, new byte[] {0, 2, 1}), 400);
    assertProblem(post("Bearer demo", "application/json", new byte[] {0, 2, 1}), 415);
    TokenRequest good = begin(TokenTypes.BLIND_RSA_2048).request();
    TokenRequest otherKey =
        new TokenRequest(
            good.tokenType(), (good.truncatedTokenKeyId() + 1) & 0xff, good.blindedMsg());
    HttpResponse<Buffer> unknownKey =
        post("Bearer demo", MediaTypes.TOKEN_REQUEST, otherKey.encode());
    if (unknownKey.statusCode() != 200) { // the next key may share the truncated id, 1 in 256
      assertProblem(unknownKey, 400);
    }
    byte[] unknownType = good.encode();
    unknownType[1] = 7;
    assertProblem(post("Bearer demo", MediaTypes.TOKEN_REQUEST, unknownType), 400);
    // The limit is 3: three good requests still pass after all the refusals above.
    for (int i = 0; i < 2; i++) {
      assertThat(
              post(
                      "Bearer demo",
                      MediaTypes.TOKEN_REQUEST,
                      begin(TokenTypes.BLIND_RSA_2048).request().encode())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  @DisplayName("past the account's limit the issuer answers 429 with Retry-After")
  void rateLimitIs429() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(
              post(
                      "Bearer demo",
                      MediaTypes.TOKEN_REQUEST,
                      begin(TokenTypes.VOPRF_P384).request().encode())
                  .statusCode())
          .isEqualTo(200);
    }
    HttpResponse<Buffer> limited =
        post(
            "Bearer demo",
            MediaTypes.TOKEN_REQUEST,
            begin(TokenTypes.VOPRF_P384).request().encode());
    assertProblem(limited, 429);
    assertThat(Long.parseLong(limited.getHeader("retry-after"))).isBetween(1L, 3600L);
  }

  @Test
  @DisplayName(
      "a second of wrong bearer credentials from one address: 10 plain 401s, then 429"
          + " authentication-throttled with Retry-After, the right credential included")
  void wrongCredentialsAreThrottled() throws Exception {
    byte[] request = begin(TokenTypes.VOPRF_P384).request().encode();
    int unauthorized = 0;
    int throttled = 0;
    long end = System.nanoTime() + 1_000_000_000L;
    for (int i = 0; System.nanoTime() < end; i++) {
      HttpResponse<Buffer> response = post("Bearer wrong-" + i, MediaTypes.TOKEN_REQUEST, request);
      if (response.statusCode() == 401) {
        assertThat(throttled).as("a 401 after the first 429").isZero();
        unauthorized++;
      } else {
        assertProblem(response, 429);
        assertThat(Problem.parse(response.body().getBytes()).type())
            .endsWith(":authentication-throttled");
        assertThat(Long.parseLong(response.getHeader("retry-after"))).isBetween(1L, 6L);
        throttled++;
      }
    }
    System.out.printf(
        "issuer: wrong bearer credentials for 1 s from one address: %d x 401, %d x 429%n",
        unauthorized, throttled);
    assertThat(unauthorized).isEqualTo(10);
    assertThat(throttled).isPositive();
    HttpResponse<Buffer> right = post("Bearer demo", MediaTypes.TOKEN_REQUEST, request);
    assertProblem(right, 429);
  }
}
