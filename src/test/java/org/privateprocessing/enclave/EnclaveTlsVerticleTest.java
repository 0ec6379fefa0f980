package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.junit5.VertxExtension;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SuggestResponse;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.attest.AttestationPolicy;
import org.privateprocessing.attest.Check;
import org.privateprocessing.attest.DebugGuests;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.TrustAnchors;
import org.privateprocessing.attest.ratls.RaTlsCheck;
import org.privateprocessing.attest.ratls.RaTlsClients;
import org.privateprocessing.attest.ratls.RaTlsFixtures;
import org.privateprocessing.attest.ratls.RaTlsRefusal;
import org.privateprocessing.attest.ratls.RaTlsTrustManager;

/**
 * The RA-TLS listener in real TLS 1.3 handshakes on loopback: verified enclaves answer, and every
 * kind of bad evidence aborts the handshake before a request reaches the enclave. API requests are
 * admitted as on the OHTTP path: a Privacy Pass token each, the enclave's in-flight limit, the
 * gateway's body limit.
 */
@ExtendWith(VertxExtension.class)
class EnclaveTlsVerticleTest {
  private static final Instant NOW = RaTlsFixtures.NOW;
  private static KeyPair key;
  private static EnclaveEvidence evidence;
  private static X509Certificate good;

  private final RaTlsListener listener = new RaTlsListener();

  @BeforeAll
  static void setUp() {
    key = RaTlsFixtures.p256();
    evidence = RaTlsFixtures.evidence(key);
    good = RaTlsFixtures.certificate(key, evidence);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private EnclaveTlsVerticle deploy(Vertx vertx, KeyPair tlsKey, X509Certificate cert)
      throws Exception {
    return await(listener.deploy(vertx, tlsKey, cert, evidence));
  }

  private static RaTlsTrustManager trustManager(
      AttestationPolicy policy, TrustAnchors anchors, Instant at) {
    return new RaTlsTrustManager(policy, anchors, Clock.fixed(at, ZoneOffset.UTC));
  }

  static RaTlsTrustManager trustManager() {
    return trustManager(RaTlsFixtures.policy(), RaTlsFixtures.anchors(), NOW.plusSeconds(30));
  }

  /** Status, headers, body and negotiated TLS protocol of one exchange. */
  record Exchange(int status, MultiMap headers, Buffer body, String protocol) {
    String contentType() {
      return headers.get("content-type");
    }

    Problem problem() throws Exception {
      assertThat(contentType()).isEqualTo(Problem.MEDIA_TYPE);
      return Problem.parse(body.getBytes());
    }
  }

  private static Exchange call(
      Vertx vertx,
      HttpClientOptions options,
      int port,
      HttpMethod method,
      String path,
      Map<String, String> headers,
      String body)
      throws Exception {
    HttpClientAgent client = vertx.createHttpClient(options);
    try {
      return await(
          client
              .request(method, port, "127.0.0.1", path)
              .compose(
                  req -> {
                    headers.forEach(req::putHeader);
                    return (body == null ? req.send() : req.send(Buffer.buffer(body)))
                        .compose(
                            resp ->
                                resp.body()
                                    .map(
                                        b ->
                                            new Exchange(
                                                resp.statusCode(),
                                                resp.headers(),
                                                b,
                                                req.connection().sslSession().getProtocol())));
                  }));
    } finally {
      client.close();
    }
  }

  private static Exchange get(Vertx vertx, RaTlsTrustManager tm, int port, String path)
      throws Exception {
    return call(
        vertx, RaTlsClients.httpClientOptions(tm), port, HttpMethod.GET, path, Map.of(), null);
  }

  private static Exchange post(
      Vertx vertx,
      RaTlsTrustManager tm,
      int port,
      String path,
      String type,
      String authorization,
      String body)
      throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    if (type != null) {
      headers.put("content-type", type);
    }
    if (authorization != null) {
      headers.put("authorization", authorization);
    }
    return call(
        vertx, RaTlsClients.httpClientOptions(tm), port, HttpMethod.POST, path, headers, body);
  }

