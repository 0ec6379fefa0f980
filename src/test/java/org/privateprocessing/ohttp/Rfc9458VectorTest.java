package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RFC 9458 Appendix A, checked byte for byte at every step. */
class Rfc9458VectorTest {
  private static final JsonNode V = Vectors.load("ohttp/rfc9458-a.json");
  private static final List<SymmetricSuite> SUITES =
      List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM, SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305);

  private static OhttpKeyPair gatewayKey() {
    return OhttpKeyPair.fromPrivateKey(
        V.get("key_id").asInt(),
        HpkeIds.KEM_X25519_HKDF_SHA256,
        hex(V.get("server_x25519_secret_key")),
        SUITES);
  }

  @Test
  @DisplayName("the key configuration parses and re-encodes to the vector bytes")
  void keyConfig_parsesAndEncodesByteForByte() throws Exception {
    KeyConfig parsed = KeyConfig.parse(hex(V.get("key_config")));
    assertThat(parsed.keyId()).isEqualTo(1);
    assertThat(parsed.kemId()).isEqualTo(HpkeIds.KEM_X25519_HKDF_SHA256);
    assertThat(parsed.suites()).containsExactlyElementsOf(SUITES);
    assertThat(hex(parsed.encode())).isEqualTo(V.get("key_config").asText());
  }

  @Test
  @DisplayName("the gateway's private key yields the published key configuration")
  void gatewayKey_derivesPublishedConfig() throws Exception {
    assertThat(gatewayKey().config()).isEqualTo(KeyConfig.parse(hex(V.get("key_config"))));
  }

  @Test
  @DisplayName("the client encapsulation with the fixed ephemeral key equals encapsulated_request")
  void client_encapsulatesToVectorBytes() throws Exception {
    KeyConfig config = KeyConfig.parse(hex(V.get("key_config")));
    EncapsulatedRequest req =
        RequestEncapsulator.encapsulateWithEphemeralKey(
            config,
            SymmetricSuite.HKDF_SHA256_AES_128_GCM,
            hex(V.get("request_bhttp")),
            hex(V.get("client_ephemeral_secret_key")));
    assertThat(hex(req.bytes())).isEqualTo(V.get("encapsulated_request").asText());
  }

  @Test
  @DisplayName("the HPKE info string is label, zero byte and header")
  void info_matchesVector() {
    byte[] header =
        new RequestHeader(
                1,
                HpkeIds.KEM_X25519_HKDF_SHA256,
                HpkeIds.KDF_HKDF_SHA256,
                HpkeIds.AEAD_AES_128_GCM)
            .encode();
    assertThat(hex(Encapsulation.info(MediaTypes.BHTTP_REQUEST_LABEL, header)))
        .isEqualTo(V.get("hpke_info").asText());
  }

  @Test
  @DisplayName(
      "the gateway decapsulates the request and seals the response to the vector bytes, which the client opens")
  void fullExchange_matchesVectorAtEveryStep() throws Exception {
    RequestDecapsulator gateway = RequestDecapsulator.of(gatewayKey());
    byte[] encapsulated = hex(V.get("encapsulated_request"));
    assertThat(RequestHeader.read(encapsulated).keyId()).isEqualTo(1);

    DecapsulatedRequest request = gateway.decapsulate(encapsulated);
    assertThat(hex(request.content())).isEqualTo(V.get("request_bhttp").asText());
    assertThat(request.suite()).isEqualTo(SymmetricSuite.HKDF_SHA256_AES_128_GCM);
    assertThat(request.keyConfig().keyId()).isEqualTo(1);
    assertThat(request.sealer().responseNonceLength()).isEqualTo(16);

    byte[] response =
        request.sealer().seal(hex(V.get("response_bhttp")), hex(V.get("response_nonce")));
    assertThat(hex(response)).isEqualTo(V.get("encapsulated_response").asText());

    EncapsulatedRequest client =
        RequestEncapsulator.encapsulateWithEphemeralKey(
            KeyConfig.parse(hex(V.get("key_config"))),
            SymmetricSuite.HKDF_SHA256_AES_128_GCM,
            hex(V.get("request_bhttp")),
            hex(V.get("client_ephemeral_secret_key")));
    assertThat(hex(client.opener().open(response))).isEqualTo(V.get("response_bhttp").asText());
  }

  @Test
  @DisplayName("the response key schedule reproduces the vector's secret, salt, PRK, key and nonce")
  void responseKeySchedule_matchesIntermediates() throws Exception {
    byte[] enc = hex(V.get("client_ephemeral_public_key"));
    byte[] header =
        new RequestHeader(
                1,
                HpkeIds.KEM_X25519_HKDF_SHA256,
                HpkeIds.KDF_HKDF_SHA256,
                HpkeIds.AEAD_AES_128_GCM)
            .encode();
    Hpke.Context ctx =
        Hpke.setupBaseR(
            HpkeIds.KDF_HKDF_SHA256,
            HpkeIds.AEAD_AES_128_GCM,
            gatewayKey().hpkeKeyPair(),
            enc,
            Encapsulation.info(MediaTypes.BHTTP_REQUEST_LABEL, header));
    byte[] secret =
        ctx.export(
            MediaTypes.BHTTP_RESPONSE_LABEL.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            16);
    assertThat(hex(secret)).isEqualTo(V.get("response_secret_exported").asText());
    byte[] salt = hex(V.get("response_salt"));
    byte[] prk = Hpke.extract(HpkeIds.KDF_HKDF_SHA256, salt, secret);
    assertThat(hex(prk)).isEqualTo(V.get("response_prk").asText());
    Encapsulation.ResponseKeys keys =
        new Encapsulation.ResponseKeys(
            ctx,
            MediaTypes.BHTTP_RESPONSE_LABEL,
            SymmetricSuite.HKDF_SHA256_AES_128_GCM,
            enc,
            hex(V.get("response_nonce")));
    assertThat(hex(keys.key)).isEqualTo(V.get("response_aead_key").asText());
    assertThat(hex(keys.nonce)).isEqualTo(V.get("response_aead_nonce").asText());
  }
}
