package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.attest.Check;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.ratls.RaTlsCheck;
import org.privateprocessing.attest.ratls.RaTlsClients;
import org.privateprocessing.attest.ratls.RaTlsFixtures;
import org.privateprocessing.attest.ratls.RaTlsRefusal;
import org.privateprocessing.attest.ratls.RaTlsRelay;
import org.privateprocessing.attest.ratls.RaTlsSession;
import org.privateprocessing.attest.ratls.RaTlsSessionBinding;
import org.privateprocessing.attest.ratls.RaTlsTrustManager;

/**
 * Issue #14 finding 4: an RA-TLS session is bound. The enclave answers a client's nonce with fresh
 * evidence over that nonce and the channel binding of the TLS session it terminates, and the client
 * sends nothing on a session it cannot match. A man in the middle that terminates TLS with the
 * enclave's own key and certificate (stolen, or a TLS terminator in front of the enclave) and
 * relays to the enclave over its own session gets a binding for the wrong session: refused.
 */
@ExtendWith(VertxExtension.class)
class RaTlsSessionTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String CHAT = EnclaveApiTest.CHAT.formatted("false");
  private static KeyPair key;
  private static EnclaveEvidence evidence;
  private static X509Certificate cert;

  private final RaTlsListener listener = new RaTlsListener();

  @BeforeAll
  static void setUp() {
    key = RaTlsFixtures.p256();
    evidence = RaTlsFixtures.evidence(key);
    cert = RaTlsFixtures.certificate(key, evidence);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static RaTlsTrustManager trust() {
    return new RaTlsTrustManager(
        RaTlsFixtures.policy(),
        RaTlsFixtures.anchors(),
        Clock.fixed(RaTlsFixtures.NOW.plusSeconds(30), ZoneOffset.UTC));
  }

  private int deploy(Vertx vertx, EnclaveTlsVerticle.SessionBinder binder) throws Exception {
    EnclaveTlsVerticle v = listener.verticle(key, cert, evidence, binder);
    await(vertx.deployVerticle(v));
    return v.actualPort();
  }

  private int deploy(Vertx vertx) throws Exception {
    return await(listener.deploy(vertx, key, cert, evidence)).actualPort();
  }

  /** Opens a session and expects a refusal at SESSION_BINDING naming {@code check}. */
  private static RaTlsRefusal refused(Vertx vertx, RaTlsTrustManager tm, String host, int port) {
    Throwable t = catchThrowable(() -> await(RaTlsSession.open(vertx, tm, host, port, RANDOM)));
    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(RaTlsRefusal.class);
    RaTlsRefusal refusal = (RaTlsRefusal) t.getCause();
    assertThat(refusal.step()).isEqualTo(RaTlsCheck.SESSION_BINDING);
    return refusal;
  }

  @Test
  @DisplayName(
      "a direct session is bound: fresh session evidence for this key, then the API answers with a token")
  void directSessionIsBound(Vertx vertx) throws Exception {
    int port = deploy(vertx);
    RaTlsTrustManager tm = trust();
    RaTlsSession session = await(RaTlsSession.open(vertx, tm, "127.0.0.1", port, RANDOM));
    try {
      RaTlsTrustManager.Attested bound = session.attested();
      assertThat(bound.certificate()).isEqualTo(cert);
      assertThat(bound.evidence().tlsSpki()).isEqualTo(key.getPublic().getEncoded());
      assertThat(bound.evidence()).isNotEqualTo(evidence);
      assertThat(listener.sessionsBound).hasValue(1);
      RaTlsSession.Response answer =
          await(
              session.post(
                  "/v1/summarize",
                  "application/json",
                  CHAT.getBytes(StandardCharsets.UTF_8),
                  listener.token()));
      assertThat(answer.status()).isEqualTo(200);
      assertThat(SummarizeResponse.parse(answer.body()).summary()).isNotBlank();
      // A second request rides the same bound connection.
      assertThat(
              await(
                      session.post(
                          "/v1/summarize",
                          "application/json",
                          CHAT.getBytes(StandardCharsets.UTF_8),
                          null))
                  .status())
          .isEqualTo(401);
    } finally {
      await(session.close());
    }
    assertThat(listener.sessionsBound).hasValue(1);
    assertThat(listener.model.calls).hasValue(1);
  }

  @Test
  @DisplayName(
      "called from a thread outside Vert.x, every answer arrives whole: 40 bindings and 300 requests, no body lost")
  void answersFromOutsideVertxArriveWhole(Vertx vertx) throws Exception {
    // Vert.x delivers a response on the connection's event loop; reading its body in a step
    // chained after send() (instead of inside send's continuation) lost the body now and then when
    // the caller was another thread: a bound session then failed, an answer came back empty.
    int port = deploy(vertx);
    RaTlsTrustManager tm = trust();
    for (int i = 0; i < 40; i++) {
      await(RaTlsSession.open(vertx, tm, "127.0.0.1", port, RANDOM).compose(RaTlsSession::close));
    }
    assertThat(listener.sessionsBound).hasValue(40);
    RaTlsSession session = await(RaTlsSession.open(vertx, tm, "127.0.0.1", port, RANDOM));
    try {
      for (int i = 0; i < 300; i++) {
        RaTlsSession.Response answer =
            await(session.request(HttpMethod.GET, "/v1/evidence", java.util.Map.of(), null));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).as("answer %d", i).isNotEmpty();
      }
    } finally {
      await(session.close());
    }
  }

  @Test
  @DisplayName(
      "a relay on 127.0.0.2 with the enclave's key and certificate passes the handshake, but its forwarded binding is for its own session: refused by REPORT_DATA, nothing sent")
  void relayedSessionIsRefused(Vertx vertx) throws Exception {
    int port = deploy(vertx);
    RaTlsRelay relay = new RaTlsRelay();
    int relayPort = await(relay.start(vertx, key, cert, port));
    RaTlsTrustManager tm = trust();
    RaTlsRefusal refusal = refused(vertx, tm, RaTlsRelay.HOST, relayPort);
    assertThat(refusal.evidenceCheck()).contains(Check.REPORT_DATA);
    assertThat(refusal.getMessage())
        .startsWith("RA-TLS: refused by REPORT_DATA: ")
        .contains("relayed");
    // The handshake itself was accepted: only the binding tells the relay apart.
    assertThat(tm.lastAccepted()).isPresent();
    assertThat(tm.lastRefusal()).contains(refusal);
    // The enclave did bind a session (the relay's), and saw no request; the relay saw only the
    // nonce.
    assertThat(listener.sessionsBound).hasValue(1);
    assertThat(relay.seen()).hasSize(1);
    assertThat(relay.seenBytes().get(0)).hasSize(RaTlsSessionBinding.NONCE_LENGTH);
    assertThat(listener.model.calls).hasValue(0);
  }

  @Test
  @DisplayName("without the binding round the same relay is invisible: the request goes through it")
  void unboundClientIsRelayed(Vertx vertx) throws Exception {
    int port = deploy(vertx);
    RaTlsRelay relay = new RaTlsRelay();
    int relayPort = await(relay.start(vertx, key, cert, port));
    HttpClientAgent plain = vertx.createHttpClient(RaTlsClients.httpClientOptions(trust()));
    try {
      String token = listener.token();
      int status =
          await(
              plain
                  .request(HttpMethod.POST, relayPort, RaTlsRelay.HOST, "/v1/summarize")
                  .compose(
                      r ->
                          r.putHeader("content-type", "application/json")
                              .putHeader("authorization", token)
                              .send(CHAT))
                  .map(r -> r.statusCode()));
      assertThat(status).isEqualTo(200);
      assertThat(relay.seen()).anyMatch(body -> body.contains("\"messages\""));
    } finally {
      plain.close();
    }
  }

  @Test
  @DisplayName(
      "an enclave that answers evidence not bound to this session is refused: the certificate's evidence, or a binding of zeros")
  void unboundEvidenceIsRefused(Vertx vertx) throws Exception {
    int replaying = deploy(vertx, (nonce, binding) -> evidence);
    assertThat(refused(vertx, trust(), "127.0.0.1", replaying).evidenceCheck())
        .contains(Check.REPORT_DATA);
    int zeros =
        deploy(vertx, (nonce, binding) -> listener.bind(key, nonce, new byte[binding.length]));
    assertThat(refused(vertx, trust(), "127.0.0.1", zeros).evidenceCheck())
        .contains(Check.REPORT_DATA);
    int otherNonce =
        deploy(vertx, (nonce, binding) -> listener.bind(key, new byte[nonce.length], binding));
    assertThat(refused(vertx, trust(), "127.0.0.1", otherNonce).evidenceCheck())
        .contains(Check.REPORT_DATA);
  }

  @Test
  @DisplayName(
      "session evidence for another TLS key, or stale by the client's clock, is refused before anything is sent")
  void foreignOrStaleSessionEvidenceIsRefused(Vertx vertx) throws Exception {
    KeyPair other = RaTlsFixtures.p256();
    int foreign = deploy(vertx, (nonce, binding) -> listener.bind(other, nonce, binding));
    assertThat(refused(vertx, trust(), "127.0.0.1", foreign).getMessage())
        .contains("another TLS key");
    // Certificate evidence of now, session evidence 11 minutes old: over the 10-minute limit.
    int stale =
        deploy(
            vertx,
            (nonce, binding) ->
                RaTlsSessionBinding.produce(
                    RaTlsFixtures.provider(),
                    RaTlsFixtures.KEY_CONFIGS,
                    key.getPublic(),
                    nonce,
                    binding,
                    RaTlsFixtures.NOW.minusSeconds(11 * 60)));
    assertThat(refused(vertx, trust(), "127.0.0.1", stale).evidenceCheck())
        .contains(Check.FRESHNESS);
    assertThat(listener.model.calls).hasValue(0);
  }

  @Test
  @DisplayName(
      "a server that cannot bind sessions (404 on /v1/session) is refused: no binding, no session")
  void serverWithoutBindingIsRefused(Vertx vertx) throws Exception {
    HttpServer old =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setSsl(true)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                .setKeyCertOptions(
                    new PemKeyCertOptions()
                        .setKeyValue(pem("PRIVATE KEY", key.getPrivate().getEncoded()))
                        .setCertValue(pem("CERTIFICATE", cert.getEncoded()))));
    old.requestHandler(req -> req.response().setStatusCode(404).end());
    int port = await(old.listen(0, "127.0.0.1")).actualPort();
    RaTlsRefusal refusal = refused(vertx, trust(), "127.0.0.1", port);
    assertThat(refusal.evidenceCheck()).isEmpty();
    assertThat(refusal.getMessage()).contains("did not bind this session (HTTP 404");
  }

  @Test
  @DisplayName(
      "bad binding requests are problems: 400 bad-session-nonce for 5 bytes, 413 past 32, 415 for another type; the enclave attests nothing")
  void badBindingRequests(Vertx vertx) throws Exception {
    int port = deploy(vertx);
    HttpClientAgent client = vertx.createHttpClient(RaTlsClients.httpClientOptions(trust()));
    try {
      Object[][] cases = {
        {RaTlsSession.MEDIA_TYPE, new byte[5], 400, "bad-session-nonce"},
        {RaTlsSession.MEDIA_TYPE, new byte[0], 400, "bad-session-nonce"},
        {RaTlsSession.MEDIA_TYPE, new byte[33], 413, "body-too-large"},
        {"application/json", new byte[32], 415, "unsupported-media-type"},
      };
      for (Object[] c : cases) {
        Buffer body = Buffer.buffer((byte[]) c[1]);
        int[] status = new int[1];
        Buffer answer =
            await(
                client
                    .request(HttpMethod.POST, port, "127.0.0.1", RaTlsSession.PATH)
                    .compose(
                        q ->
                            q.putHeader("content-type", (String) c[0])
                                .send(body)
                                .compose(
                                    r -> {
                                      status[0] = r.statusCode();
                                      assertThat(r.getHeader("content-type"))
                                          .isEqualTo(Problem.MEDIA_TYPE);
                                      return r.body();
                                    })));
        assertThat(status[0]).isEqualTo(c[2]);
        assertThat(Problem.parse(answer.getBytes()).type()).endsWith(":" + c[3]);
      }
    } finally {
      client.close();
    }
    assertThat(listener.sessionsBound).hasValue(0);
  }

  private static Buffer pem(String type, byte[] der) {
    return Buffer.buffer(
        "-----BEGIN "
            + type
            + "-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END "
            + type
            + "-----\n");
  }
}
