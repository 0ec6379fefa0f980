package org.privateprocessing.ohttp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.ohttp.bhttp.IndeterminateRequestWriter;
import org.privateprocessing.ohttp.bhttp.IndeterminateResponseWriter;

/**
 * Writes {@code vectors/ohttp/chunked-ohttp-pp.json}: chunked exchanges built with the construction
 * of draft-ietf-ohai-chunked-ohttp-08 from fixed inputs (the draft's gateway and ephemeral keys, a
 * fixed response nonce), carrying indeterminate-length Binary HTTP as this project streams it, for
 * both AEADs. {@link ChunkedOhttpPpVectorTest} checks this code still produces them, and {@code
 * interop/chunked-ohttp/check.mjs} checks them with an independent HPKE (hpke-js).
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:<deps> ...ChunkedVectorsMain OUT}.
 */
public final class ChunkedVectorsMain {
  static final String SK_R = "1c190d72acdbe4dbc69e680503bb781a932c70a12c8f3754434c67d8640d8698";
  static final String SK_E = "b26d565f3f875ed480d1abced3d665159650c99174fd0b124ac4bda0c64ae324";

  private ChunkedVectorsMain() {}

  public static void main(String[] args) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put(
        "source",
        "Built by ChunkedVectorsMain with the construction of draft-ietf-ohai-chunked-ohttp-08"
            + " (sections 4-6), from the gateway and ephemeral keys of its Appendix A and a fixed"
            + " response nonce; inner messages are indeterminate-length Binary HTTP (RFC 9292"
            + " section 3.2) cut into several chunks.");
    ArrayNode list = root.putArray("vectors");
    list.add(vector(mapper, SymmetricSuite.HKDF_SHA256_AES_128_GCM, "aes-128-gcm"));
    list.add(vector(mapper, SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305, "chacha20-poly1305"));
    String json = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    Files.writeString(Path.of(args[0]), json);
  }

  private static ObjectNode vector(ObjectMapper mapper, SymmetricSuite suite, String name)
      throws Exception {
    HexFormat hex = HexFormat.of();
    OhttpKeyPair key =
        OhttpKeyPair.fromPrivateKey(
            1,
            HpkeIds.KEM_X25519_HKDF_SHA256,
            hex.parseHex(SK_R),
            List.of(
                SymmetricSuite.HKDF_SHA256_AES_128_GCM,
                SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305));
    IndeterminateRequestWriter rw = new IndeterminateRequestWriter();
    List<byte[]> requestPieces =
        List.of(
            rw.head(
                "POST",
                "https",
                "enclave",
                "/v1/summarize",
                List.of(new Field("content-type", "application/json"))),
            rw.content("{\"chat\":{\"messages\":[".getBytes(StandardCharsets.UTF_8)),
            rw.content("{\"text\":\"lunch at noon?\"}]}}".getBytes(StandardCharsets.UTF_8)),
            rw.end(List.of()));
    ChunkedRequestEncapsulator client =
        ChunkedRequestEncapsulator.startWithEphemeralKey(key.config(), suite, hex.parseHex(SK_E));
    ObjectNode v = mapper.createObjectNode();
    v.put("name", name);
    v.put("key_id", 1);
    v.put("kem_id", HpkeIds.KEM_X25519_HKDF_SHA256);
    v.put("kdf_id", suite.kdfId());
    v.put("aead_id", suite.aeadId());
    v.put("server_x25519_secret_key", SK_R);
    v.put("key_config", hex.formatHex(key.config().encode()));
    v.put("client_ephemeral_secret_key", SK_E);
    v.put("encapsulated_request_header", hex.formatHex(client.header()));
    ArrayNode reqPts = v.putArray("request_chunk_plaintexts");
    ArrayNode reqWire = v.putArray("encapsulated_request_chunks");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(client.header());
    for (int i = 0; i < requestPieces.size(); i++) {
      byte[] pt = requestPieces.get(i);
      boolean last = i == requestPieces.size() - 1;
      byte[] wire = last ? client.sealFinal(pt) : client.sealChunk(pt);
      reqPts.add(hex.formatHex(pt));
      reqWire.add(hex.formatHex(wire));
      all.writeBytes(wire);
    }
    v.put("encapsulated_request", hex.formatHex(all.toByteArray()));

    ChunkedRequestDecapsulator gateway =
        new ChunkedRequestDecapsulator(RequestDecapsulator.of(key));
    gateway.feed(all.toByteArray());
    gateway.finish();
    ChunkedResponseSealer sealer = gateway.sealer();
    byte[] nonce = new byte[sealer.responseNonceLength()];
    for (int i = 0; i < nonce.length; i++) {
      nonce[i] = (byte) (0xA0 + i);
    }
    IndeterminateResponseWriter w = new IndeterminateResponseWriter();
    List<byte[]> responsePieces =
        List.of(
            w.head(200, List.of(new Field("content-type", "application/json"))),
            w.content("{\"summary\":\"They".getBytes(StandardCharsets.UTF_8)),
            w.content(" agree to meet".getBytes(StandardCharsets.UTF_8)),
            w.content(" for lunch at noon.\"}".getBytes(StandardCharsets.UTF_8)),
            w.end(List.of()));
    ByteArrayOutputStream resp = new ByteArrayOutputStream();
    resp.writeBytes(sealer.begin(nonce));
    v.put("response_nonce", hex.formatHex(nonce));
    ArrayNode resPts = v.putArray("response_chunk_plaintexts");
    ArrayNode resWire = v.putArray("encapsulated_response_chunks");
    for (int i = 0; i < responsePieces.size(); i++) {
      byte[] pt = responsePieces.get(i);
      boolean last = i == responsePieces.size() - 1;
      byte[] wire = last ? sealer.sealFinal(pt) : sealer.sealChunk(pt);
      resPts.add(hex.formatHex(pt));
      resWire.add(hex.formatHex(wire));
      resp.writeBytes(wire);
    }
    v.put("encapsulated_response", hex.formatHex(resp.toByteArray()));
    return v;
  }
}
