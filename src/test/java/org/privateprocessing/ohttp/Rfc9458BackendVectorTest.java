package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9458 Appendix A on each HPKE backend, step by step through the seam: {@link
 * Rfc9458VectorTest} runs the same vector through the public classes on the JVM's chosen backend;
 * this runs it on BouncyCastle and on libsodium with the JDK explicitly, including the response's
 * HKDF and AEAD.
 */
class Rfc9458BackendVectorTest {
  private static final JsonNode V = Vectors.load("ohttp/rfc9458-a.json");
  private static final int KEM = HpkeIds.KEM_X25519_HKDF_SHA256;
  private static final int KDF = HpkeIds.KDF_HKDF_SHA256;
  private static final int AEAD = HpkeIds.AEAD_AES_128_GCM;
  private static final byte[] NONE = new byte[0];

  static Iterable<HpkeBackend> backends() {
    return HpkeBackends.all();
  }

  private static byte[] info() {
    return Encapsulation.info(
        MediaTypes.BHTTP_REQUEST_LABEL,
        new RequestHeader(V.get("key_id").asInt(), KEM, KDF, AEAD).encode());
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @ParameterizedTest(name = "{0}: the client's encapsulation equals encapsulated_request")
  @MethodSource("backends")
  void client_encapsulatesToVectorBytes(HpkeBackend backend) throws Exception {
    byte[] pkR = KeyConfig.parse(hex(V.get("key_config"))).publicKey();
    Hpke.Sender sender =
        Hpke.setupBaseSWithEphemeral(
            backend, KEM, KDF, AEAD, pkR, info(), hex(V.get("client_ephemeral_secret_key")));
    assertThat(hex(sender.enc)).isEqualTo(V.get("client_ephemeral_public_key").asText());
    byte[] header = new RequestHeader(1, KEM, KDF, AEAD).encode();
    byte[] ct = sender.context.seal(NONE, hex(V.get("request_bhttp")));
    assertThat(hex(concat(header, sender.enc, ct)))
        .isEqualTo(V.get("encapsulated_request").asText());
  }

  @ParameterizedTest(
      name = "{0}: the gateway opens the request and derives and seals the vector's response")
  @MethodSource("backends")
  void gateway_opensRequestAndSealsVectorResponse(HpkeBackend backend) {
    Hpke.KeyPair key =
        Hpke.keyPairFromPrivateKey(backend, KEM, hex(V.get("server_x25519_secret_key")));
    byte[] request = hex(V.get("encapsulated_request"));
    int h = RequestHeader.LENGTH;
    byte[] enc = Arrays.copyOfRange(request, h, h + 32);
    byte[] ct = Arrays.copyOfRange(request, h + 32, request.length);

    Hpke.Context ctx = Hpke.setupBaseR(KDF, AEAD, key, enc, info());
    assertThat(ctx).isNotNull();
    assertThat(hex(ctx.open(NONE, ct))).isEqualTo(V.get("request_bhttp").asText());

    // RFC 9458 section 4.4, each intermediate against the vector.
    byte[] secret =
        ctx.export(MediaTypes.BHTTP_RESPONSE_LABEL.getBytes(StandardCharsets.US_ASCII), 16);
    assertThat(hex(secret)).isEqualTo(V.get("response_secret_exported").asText());
    byte[] nonce = hex(V.get("response_nonce"));
    byte[] salt = concat(enc, nonce);
    assertThat(hex(salt)).isEqualTo(V.get("response_salt").asText());
    byte[] prk = backend.extract(salt, secret);
    assertThat(hex(prk)).isEqualTo(V.get("response_prk").asText());
    byte[] aeadKey = backend.expand(prk, "key".getBytes(StandardCharsets.US_ASCII), 16);
    byte[] aeadNonce = backend.expand(prk, "nonce".getBytes(StandardCharsets.US_ASCII), 12);
    assertThat(hex(aeadKey)).isEqualTo(V.get("response_aead_key").asText());
    assertThat(hex(aeadNonce)).isEqualTo(V.get("response_aead_nonce").asText());
    byte[] sealed = backend.aeadSeal(AEAD, aeadKey, aeadNonce, NONE, hex(V.get("response_bhttp")));
    assertThat(hex(concat(nonce, sealed))).isEqualTo(V.get("encapsulated_response").asText());

    assertThat(hex(backend.aeadOpen(AEAD, aeadKey, aeadNonce, NONE, sealed)))
        .isEqualTo(V.get("response_bhttp").asText());
    sealed[0] ^= 1;
    assertThat(backend.aeadOpen(AEAD, aeadKey, aeadNonce, NONE, sealed)).isNull();
  }
}
