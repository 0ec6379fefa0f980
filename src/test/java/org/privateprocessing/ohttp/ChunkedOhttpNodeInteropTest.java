package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Live chunked exchanges with an independent implementation in both directions: {@code
 * interop/chunked-ohttp/check.mjs}, written from the draft's text on hpke-js and node's crypto,
 * seals what we open and opens what we seal, with fresh randomness each run. Skipped when node or
 * the folder's {@code node_modules} is missing, unless {@code -Dpp.interop.chunked=require} (as
 * {@code scripts/interop-chunked-ohttp.sh} runs it), which turns a missing peer into a failure.
 */
class ChunkedOhttpNodeInteropTest {
  private static final Path DIR = Path.of("interop", "chunked-ohttp");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  @BeforeAll
  static void peerIsThere() {
    boolean present =
        Files.isDirectory(DIR.resolve("node_modules").resolve("@hpke").resolve("core"))
            && nodeRuns();
    if (!present && "require".equals(System.getProperty("pp.interop.chunked"))) {
      throw new AssertionError(
          "node and interop/chunked-ohttp/node_modules are required: run scripts/interop-chunked-ohttp.sh");
    }
    Assumptions.assumeTrue(
        present, "node or interop/chunked-ohttp/node_modules missing (npm ci in that folder)");
  }

  private static boolean nodeRuns() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private record Result(int exit, JsonNode out, String err) {}

  private static Result node(String command, ObjectNode input) throws Exception {
    Process p = new ProcessBuilder("node", "check.mjs", command).directory(DIR.toFile()).start();
    p.getOutputStream().write(JSON.writeValueAsBytes(input));
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
    JsonNode json = p.exitValue() == 0 ? JSON.readTree(out) : null;
    return new Result(p.exitValue(), json, err);
  }

  private static OhttpKeyPair key(int aeadId) {
    SymmetricSuite first =
        aeadId == HpkeIds.AEAD_AES_128_GCM
            ? SymmetricSuite.HKDF_SHA256_AES_128_GCM
            : SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305;
    SymmetricSuite second =
        first == SymmetricSuite.HKDF_SHA256_AES_128_GCM
            ? SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305
            : SymmetricSuite.HKDF_SHA256_AES_128_GCM;
    byte[] sk = new byte[32];
    RANDOM.nextBytes(sk);
    return OhttpKeyPair.fromPrivateKey(
        5, HpkeIds.KEM_X25519_HKDF_SHA256, sk, List.of(first, second));
  }

  private static List<byte[]> randomChunks(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[1 + RANDOM.nextInt(3000)];
      RANDOM.nextBytes(b);
      out.add(b);
    }
    return out;
  }

  @ParameterizedTest(
      name = "AEAD {0}: our client's chunked request opens there; its response opens here")
  @ValueSource(ints = {HpkeIds.AEAD_AES_128_GCM, HpkeIds.AEAD_CHACHA20_POLY1305})
  @DisplayName("Java client, independent gateway")
  void javaClient_independentGateway(int aeadId) throws Exception {
    byte[] sk = new byte[32];
    RANDOM.nextBytes(sk);
    SymmetricSuite suite =
        aeadId == HpkeIds.AEAD_AES_128_GCM
            ? SymmetricSuite.HKDF_SHA256_AES_128_GCM
            : SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305;
    OhttpKeyPair key =
        OhttpKeyPair.fromPrivateKey(
            5,
            HpkeIds.KEM_X25519_HKDF_SHA256,
            sk,
            List.of(
                SymmetricSuite.HKDF_SHA256_AES_128_GCM,
                SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305));
    ChunkedRequestEncapsulator client =
        ChunkedRequestEncapsulator.start(key.config(), suite, RANDOM);
    List<byte[]> chunks = randomChunks(5);
    byte[] last = "the end".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(client.header());
    chunks.forEach(c -> wire.writeBytes(client.sealChunk(c)));
    wire.writeBytes(client.sealFinal(last));

    ObjectNode in = JSON.createObjectNode();
    in.put("sk_r", hex(sk));
    in.put("key_config", hex(key.config().encode()));
    in.put("request", hex(wire.toByteArray()));
    Result r = node("open-request", in);
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> theyOpened = new ArrayList<>();
    r.out().get("chunks").forEach(n -> theyOpened.add(n.asText()));
    assertThat(theyOpened).containsExactlyElementsOf(chunks.stream().map(Vectors::hex).toList());
    assertThat(r.out().get("final").asText()).isEqualTo(hex(last));

    ChunkedResponseOpener opener = client.opener();
    List<String> weOpened = new ArrayList<>();
    opener.feed(hex(r.out().get("response"))).forEach(b -> weOpened.add(hex(b)));
    assertThat(weOpened).containsExactlyElementsOf(theyOpened);
    assertThat(hex(opener.finish())).isEqualTo(hex(last));
    assertThat(opener.isComplete()).isTrue();
  }

  @ParameterizedTest(name = "AEAD {0}: its chunked request opens here; our response opens there")
  @ValueSource(ints = {HpkeIds.AEAD_AES_128_GCM, HpkeIds.AEAD_CHACHA20_POLY1305})
  @DisplayName("independent client, Java gateway")
  void independentClient_javaGateway(int aeadId) throws Exception {
    OhttpKeyPair key = key(aeadId);
    List<byte[]> chunks = randomChunks(4);
    ObjectNode in = JSON.createObjectNode();
    in.put("key_config", hex(key.config().encode()));
    chunks.forEach(c -> in.withArray("chunks").add(hex(c)));
    in.put("final", "");
    Result sealed = node("seal-request", in);
    assertThat(sealed.exit()).as(sealed.err()).isZero();

    ChunkedRequestDecapsulator gateway =
        new ChunkedRequestDecapsulator(RequestDecapsulator.of(key));
    List<byte[]> opened = new ArrayList<>(gateway.feed(hex(sealed.out().get("request"))));
    assertThat(gateway.finish()).isEmpty();
    assertThat(opened).containsExactlyElementsOf(chunks);
    assertThat(gateway.suite().aeadId()).isEqualTo(aeadId);

    ChunkedResponseSealer sealer = gateway.sealer();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    response.writeBytes(sealer.begin(RANDOM));
    List<byte[]> answer = randomChunks(6);
    answer.forEach(a -> response.writeBytes(sealer.sealChunk(a)));
    response.writeBytes(sealer.sealFinal("done".getBytes(StandardCharsets.US_ASCII)));

    ObjectNode open = JSON.createObjectNode();
    open.put("aead_id", aeadId);
    open.put("enc", sealed.out().get("enc").asText());
    open.put("secret", sealed.out().get("secret").asText());
    open.put("response", hex(response.toByteArray()));
    Result r = node("open-response", open);
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> theyOpened = new ArrayList<>();
    r.out().get("chunks").forEach(n -> theyOpened.add(n.asText()));
    assertThat(theyOpened).containsExactlyElementsOf(answer.stream().map(Vectors::hex).toList());
    assertThat(r.out().get("final").asText())
        .isEqualTo(hex("done".getBytes(StandardCharsets.US_ASCII)));

    // The same response without its final chunk: the peer must call it incomplete, too.
    byte[] whole = response.toByteArray();
    int finalLength = 1 + 4 + Hpke.NT; // varint 0, "done", tag
    open.put("response", hex(java.util.Arrays.copyOf(whole, whole.length - finalLength)));
    Result cut = node("open-response", open);
    assertThat(cut.exit()).isEqualTo(1);
    assertThat(cut.err()).contains("incomplete");
  }
}
