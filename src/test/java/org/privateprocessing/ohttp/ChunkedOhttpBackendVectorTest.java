package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * draft-ietf-ohai-chunked-ohttp-08 Appendix A on each HPKE backend, step by step through the seam:
 * the request chunks through ContextS.Seal / ContextR.Open with the "final" AAD, the response key
 * schedule with the chunked label, and each response chunk under its counter nonce.
 */
class ChunkedOhttpBackendVectorTest {
  private static final JsonNode V = Vectors.load("ohttp/chunked-ohttp-08-a.json");
  private static final int KEM = HpkeIds.KEM_X25519_HKDF_SHA256;
  private static final int KDF = HpkeIds.KDF_HKDF_SHA256;
  private static final int AEAD = HpkeIds.AEAD_AES_128_GCM;
  private static final byte[] NONE = new byte[0];
  private static final byte[] FINAL = "final".getBytes(StandardCharsets.US_ASCII);

  static Iterable<HpkeBackend> backends() {
    return HpkeBackends.all();
  }

  private static List<byte[]> hexList(String field) {
    List<byte[]> out = new ArrayList<>();
    V.get(field).forEach(n -> out.add(hex(n)));
    return out;
  }

  private static byte[] info() {
    byte[] info =
        Encapsulation.info(
            MediaTypes.BHTTP_CHUNKED_REQUEST_LABEL, new RequestHeader(1, KEM, KDF, AEAD).encode());
    assertThat(hex(info)).isEqualTo(V.get("hpke_info").asText());
    return info;
  }

  /** The sealed bytes of a framed chunk: after its one-byte length (all chunks here are short). */
  private static byte[] sealedPart(byte[] framed) {
    return Arrays.copyOfRange(framed, 1, framed.length);
  }

  @ParameterizedTest(name = "{0}: SetupBaseS with the vector's skE seals its request chunks")
  @MethodSource("backends")
  void sender_sealsVectorChunks(HpkeBackend backend) throws Exception {
    byte[] pkR = KeyConfig.parse(hex(V.get("key_config"))).publicKey();
    Hpke.Sender sender =
        Hpke.setupBaseSWithEphemeral(
            backend, KEM, KDF, AEAD, pkR, info(), hex(V.get("client_ephemeral_secret_key")));
    assertThat(hex(sender.enc)).isEqualTo(V.get("client_ephemeral_public_key").asText());
    List<byte[]> pts = hexList("request_chunk_plaintexts");
    List<byte[]> wire = hexList("encapsulated_request_chunks");
    assertThat(hex(sender.context.seal(NONE, pts.get(0)))).isEqualTo(hex(sealedPart(wire.get(0))));
    assertThat(hex(sender.context.seal(NONE, pts.get(1)))).isEqualTo(hex(sealedPart(wire.get(1))));
    assertThat(hex(sender.context.seal(FINAL, pts.get(2)))).isEqualTo(hex(sealedPart(wire.get(2))));
  }

  @ParameterizedTest(
      name = "{0}: SetupBaseR opens the chunks in order only, and the final only as final")
  @MethodSource("backends")
  void receiver_opensVectorChunksInOrderOnly(HpkeBackend backend) {
    Hpke.KeyPair key =
        Hpke.keyPairFromPrivateKey(backend, KEM, hex(V.get("server_x25519_secret_key")));
    byte[] enc = hex(V.get("client_ephemeral_public_key"));
    List<byte[]> wire = hexList("encapsulated_request_chunks");
    List<byte[]> pts = hexList("request_chunk_plaintexts");

    Hpke.Context ctx = Hpke.setupBaseR(KDF, AEAD, key, enc, info());
    assertThat(ctx.open(NONE, sealedPart(wire.get(1)))).as("second chunk first").isNull();
    assertThat(hex(ctx.open(NONE, sealedPart(wire.get(0))))).isEqualTo(hex(pts.get(0)));
    assertThat(ctx.open(NONE, sealedPart(wire.get(0)))).as("first chunk replayed").isNull();
    assertThat(hex(ctx.open(NONE, sealedPart(wire.get(1))))).isEqualTo(hex(pts.get(1)));
    assertThat(ctx.open(NONE, sealedPart(wire.get(2)))).as("final chunk without 'final'").isNull();
    assertThat(ctx.open(FINAL, sealedPart(wire.get(2)))).isEmpty();
  }

  @ParameterizedTest(name = "{0}: the response key schedule and each chunk nonce match")
  @MethodSource("backends")
  void response_keyScheduleAndChunksMatch(HpkeBackend backend) {
    Hpke.KeyPair key =
        Hpke.keyPairFromPrivateKey(backend, KEM, hex(V.get("server_x25519_secret_key")));
    byte[] enc = hex(V.get("client_ephemeral_public_key"));
    Hpke.Context ctx = Hpke.setupBaseR(KDF, AEAD, key, enc, info());
    byte[] secret =
        ctx.export(MediaTypes.BHTTP_CHUNKED_RESPONSE_LABEL.getBytes(StandardCharsets.US_ASCII), 16);
    assertThat(hex(secret)).isEqualTo(V.get("response_secret_exported").asText());
    byte[] nonce = hex(V.get("response_nonce"));
    byte[] salt = new byte[enc.length + nonce.length];
    System.arraycopy(enc, 0, salt, 0, enc.length);
    System.arraycopy(nonce, 0, salt, enc.length, nonce.length);
    assertThat(hex(salt)).isEqualTo(V.get("response_salt").asText());
    byte[] prk = backend.extract(salt, secret);
    assertThat(hex(prk)).isEqualTo(V.get("response_prk").asText());
    byte[] aeadKey = backend.expand(prk, "key".getBytes(StandardCharsets.US_ASCII), 16);
    byte[] aeadNonce = backend.expand(prk, "nonce".getBytes(StandardCharsets.US_ASCII), 12);
    assertThat(hex(aeadKey)).isEqualTo(V.get("response_aead_key").asText());
    assertThat(hex(aeadNonce)).isEqualTo(V.get("response_aead_nonce").asText());

    List<byte[]> nonces = hexList("response_chunk_nonces");
    List<byte[]> pts = hexList("response_chunk_plaintexts");
    List<byte[]> wire = hexList("encapsulated_response_chunks");
    for (int i = 0; i < 3; i++) {
      byte[] chunkNonce = ChunkFraming.chunkNonce(aeadNonce, i);
      assertThat(hex(chunkNonce)).isEqualTo(hex(nonces.get(i)));
      byte[] aad = i == 2 ? FINAL : NONE;
      byte[] sealed = backend.aeadSeal(AEAD, aeadKey, chunkNonce, aad, pts.get(i));
      assertThat(hex(ChunkFraming.frame(sealed, i == 2))).isEqualTo(hex(wire.get(i)));
      assertThat(hex(backend.aeadOpen(AEAD, aeadKey, chunkNonce, aad, sealed)))
          .isEqualTo(hex(pts.get(i)));
      byte[] otherAad = i == 2 ? NONE : FINAL;
      assertThat(backend.aeadOpen(AEAD, aeadKey, chunkNonce, otherAad, sealed)).isNull();
    }
  }
}
