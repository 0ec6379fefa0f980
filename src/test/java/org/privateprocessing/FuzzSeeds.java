package org.privateprocessing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SuggestResponse;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.attest.Certificates;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.SnpReport;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.OhttpKeyPair;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.SymmetricSuite;
import org.privateprocessing.ohttp.Vectors;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.MerkleTree;
import org.privateprocessing.tlog.Rfc9162;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.token.IssuerDirectory;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.PrivateTokenChallenge;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenRequest;

/**
 * The seed inputs of every fuzz target, made from the test vectors in {@code
 * src/test/resources/vectors} (and, where the vectors hold no such message, from the project's own
 * encoders over vector values). Jazzer reads them from {@code <TestClass>Inputs/<method>/} resource
 * directories: in regression mode ({@code mvn verify}) each is one test run, and real fuzzing
 * ({@code scripts/fuzz.sh}) starts its mutations from them.
 *
 * <p>Deterministic, so {@code FuzzSeedsTest} can check the committed files are exactly these.
 * Regenerate with {@code scripts/fuzz.sh --seeds}. Every seed is one the target's parser accepts,
 * so fuzzing starts from valid structures rather than having to discover them.
 */
public final class FuzzSeeds {
  /** Seeds are named {@code seed-<name>}; Jazzer's findings ({@code crash-<sha1>}) sit beside. */
  public static final String PREFIX = "seed-";

  /** Where the seeds live, relative to the project directory. */
  public static final Path ROOT = Path.of("src", "test", "resources");

  /** The secret of the X-Wing key the decapsulation target holds beside RFC 9458's X25519 key. */
  public static final byte[] X_WING_SEED = fill(32, 0x5e);

  /** The ephemeral seed of the X-Wing request in the decapsulation seeds (fixed: test only). */
  public static final byte[] X_WING_EPHEMERAL = fill(64, 0xe7);

  /** RFC 9458 Appendix A. */
  public static final JsonNode OHTTP = Vectors.load("ohttp/rfc9458-a.json");

