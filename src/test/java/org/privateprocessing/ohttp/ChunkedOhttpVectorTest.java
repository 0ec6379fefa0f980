package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * draft-ietf-ohai-chunked-ohttp-08 Appendix A through the public role objects, on this JVM's HPKE
 * backend ({@link ChunkedOhttpBackendVectorTest} runs the same bytes on each backend at the seam).
 * The example was produced by the draft's authors with an independent implementation (the ohttp
 * crate), so equality here is an interoperability check in both directions: we produce its bytes
 * from its keys, and we open its bytes.
 */
class ChunkedOhttpVectorTest {
  private static final JsonNode V = Vectors.load("ohttp/chunked-ohttp-08-a.json");
  private static final SymmetricSuite SUITE = SymmetricSuite.HKDF_SHA256_AES_128_GCM;

  static OhttpKeyPair gatewayKey() {
    return OhttpKeyPair.fromPrivateKey(
        V.get("key_id").asInt(),
        HpkeIds.KEM_X25519_HKDF_SHA256,
        hex(V.get("server_x25519_secret_key")),
        List.of(
            SymmetricSuite.HKDF_SHA256_AES_128_GCM, SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305));
  }

  private static List<byte[]> hexList(String field) {
    List<byte[]> out = new ArrayList<>();
    V.get(field).forEach(n -> out.add(hex(n)));
    return out;
  }

  @Test
  @DisplayName("the gateway key derives the vector's key configuration byte for byte")
  void gatewayKey_derivesVectorKeyConfig() {
    assertThat(hex(gatewayKey().config().encode())).isEqualTo(V.get("key_config").asText());
  }

  @Test
  @DisplayName("the client seals the vector's header and three chunks from its ephemeral key")
  void client_sealsVectorChunks() throws Exception {
    KeyConfig config = KeyConfig.parse(hex(V.get("key_config")));
    ChunkedRequestEncapsulator client =
        ChunkedRequestEncapsulator.startWithEphemeralKey(
            config, SUITE, hex(V.get("client_ephemeral_secret_key")));
    assertThat(hex(client.header())).isEqualTo(V.get("encapsulated_request_header").asText());
    List<byte[]> pts = hexList("request_chunk_plaintexts");
    List<byte[]> wire = hexList("encapsulated_request_chunks");
    assertThat(hex(client.sealChunk(pts.get(0)))).isEqualTo(hex(wire.get(0)));
    assertThat(hex(client.sealChunk(pts.get(1)))).isEqualTo(hex(wire.get(1)));
    assertThat(hex(client.sealFinal(pts.get(2)))).isEqualTo(hex(wire.get(2)));
    assertThat(client.isFinished()).isTrue();
  }

  @ParameterizedTest(name = "fed {0} byte(s) at a time")
  @ValueSource(ints = {1, 3, 29, 1000})
  @DisplayName("the gateway opens the vector's request however the bytes are cut")
  void gateway_opensVectorRequestInAnySlices(int slice) throws Exception {
    ChunkedRequestDecapsulator gateway =
        new ChunkedRequestDecapsulator(RequestDecapsulator.of(gatewayKey()));
    byte[] in = hex(V.get("encapsulated_request"));
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    List<Integer> sizes = new ArrayList<>();
    for (int at = 0; at < in.length; at += slice) {
      for (byte[] pt : gateway.feed(in, at, Math.min(slice, in.length - at))) {
        sizes.add(pt.length);
        got.writeBytes(pt);
      }
    }
    assertThat(gateway.isComplete()).isFalse();
    byte[] last = gateway.finish();
    assertThat(last).isEmpty();
    assertThat(gateway.isComplete()).isTrue();
    assertThat(sizes).containsExactly(12, 13);
    assertThat(hex(got.toByteArray())).isEqualTo(V.get("request_bhttp").asText());
    assertThat(gateway.suite()).isEqualTo(SUITE);
    assertThat(gateway.keyConfig().keyId()).isEqualTo(1);
  }

  @Test
  @DisplayName("the gateway seals the vector's response chunks under the vector's nonce")
  void gateway_sealsVectorResponse() throws Exception {
    ChunkedRequestDecapsulator gateway =
        new ChunkedRequestDecapsulator(RequestDecapsulator.of(gatewayKey()));
    gateway.feed(hex(V.get("encapsulated_request")));
    gateway.finish();
    ChunkedResponseSealer sealer = gateway.sealer();
    List<byte[]> pts = hexList("response_chunk_plaintexts");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(sealer.begin(hex(V.get("response_nonce"))));
    out.writeBytes(sealer.sealChunk(pts.get(0)));
    out.writeBytes(sealer.sealChunk(pts.get(1)));
    out.writeBytes(sealer.sealFinal(pts.get(2)));
    assertThat(hex(out.toByteArray())).isEqualTo(V.get("encapsulated_response").asText());
  }

  @ParameterizedTest(name = "fed {0} byte(s) at a time")
  @ValueSource(ints = {1, 5, 16, 1000})
  @DisplayName("the client opens the vector's response however the bytes are cut")
  void client_opensVectorResponseInAnySlices(int slice) throws Exception {
    ChunkedRequestEncapsulator client =
        ChunkedRequestEncapsulator.startWithEphemeralKey(
            KeyConfig.parse(hex(V.get("key_config"))),
            SUITE,
            hex(V.get("client_ephemeral_secret_key")));
    ChunkedResponseOpener opener = client.opener();
    byte[] in = hex(V.get("encapsulated_response"));
    List<String> chunks = new ArrayList<>();
    for (int at = 0; at < in.length; at += slice) {
      opener.feed(in, at, Math.min(slice, in.length - at)).forEach(pt -> chunks.add(hex(pt)));
    }
    chunks.add(hex(opener.finish()));
    assertThat(opener.isComplete()).isTrue();
    assertThat(chunks).containsExactly("01", "40c8", "");
    assertThat(client.opener()).isSameAs(opener);
  }
}
