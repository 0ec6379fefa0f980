package org.privateprocessing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.core.CredentialCheck;
import org.privateprocessing.core.InMemorySpentTokens;
import org.privateprocessing.issuer.TestTokens;
import org.privateprocessing.node.PrivatePathTest;
import org.privateprocessing.ohttp.EncapsulatedRequest;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.OhttpKeyPair;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.SymmetricSuite;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;

/**
 * An independent RFC 9458 client talking to our gateway over HTTP. The RFC's Appendix A stands in
 * for that client: its exact request bytes (sealed by another implementation to the RFC's key) must
 * be accepted, and the answer must open with the RFC's own key schedule.
 */
class GatewayInteropTest {
  private static Vertx vertx;
  private static int port;
  private static JsonNode vector;

  @BeforeAll
  static void start() throws Exception {
    try (InputStream in =
        GatewayInteropTest.class.getResourceAsStream("/vectors/ohttp/rfc9458-a.json")) {
      vector = new ObjectMapper().readTree(in);
    }
    OhttpKeyPair rfcKey =
        OhttpKeyPair.fromPrivateKey(
            1,
            HpkeIds.KEM_X25519_HKDF_SHA256,
            hex("server_x25519_secret_key"),
            List.of(
                SymmetricSuite.HKDF_SHA256_AES_128_GCM,
                SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305));
    GatewayIdentity identity = GatewayIdentity.of(rfcKey);
    GatewayOptions options = GatewayOptions.fromJson(new JsonObject().put("port", 0));
    vertx = Vertx.vertx();
    GatewayVerticle gateway = new GatewayVerticle(options, identity);
    TestTokens.MutableClock clock = new TestTokens.MutableClock();
    CredentialCheck credentials =
        new CredentialCheck(
            "issuer.test",
            "gateway.test",
            TestTokens.keys(clock, org.privateprocessing.token.TokenTypes.BLIND_RSA_2048),
            new InMemorySpentTokens(100, clock),
            clock);
    PrivatePathTest.await(
        vertx.deployVerticle(
            new CredentialVerticle(
                options,
                identity,
                credentials,
                new EnclaveRegistry(java.time.Clock.systemUTC()),
                null)));
    PrivatePathTest.await(vertx.deployVerticle(gateway));
    port = gateway.actualPort();
  }

  @AfterAll
  static void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
  }

  private static byte[] hex(String field) {
    return HexFormat.of().parseHex(vector.get(field).asText());
  }

  @Test
  @DisplayName("the gateway publishes the RFC 9458 key config in RFC 9540 form")
  void publishesTheKeyConfig() throws Exception {
    HttpResponse<Buffer> keys =
        PrivatePathTest.await(
            WebClient.create(vertx).get(port, "127.0.0.1", "/.well-known/ohttp-gateway").send());
    assertThat(keys.getHeader("content-type")).isEqualTo(MediaTypes.OHTTP_KEYS);
    List<KeyConfig> configs = KeyConfigs.parse(keys.body().getBytes());
    assertThat(configs).hasSize(1);
    assertThat(configs.get(0).encode()).isEqualTo(hex("key_config"));
  }

  @Test
  @DisplayName(
      "the RFC 9458 Appendix A request is accepted and its answer opens with the RFC's context")
  void acceptsTheAppendixARequest() throws Exception {
    // Rebuild the RFC client's context from its fixed ephemeral key: its bytes must equal the
    // RFC's.
    KeyConfig config = KeyConfig.parse(hex("key_config"));
    EncapsulatedRequest rfcClient =
        RequestEncapsulator.encapsulateWithEphemeralKey(
            config,
            SymmetricSuite.HKDF_SHA256_AES_128_GCM,
            hex("request_bhttp"),
            hex("client_ephemeral_secret_key"));
    assertThat(rfcClient.bytes()).isEqualTo(hex("encapsulated_request"));

    HttpResponse<Buffer> answer =
        PrivatePathTest.await(
            WebClient.create(vertx)
                .post(port, "127.0.0.1", "/ohttp")
                .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
                .sendBuffer(Buffer.buffer(hex("encapsulated_request"))));
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.getHeader("content-type")).isEqualTo(MediaTypes.OHTTP_RESPONSE);
    // GET https://example.com/ is not a gateway resource: a 404 problem, sealed for the RFC client.
    BinaryHttpResponse response =
        BinaryHttpResponse.parse(rfcClient.opener().open(answer.body().getBytes()));
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("content-type")).contains("application/problem+json");
  }
}