  public static final List<SymmetricSuite> SUITES =
      List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM, SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305);

  private FuzzSeeds() {}

  /** The RFC 9458 gateway key (X25519, key id 1). */
  public static OhttpKeyPair rfc9458Key() {
    return OhttpKeyPair.fromPrivateKey(
        OHTTP.get("key_id").asInt(),
        HpkeIds.KEM_X25519_HKDF_SHA256,
        Vectors.hex(OHTTP.get("server_x25519_secret_key")),
        SUITES);
  }

  /** A fixed X-Wing key (key id 2), so fuzzing reaches the post-quantum decapsulation too. */
  public static OhttpKeyPair xWingKey() {
    return OhttpKeyPair.fromPrivateKey(2, HpkeIds.KEM_X_WING, X_WING_SEED, SUITES);
  }

  /** Every seed: resource path (under {@link #ROOT}) to bytes, sorted by path. */
  public static Map<String, byte[]> all() throws Exception {
    Map<String, byte[]> seeds = new TreeMap<>();
    bhttp(seeds);
    ohttp(seeds);
    token(seeds);
    attest(seeds);
    tlog(seeds);
    api(seeds);
    return seeds;
  }

  private static void bhttp(Map<String, byte[]> seeds) throws Exception {
    String dir = "org/privateprocessing/ohttp/bhttp/BinaryHttpFuzzTestInputs/";
    for (JsonNode ex : Vectors.load("bhttp/rfc9292-examples.json").get("examples")) {
      byte[] bytes = Vectors.hex(ex.get("bhttp_hex"));
      int framing = ex.get("decoded").get("framing_indicator").asInt();
      if (framing == 0 || framing == 2) {
        BinaryHttpRequest.parse(bytes);
        seeds.put(dir + "request/" + PREFIX + ex.get("id").asText(), bytes);
      } else {
        BinaryHttpResponse.parse(bytes);
        seeds.put(dir + "response/" + PREFIX + ex.get("id").asText(), bytes);
      }
    }
    seeds.put(dir + "request/" + PREFIX + "rfc9458", Vectors.hex(OHTTP.get("request_bhttp")));
    byte[] padded = BinaryHttpRequest.parse(Vectors.hex(OHTTP.get("request_bhttp"))).encode(5);
    seeds.put(dir + "request/" + PREFIX + "rfc9458-padded", padded);
    seeds.put(dir + "response/" + PREFIX + "rfc9458", Vectors.hex(OHTTP.get("response_bhttp")));
  }

  private static void ohttp(Map<String, byte[]> seeds) throws Exception {
    String dir = "org/privateprocessing/ohttp/OhttpFuzzTestInputs/";
    byte[] x25519 = Vectors.hex(OHTTP.get("key_config"));
    KeyConfig xWing = xWingKey().config();
    seeds.put(dir + "keyConfig/" + PREFIX + "rfc9458", x25519);
    seeds.put(dir + "keyConfig/" + PREFIX + "x-wing", xWing.encode());
    seeds.put(
        dir + "keyConfigs/" + PREFIX + "rfc9458-and-x-wing",
        KeyConfigs.encode(List.of(KeyConfig.parse(x25519), xWing)));
    byte[] request = Vectors.hex(OHTTP.get("encapsulated_request"));
    seeds.put(dir + "requestHeader/" + PREFIX + "rfc9458", java.util.Arrays.copyOf(request, 7));
    seeds.put(dir + "decapsulate/" + PREFIX + "rfc9458", request);
    seeds.put(
        dir + "decapsulate/" + PREFIX + "x-wing",
        RequestEncapsulator.encapsulateWithEphemeralKey(
                xWing,
                SymmetricSuite.HKDF_SHA256_CHACHA20_POLY1305,
                Vectors.hex(OHTTP.get("request_bhttp")),
                X_WING_EPHEMERAL)
            .bytes());
    seeds.put(
        dir + "openResponse/" + PREFIX + "rfc9458",
        Vectors.hex(OHTTP.get("encapsulated_response")));
  }

  private static void token(Map<String, byte[]> seeds) throws Exception {
    String dir = "org/privateprocessing/token/TokenFuzzTestInputs/";
    JsonNode issuance = Vectors.load("privacypass/rfc9578-issuance.json");
    List<IssuerDirectory.TokenKey> keys = new ArrayList<>();
    for (String type : List.of("0x0001", "0x0002")) {
      JsonNode v = issuance.get("token_type_" + type).get(0);
      String name = "type-" + type.substring(5);
      byte[] request = Vectors.hex(v.get("token_request"));
      TokenRequest.parse(request);
      seeds.put(dir + "tokenRequest/" + PREFIX + name, request);
      byte[] response = Vectors.hex(v.get("token_response"));
      byte[] typed = new byte[2 + response.length];
      typed[1] = (byte) Integer.parseInt(type.substring(2), 16);
      System.arraycopy(response, 0, typed, 2, response.length);
      seeds.put(dir + "tokenResponse/" + PREFIX + name, typed);
      byte[] token = Vectors.hex(v.get("token"));
      Token parsed = Token.parse(token);
      seeds.put(dir + "token/" + PREFIX + name, token);
      byte[] challenge = Vectors.hex(v.get("token_challenge"));
      TokenChallenge.parse(challenge);
      seeds.put(dir + "tokenChallenge/" + PREFIX + name, challenge);
      byte[] authorization =
          PrivateTokenAuthorization.header(parsed).getBytes(StandardCharsets.ISO_8859_1);
      seeds.put(dir + "authorization/" + PREFIX + name, authorization);
      seeds.put(dir + "authHeaders/" + PREFIX + "authorization-" + name, authorization);
      keys.add(
          new IssuerDirectory.TokenKey(
              Integer.parseInt(type.substring(2), 16),
              Vectors.hex(v.get("pkS")),
              type.equals("0x0001") ? null : 1_700_000_000L));
    }
    int i = 0;
    for (JsonNode h : Vectors.load("privacypass/rfc9577-auth-scheme.json").get("http_header")) {
      byte[] www = h.get("www_authenticate").asText().getBytes(StandardCharsets.ISO_8859_1);
      PrivateTokenChallenge.parseWwwAuthenticate(h.get("www_authenticate").asText());
      seeds.put(dir + "wwwAuthenticate/" + PREFIX + "rfc9577-" + i, www);
      seeds.put(dir + "authHeaders/" + PREFIX + "rfc9577-" + i, www);
      i++;
    }
    byte[] directory = new IssuerDirectory("https://issuer.example/token-request", keys).encode();
    IssuerDirectory.parse(directory);
    seeds.put(dir + "issuerDirectory/" + PREFIX + "two-types", directory);
  }

  private static void attest(Map<String, byte[]> seeds) throws Exception {
    String dir = "org/privateprocessing/attest/AttestFuzzTestInputs/";
    for (String report :
        List.of(
            "milan-report.bin",
            "virtee-milan-report.bin",
            "teekit-gcp-milan-v5-report.bin",
            "teekit-gcp-milan-v5-reportdata-report.bin")) {
      byte[] bytes = sevsnp(report);
      SnpReport.parse(bytes);
      seeds.put(dir + "snpReport/" + PREFIX + report.replace(".bin", ""), bytes);
    }
    byte[] evidence = evidence().encode();
    EnclaveEvidence.parse(evidence);
    seeds.put(dir + "enclaveEvidence/" + PREFIX + "milan", evidence);
    seeds.put(dir + "verifyEvidence/" + PREFIX + "milan", evidence);
  }

  /**
   * A bundle around a real Milan report and its AMD chain; REPORT_DATA does not bind these keys, so
   * the verifier gets as far as the binding before it refuses.
   */
  public static EnclaveEvidence evidence() throws Exception {
    X509Certificate vcek = Certificates.parse(sevsnp("milan-vcek.der"));
    return new EnclaveEvidence(
        sevsnp("milan-report.bin"),
        List.of(
            vcek,
            Certificates.parse(sevsnp("amd-ask-milan.pem")),
            Certificates.parse(sevsnp("amd-ark-milan.pem"))),
        KeyConfigs.encode(List.of(rfc9458Key().config(), xWingKey().config())),
        vcek.getPublicKey().getEncoded(),
        Instant.parse("2026-06-01T00:00:00Z"));
  }

  private static void tlog(Map<String, byte[]> seeds) throws Exception {
    String dir = "org/privateprocessing/tlog/TlogFuzzTestInputs/";
    Instant at = Instant.parse("2026-11-24T00:00:00Z");
    List<LogEntry> entries =
        List.of(
            new LogEntry.EnclaveRelease("ab".repeat(48), "0.1.0", "6fd841b", at),
            new LogEntry.GatewayKeyConfig(
                "gateway.example", Vectors.hex(OHTTP.get("key_config")), at),
            new LogEntry.IssuerKey(
                "issuer.example",
                2,
                Vectors.hex(
                    Vectors.load("privacypass/rfc9578-issuance.json")
                        .get("token_type_0x0002")
                        .get(0)
                        .get("pkS")),
                at));
    for (LogEntry e : entries) {
      seeds.put(dir + "logEntry/" + PREFIX + e.type(), e.encode());
    }
    JsonNode notes = Vectors.load("merkle/c2sp-signed-note-checkpoint.json");
    for (String name :
        List.of(
            "signed_note_example",
            "signed_note_intro_example_no_vkey",
            "checkpoint_example_no_vkey")) {
      String note = notes.get(name).get("note").asText();
      SignedNote parsed = SignedNote.parse(note);
      seeds.put(
          dir + "signedNote/" + PREFIX + name.replace('_', '-'),
          note.getBytes(StandardCharsets.UTF_8));
      if (name.startsWith("checkpoint")) {
        Checkpoint.parse(parsed.text());
        seeds.put(
            dir + "checkpoint/" + PREFIX + "c2sp", parsed.text().getBytes(StandardCharsets.UTF_8));
      }
    }
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < 13; i++) {
      tree.append(Rfc9162.leafHash(new byte[] {(byte) i}));
    }
    seeds.put(
        dir + "inclusionProof/" + PREFIX + "5-of-13",
        utf8(tree.inclusionProof(5, 13).toJson().toString()));
    seeds.put(
        dir + "consistencyProof/" + PREFIX + "5-to-13",
        utf8(tree.consistencyProof(5, 13).toJson().toString()));
    Checkpoint withExtension =
        new Checkpoint("log.private-processing.local", 3, fill(32, 0xab), List.of("ext line"));
    seeds.put(
        dir + "checkpoint/" + PREFIX + "extension",
        withExtension.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static void api(Map<String, byte[]> seeds) throws Exception {
    String dir = "org/privateprocessing/api/ApiFuzzTestInputs/";
    byte[] chat;
    try (InputStream in = FuzzSeeds.class.getResourceAsStream("/examples/chat.json")) {
      chat = in.readAllBytes();
    }
    SummarizeRequest.parse(chat);
    seeds.put(dir + "summarizeRequest/" + PREFIX + "example-chat", chat);
    String small =
        "{\"chat\":{\"id\":\"c1\",\"title\":\"T\",\"advancedChatPrivacy\":false},"
            + "\"messages\":[{\"id\":\"m1\",\"from\":\"Ann\",\"sentAt\":\"2026-11-24T09:00:00Z\","
            + "\"text\":\"Dinner at 7?\"}],\"maxSentences\":2}";
    put(seeds, dir + "summarizeRequest/" + PREFIX + "small", small);
    SummarizeRequest.parse(utf8(small));
    String suggest =
        "{\"chat\":{\"id\":\"c1\",\"title\":\"T\",\"advancedChatPrivacy\":false},"
            + "\"draft\":\"see you tmrw at 7\",\"tone\":\"formal\"}";
    SuggestRequest.parse(utf8(suggest));
    put(seeds, dir + "suggestRequest/" + PREFIX + "formal", suggest);
    String summary =
        "{\"summary\":\"Alice: Dinner at 7.\",\"highlights\":[{\"messageId\":\"m1\","
            + "\"text\":\"Dinner at 7.\"}],\"model\":{\"name\":\"m\",\"version\":\"1\"},"
            + "\"enclave\":{\"id\":\"ab12\",\"measurement\":\""
            + "ab".repeat(48)
            + "\"}}";
    SummarizeResponse.parse(utf8(summary));
    put(seeds, dir + "summarizeResponse/" + PREFIX + "with-enclave", summary);
    String suggestions =
        "{\"suggestions\":[{\"text\":\"The end.\",\"edits\":["
            + "{\"start\":0,\"end\":3,\"replacement\":\"The\",\"reason\":\"spelling\"},"
            + "{\"start\":7,\"end\":7,\"replacement\":\".\",\"reason\":\"punctuation\"}]},"
            + "{\"text\":\"Hi! \uD83D\uDE42\",\"edits\":[]}],"
            + "\"model\":{\"name\":\"m\",\"version\":\"1\"}}";
    SuggestResponse.parse(utf8(suggestions));
    put(seeds, dir + "suggestResponse/" + PREFIX + "two", suggestions);
    byte[] problem =
        Problem.of(401, "token-invalid", "Token refused", "the token does not verify").encode();
    Problem.parse(problem);
    seeds.put(dir + "problem/" + PREFIX + "token-invalid", problem);
  }

  private static void put(Map<String, byte[]> seeds, String path, String json) {
    seeds.put(path, utf8(json));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sevsnp(String name) {
    try (InputStream in = FuzzSeeds.class.getResourceAsStream("/vectors/sevsnp/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing vector " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] fill(int n, int value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  /** Writes every seed under {@code <project>/src/test/resources} (first argument: project dir). */
  public static void main(String[] args) throws Exception {
    Path project = Path.of(args.length > 0 ? args[0] : ".");
    for (Map.Entry<String, byte[]> e : all().entrySet()) {
      Path file = project.resolve(ROOT).resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
    System.out.println("wrote " + all().size() + " seeds under " + project.resolve(ROOT));
  }
}
