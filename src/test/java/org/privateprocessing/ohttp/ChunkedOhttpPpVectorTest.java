package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponseParser;

/**
 * The project's own chunked vectors ({@code chunked-ohttp-pp.json}, written by {@link
 * ChunkedVectorsMain}): indeterminate-length Binary HTTP in several chunks, for both AEADs. Both
 * roles reproduce every byte; {@code interop/chunked-ohttp/check.mjs} checks the same file with an
 * independent HPKE.
 */
class ChunkedOhttpPpVectorTest {
  private static final JsonNode V = Vectors.load("ohttp/chunked-ohttp-pp.json");

  static Stream<Arguments> vectors() {
    return StreamSupport.stream(V.get("vectors").spliterator(), false)
        .map(v -> Arguments.of(v.get("name").asText(), v));
  }

  private static List<byte[]> hexList(JsonNode v, String field) {
    List<byte[]> out = new ArrayList<>();
    v.get(field).forEach(n -> out.add(hex(n)));
    return out;
  }

  private static SymmetricSuite suite(JsonNode v) {
    return new SymmetricSuite(v.get("kdf_id").asInt(), v.get("aead_id").asInt());
  }

  @ParameterizedTest(name = "{0}: both roles reproduce every byte, and the inner messages parse")
  @MethodSource("vectors")
  void bothRoles_reproduceEveryByte(String name, JsonNode v) throws Exception {
    OhttpKeyPair key =
        OhttpKeyPair.fromPrivateKey(
            v.get("key_id").asInt(),
            v.get("kem_id").asInt(),
            hex(v.get("server_x25519_secret_key")),
            List.of(
                SymmetricSuite.HKDF_SHA256_AES_128_GCM,
                SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305));
    assertThat(hex(key.config().encode())).isEqualTo(v.get("key_config").asText());

    ChunkedRequestEncapsulator client =
        ChunkedRequestEncapsulator.startWithEphemeralKey(
            key.config(), suite(v), hex(v.get("client_ephemeral_secret_key")));
    assertThat(hex(client.header())).isEqualTo(v.get("encapsulated_request_header").asText());
    List<byte[]> reqPts = hexList(v, "request_chunk_plaintexts");
    List<byte[]> reqWire = hexList(v, "encapsulated_request_chunks");
    for (int i = 0; i < reqPts.size(); i++) {
      boolean last = i == reqPts.size() - 1;
      byte[] wire = last ? client.sealFinal(reqPts.get(i)) : client.sealChunk(reqPts.get(i));
      assertThat(hex(wire)).as("request chunk %d", i).isEqualTo(hex(reqWire.get(i)));
    }

    ChunkedRequestDecapsulator gateway =
        new ChunkedRequestDecapsulator(RequestDecapsulator.of(key));
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    gateway.feed(hex(v.get("encapsulated_request"))).forEach(inner::writeBytes);
    inner.writeBytes(gateway.finish());
    BinaryHttpRequest request = BinaryHttpRequest.parse(inner.toByteArray());
    assertThat(request.path()).isEqualTo("/v1/summarize");
    assertThat(new String(request.content(), StandardCharsets.UTF_8))
        .isEqualTo("{\"chat\":{\"messages\":[{\"text\":\"lunch at noon?\"}]}}");

    ChunkedResponseSealer sealer = gateway.sealer();
    assertThat(hex(sealer.begin(hex(v.get("response_nonce")))))
        .isEqualTo(v.get("response_nonce").asText());
    List<byte[]> resPts = hexList(v, "response_chunk_plaintexts");
    List<byte[]> resWire = hexList(v, "encapsulated_response_chunks");
    for (int i = 0; i < resPts.size(); i++) {
      boolean last = i == resPts.size() - 1;
      byte[] wire = last ? sealer.sealFinal(resPts.get(i)) : sealer.sealChunk(resPts.get(i));
      assertThat(hex(wire)).as("response chunk %d", i).isEqualTo(hex(resWire.get(i)));
    }

    ChunkedResponseOpener opener = client.opener();
    BinaryHttpResponseParser parser = new BinaryHttpResponseParser();
    StringBuilder text = new StringBuilder();
    List<BinaryHttpResponseParser.Part> parts = new ArrayList<>();
    for (byte[] pt : opener.feed(hex(v.get("encapsulated_response")))) {
      parts.addAll(parser.feed(pt));
    }
    parts.addAll(parser.feed(opener.finish()));
    parts.addAll(parser.finish());
    for (BinaryHttpResponseParser.Part p : parts) {
      if (p instanceof BinaryHttpResponseParser.Content c) {
        text.append(new String(c.bytes(), StandardCharsets.UTF_8));
      }
    }
    assertThat(parts.get(0)).isInstanceOf(BinaryHttpResponseParser.Head.class);
    assertThat(((BinaryHttpResponseParser.Head) parts.get(0)).status()).isEqualTo(200);
    assertThat(parts).last().isInstanceOf(BinaryHttpResponseParser.End.class);
    assertThat(text.toString())
        .isEqualTo("{\"summary\":\"They agree to meet for lunch at noon.\"}");
  }
}
