package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.attest.AttestationPolicy;
import org.privateprocessing.attest.TrustAnchors;
import org.privateprocessing.attest.ratls.RaTlsSession;
import org.privateprocessing.attest.ratls.RaTlsTrustManager;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.enclave.EnclaveApiTest;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenTypes;

/**
 * The enclave's RA-TLS listener as {@link Node} wires it: the tokens it takes are the gateway's
 * (same challenge, same spent-token store, so one token buys one request on either path), and a
 * split enclave reads the issuer's keys from its directory.
 */
class RaTlsPathTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] CHAT =
      EnclaveApiTest.CHAT.formatted("false").getBytes(StandardCharsets.UTF_8);

  private static RaTlsTrustManager trust(Node.Running node) {
    return new RaTlsTrustManager(
        AttestationPolicy.requireMeasurements(
                List.of(HexFormat.of().parseHex(node.measurementHex())))
            .withMaxEvidenceAge(Duration.ofMinutes(5)),
        TrustAnchors.trustSimulatedRoot(node.simulatedRoot().orElseThrow()),
        Clock.systemUTC());
  }

  private static RaTlsSession.Response summarize(RaTlsSession session, Token token)
      throws Exception {
    return PrivatePathTest.await(
        session.post(
            "/v1/summarize",
            "application/json",
            CHAT,
            token == null ? null : PrivateTokenAuthorization.header(token)));
  }

  private static String slug(RaTlsSession.Response response) throws Exception {
    assertThat(response.header("content-type")).isEqualTo(Problem.MEDIA_TYPE);
    return Problem.parse(response.body()).type().substring(Problem.TYPE_PREFIX.length());
  }

  @Test
  @DisplayName(
      "all-in-one: a token spent over RA-TLS is refused through OHTTP, and one spent through OHTTP is refused over RA-TLS")
  void oneTokenOnePathAllInOne() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject conf =
          DemoConf.allInOne().put("enclave", new JsonObject().put("id", "5e1ec7ed000000a1"));
      Node.Running node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf));
      assertThat(node.enclaveTlsPort()).isPositive();
      try (PrivateProcessingClient client =
          PrivateProcessingClient.create(
              vertx,
              ClientOptions.forRelay(node.relayUrl())
                  .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                  .withTrust(PrivatePathTest.trust(node)))) {
        TokenChallenge challenge =
            PrivatePathTest.await(client.listing()).tokenChallenges().stream()
                .filter(c -> c.tokenType() == TokenTypes.BLIND_RSA_2048)
                .findFirst()
                .orElseThrow();
        SummarizeRequest request = SummarizeRequest.parse(CHAT);
        RaTlsSession session =
            PrivatePathTest.await(
                RaTlsSession.open(vertx, trust(node), "127.0.0.1", node.enclaveTlsPort(), RANDOM));
        try {
          RaTlsSession.Response none = summarize(session, null);
          assertThat(none.status()).isEqualTo(401);
          assertThat(slug(none)).isEqualTo("missing-token");
          assertThat(none.header("www-authenticate")).startsWith("PrivateToken challenge=");

          Token first = PrivatePathTest.await(client.wallet().take(challenge));
          RaTlsSession.Response ok = summarize(session, first);
          assertThat(ok.status()).isEqualTo(200);
          assertThat(SummarizeResponse.parse(ok.body()).enclave().id())
              .isEqualTo("5e1ec7ed000000a1");
          assertThatThrownBy(() -> PrivatePathTest.await(client.summarize(request, first)))
              .cause()
              .isInstanceOf(PrivateProcessingException.class)
              .satisfies(
                  e ->
                      assertThat(((PrivateProcessingException) e).type())
                          .endsWith("token-replayed"));

          Token second = PrivatePathTest.await(client.wallet().take(challenge));
          assertThat(PrivatePathTest.await(client.summarize(request, second)).summary())
              .isNotBlank();
          RaTlsSession.Response replayed = summarize(session, second);
          assertThat(replayed.status()).isEqualTo(401);
          assertThat(slug(replayed)).isEqualTo("token-replayed");
        } finally {
          PrivatePathTest.await(session.close());
        }
      }
    } finally {
      PrivatePathTest.await(vertx.close());
    }
  }

  @Test
  @DisplayName(
      "split: an enclave without the issuer beside it reads the issuer's directory and takes its type 2 tokens")
  void splitEnclaveReadsTheDirectory() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject conf =
          new JsonObject()
              .put("profile", "demo")
              // Its own data directory, not ./run of whoever runs the tests.
              .put("dataDir", java.nio.file.Files.createTempDirectory("pp-data").toString())
              .put("attestation", new JsonObject().put("tlsPort", 0))
              .put("issuer", new JsonObject().put("port", 0))
              .put("enclave", new JsonObject().put("id", "5e1ec7ed000000a2"));
      Node.Running issuer = PrivatePathTest.await(Node.start(vertx, Role.ISSUER, conf));
      conf.put(
          "gateway",
          new JsonObject().put("issuerUrl", issuer.issuerUrl()).put("issuerRefreshMs", 60_000));
      Node.Running enclave = PrivatePathTest.await(Node.start(vertx, Role.ENCLAVE, conf));
      try (PrivateProcessingClient client =
          PrivateProcessingClient.create(
              vertx,
              ClientOptions.forRelay("http://127.0.0.1:1")
                  .withIssuer(issuer.issuerUrl(), ClientOptions.DEMO_ACCOUNT))) {
        // The gateway's challenge, as GatewayOptions' defaults name it.
        TokenChallenge challenge =
            new TokenChallenge(
                TokenTypes.BLIND_RSA_2048,
                "issuer.private-processing.local",
                new byte[0],
                List.of("gateway.private-processing.local"));
        RaTlsSession session =
            PrivatePathTest.await(
                RaTlsSession.open(
                    vertx, trust(enclave), "127.0.0.1", enclave.enclaveTlsPort(), RANDOM));
        try {
          // The directory is read in the background; the first token may beat it.
          long deadline = System.currentTimeMillis() + 20_000;
          RaTlsSession.Response answer;
          do {
            answer = summarize(session, PrivatePathTest.await(client.wallet().take(challenge)));
          } while (answer.status() == 401
              && slug(answer).equals("unknown-token-key")
              && System.currentTimeMillis() < deadline
              && sleep());
          assertThat(answer.status()).isEqualTo(200);
        } finally {
          PrivatePathTest.await(session.close());
        }
      }
    } finally {
      PrivatePathTest.await(vertx.close());
    }
  }

  private static boolean sleep() throws InterruptedException {
    Thread.sleep(200);
    return true;
  }
}