  /** POSTs the sample chat with {@code authorization}. */
  private static Exchange summarize(Vertx vertx, int port, String authorization) throws Exception {
    return post(
        vertx,
        trustManager(),
        port,
        "/v1/summarize",
        "application/json",
        authorization,
        EnclaveApiTest.CHAT.formatted("false"));
  }

  /**
   * Connects to a server presenting {@code cert} and expects the handshake to fail with the trust
   * manager's refusal naming {@code check}; the enclave must not have seen a request.
   */
  private void assertHandshakeAborted(
      Vertx vertx, KeyPair tlsKey, X509Certificate cert, RaTlsTrustManager tm, String check)
      throws Exception {
    int port = deploy(vertx, tlsKey, cert).actualPort();
    Throwable failure = catchThrowable(() -> get(vertx, tm, port, "/v1/evidence"));
    assertThat(failure).isInstanceOf(ExecutionException.class);
    assertThat(causes(failure)).anyMatch(SSLException.class::isInstance);
    assertThat(causes(failure))
        .anyMatch(t -> String.valueOf(t.getMessage()).contains("RA-TLS: refused by " + check));
    assertThat(tm.lastRefusal())
        .hasValueSatisfying(r -> assertThat(r.failedCheck()).isEqualTo(check));
    assertThat(tm.lastAccepted()).isEmpty();
    assertThat(listener.evidenceRequests).hasValue(0);
  }

  static List<Throwable> causes(Throwable t) {
    List<Throwable> all = new java.util.ArrayList<>();
    for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
      all.add(c);
    }
    return all;
  }

  @Test
  @DisplayName("the listener runs netty-tcnative's OpenSSL engine and negotiates TLS 1.3")
  void runsOpenSslTls13(Vertx vertx) throws Exception {
    assertThat(OpenSsl.isAvailable()).as("netty-tcnative loads here").isTrue();
    EnclaveTlsVerticle verticle = deploy(vertx, key, good);
    assertThat(verticle.openSsl()).isTrue();
    assertThat(verticle.serverOptions().getSslEngineOptions())
        .isInstanceOf(OpenSSLEngineOptions.class);
    assertThat(verticle.serverOptions().getEnabledSecureTransportProtocols())
        .containsExactly("TLSv1.3");
    Exchange e = get(vertx, trustManager(), verticle.actualPort(), "/v1/evidence");
    assertThat(e.protocol()).isEqualTo("TLSv1.3");
  }

  @Test
  @DisplayName(
      "valid evidence connects: GET /v1/evidence answers the describe JSON and the client kept what it verified")
  void validEvidenceConnects(Vertx vertx) throws Exception {
    int port = deploy(vertx, key, good).actualPort();
    RaTlsTrustManager tm = trustManager();
    Exchange e = get(vertx, tm, port, "/v1/evidence");
    assertThat(e.status()).isEqualTo(200);
    assertThat(e.contentType()).isEqualTo("application/json");
    JsonObject json = e.body().toJsonObject();
    assertThat(json.getString("id")).isEqualTo("ab12");
    assertThat(Base64.getUrlDecoder().decode(json.getString("evidence")))
        .isEqualTo(evidence.encode());
    assertThat(tm.lastAccepted())
        .hasValueSatisfying(a -> assertThat(a.evidence()).isEqualTo(evidence));
  }

  @Test
  @DisplayName("POST /v1/summarize over RA-TLS answers the same JSON as inside Oblivious HTTP")
  void summarizes(Vertx vertx) throws Exception {
    int port = deploy(vertx, key, good).actualPort();
    Exchange e = summarize(vertx, port, listener.token());
    assertThat(e.status()).isEqualTo(200);
    SummarizeResponse response = SummarizeResponse.parse(e.body().getBytes());
    assertThat(response.summary()).isNotBlank();
    assertThat(response.enclave().id()).isEqualTo("ab12");
  }

  @Test
  @DisplayName("POST /v1/suggest over RA-TLS answers suggestions")
  void suggests(Vertx vertx) throws Exception {
    int port = deploy(vertx, key, good).actualPort();
    Exchange e =
        post(
            vertx,
            trustManager(),
            port,
            "/v1/suggest",
            "application/json",
            listener.token(),
            "{\"chat\":{\"id\":\"c1\"},\"draft\":\"i dont know teh answer\",\"tone\":\"proofread\"}");
    assertThat(e.status()).isEqualTo(200);
    assertThat(SuggestResponse.parse(e.body().getBytes()).suggestions()).isNotEmpty();
  }

  @Test
  @DisplayName(
      "errors are problems: wrong media type 415, bad JSON 400, advanced chat privacy 403, unknown route 404")
  void errorsAreProblems(Vertx vertx) throws Exception {
    int port = deploy(vertx, key, good).actualPort();
    RaTlsTrustManager tm = trustManager();
    Exchange wrongType = post(vertx, tm, port, "/v1/summarize", "text/plain", null, "hello");
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(wrongType.contentType()).isEqualTo(Problem.MEDIA_TYPE);
    Exchange badJson =
        post(vertx, tm, port, "/v1/summarize", "application/json", listener.token(), "{\"chat\":");
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(Problem.parse(badJson.body().getBytes()).type()).endsWith("invalid-request");
    Exchange acp =
        post(
            vertx,
            tm,
            port,
            "/v1/summarize",
            "application/json",
            listener.token(),
            EnclaveApiTest.CHAT.formatted("true"));
    assertThat(acp.status()).isEqualTo(403);
    Exchange unknown = get(vertx, tm, port, "/v1/nothing");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).isEqualTo(Problem.MEDIA_TYPE);
  }

  @Test
  @DisplayName("a body over the API's limit is refused with 413, as a problem")
  void bodyTooLarge(Vertx vertx) throws Exception {
    int port = deploy(vertx, key, good).actualPort();
    String big =
        "{\"x\":\"" + "a".repeat(org.privateprocessing.api.ApiLimits.MAX_JSON_BYTES) + "\"}";
    Exchange e =
        post(
            vertx,
            trustManager(),
            port,
            "/v1/summarize",
            "application/json",
            listener.token(),
            big);
    assertThat(e.status()).isEqualTo(413);
    assertThat(e.contentType()).isEqualTo(Problem.MEDIA_TYPE);
  }

  @Test
  @DisplayName("a flipped byte in the report aborts the handshake: REPORT_SIGNATURE")
  void tamperedReportAborts(Vertx vertx) throws Exception {
    X509Certificate cert = RaTlsFixtures.certificate(key, RaTlsFixtures.tampered(evidence));
    assertHandshakeAborted(vertx, key, cert, trustManager(), Check.REPORT_SIGNATURE.name());
  }

  @Test
  @DisplayName("evidence for another TLS key aborts the handshake: TLS_KEY_BINDING")
  void wrongBindingAborts(Vertx vertx) throws Exception {
    KeyPair impostor = RaTlsFixtures.p256();
    assertHandshakeAborted(
        vertx,
        impostor,
        RaTlsFixtures.mismatched(impostor, evidence),
        trustManager(),
        RaTlsCheck.TLS_KEY_BINDING.name());
  }

  @Test
  @DisplayName(
      "evidence whose key field was rewritten to the server's key aborts the handshake: REPORT_DATA")
  void rewrittenBindingAborts(Vertx vertx) throws Exception {
    KeyPair impostor = RaTlsFixtures.p256();
    EnclaveEvidence rewritten =
        new EnclaveEvidence(
            evidence.report(),
            evidence.chain(),
            evidence.keyConfigs(),
            impostor.getPublic().getEncoded(),
            evidence.producedAt());
    assertHandshakeAborted(
        vertx,
        impostor,
        RaTlsFixtures.certificate(impostor, rewritten),
        trustManager(),
        Check.REPORT_DATA.name());
  }

  @Test
  @DisplayName("a guest that allows debugging aborts the handshake: DEBUG")
  void debugGuestAborts(Vertx vertx) throws Exception {
    KeyPair k = RaTlsFixtures.p256();
    EnclaveEvidence debug = RaTlsFixtures.evidence(DebugGuests.of(RaTlsFixtures.provider()), k);
    assertHandshakeAborted(
        vertx, k, RaTlsFixtures.certificate(k, debug), trustManager(), Check.DEBUG.name());
  }

  @Test
  @DisplayName("a measurement the client does not know aborts the handshake: MEASUREMENT")
  void unknownMeasurementAborts(Vertx vertx) throws Exception {
    AttestationPolicy other =
        AttestationPolicy.requireMeasurements(List.of(new byte[48]))
            .withMaxEvidenceAge(Duration.ofMinutes(10));
    assertHandshakeAborted(
        vertx,
        key,
        good,
        trustManager(other, RaTlsFixtures.anchors(), NOW),
        Check.MEASUREMENT.name());
  }

  @Test
  @DisplayName("a simulated root the client does not trust aborts the handshake: SIMULATED_ROOT")
  void untrustedRootAborts(Vertx vertx) throws Exception {
    assertHandshakeAborted(
        vertx,
        key,
        good,
        trustManager(RaTlsFixtures.policy(), TrustAnchors.amdOnly(), NOW),
        Check.SIMULATED_ROOT.name());
  }

  @Test
  @DisplayName("evidence older than the policy allows aborts the handshake: FRESHNESS")
  void staleEvidenceAborts(Vertx vertx) throws Exception {
    assertHandshakeAborted(
        vertx,
        key,
        good,
        trustManager(
            RaTlsFixtures.policy(), RaTlsFixtures.anchors(), NOW.plus(Duration.ofHours(2))),
        Check.FRESHNESS.name());
  }

  @Test
  @DisplayName(
      "a client on the OpenSSL engine runs the same trust manager: accepts good evidence, refuses bad")
  void openSslClient(Vertx vertx) throws Exception {
    int port = deploy(vertx, key, good).actualPort();
    RaTlsTrustManager tm = trustManager();
    HttpClientOptions options =
        RaTlsClients.httpClientOptions(tm).setSslEngineOptions(new OpenSSLEngineOptions());
    Exchange e = call(vertx, options, port, HttpMethod.GET, "/v1/evidence", Map.of(), null);
    assertThat(e.status()).isEqualTo(200);
    assertThat(e.protocol()).isEqualTo("TLSv1.3");
    assertThat(tm.lastAccepted()).isPresent();

    RaTlsTrustManager strict = trustManager(RaTlsFixtures.policy(), TrustAnchors.amdOnly(), NOW);
    HttpClientOptions strictOptions =
        RaTlsClients.httpClientOptions(strict).setSslEngineOptions(new OpenSSLEngineOptions());
    Throwable failure =
        catchThrowable(
            () -> call(vertx, strictOptions, port, HttpMethod.GET, "/v1/evidence", Map.of(), null));
    assertThat(failure).isNotNull();
    assertThat(strict.lastRefusal())
        .hasValueSatisfying(r -> assertThat(r.evidenceCheck()).contains(Check.SIMULATED_ROOT));
    assertThat(listener.evidenceRequests).hasValue(1);
  }

  @Test
  @DisplayName("the constructor refuses a port outside 0..65535")
  void refusesBadPort() {
    assertThat(
            catchThrowable(
                () ->
                    new EnclaveTlsVerticle(
                        "127.0.0.1",
                        70000,
                        key,
                        () -> good,
                        listener.api,
                        JsonObject::new,
                        (nonce, binding) -> evidence,
                        new EnclaveTlsVerticle.Admission(
                            listener.credentials, listener.limiter, 1024))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "the refusal type is a CertificateException, so TLS stacks treat it as a bad certificate")
  void refusalIsCertificateException() {
    assertThat(java.security.cert.CertificateException.class).isAssignableFrom(RaTlsRefusal.class);
  }
}
