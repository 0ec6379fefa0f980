package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.Tone;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.EnclaveDescriptor;
import org.privateprocessing.client.GatewayListing;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.TrustFiles;
import org.privateprocessing.ohttp.EncapsulatedRequest;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.token.PrivateTokenAuthorization;

/**
 * Statelessness, checked where it matters: the enclave runs in its own JVM; this test sends it a
 * chat and a draft carrying unique canaries (as values, as member names the API does not define, in
 * requests the enclave answers and in requests it refuses after decrypting them), waits for the
 * answers, then has the JVM dump its live objects (which forces a full GC) and searches the dump
 * for each canary, in Latin-1/UTF-8 and UTF-16. Anything of a request still reachable after its
 * response (a cache, a log buffer, a recycled parser buffer, a parser's symbol table) would be
 * found. Then it reads the JVM's native memory ({@link ProcessMemory}: malloc arenas, stacks,
 * direct buffers; everything but the Java heap) for the same canaries.
 */
class CanaryHeapTest {
  @TempDir Path dir;
  private Process server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Path javaTool(String name) {
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    return java.resolveSibling(name);
  }

  private void startEnclaveJvm(int relay, int gateway, int issuer) throws Exception {
    Path conf = dir.resolve("conf.json");
    Files.writeString(
        conf,
        "{\"profile\":\"demo\",\"attestation\":{\"tlsPort\":0},\"log\":{\"port\":0},\"dataDir\":\""
            + dir.resolve("data")
            + "\",\"relay\":{\"port\":"
            + relay
            + ",\"gatewayUrl\":\"http://127.0.0.1:"
            + gateway
            + "\"},"
            + "\"gateway\":{\"port\":"
            + gateway
            + "},\"issuer\":{\"port\":"
            + issuer
            + "},\"enclave\":{\"id\":\"ca0a1e\"}}");
    List<String> command =
        new ArrayList<>(
            List.of(
                javaTool("java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "org.privateprocessing.cli.Main",
                "serve",
                "--conf",
                conf.toString()));
    server =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), relay)) {
        return;
      } catch (IOException notYet) {
        assertThat(server.isAlive())
            .as("server JVM exited: %s", Files.readString(dir.resolve("server.log")))
            .isTrue();
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the server JVM did not open its relay port in time");
  }

  /** Canaries by what they stand for; each must be gone from the enclave JVM after the answers. */
  private final Map<String, String> canaries = new LinkedHashMap<>();

  private String canary(String label) {
    String c = "CANARY" + UUID.randomUUID().toString().replace("-", "");
    canaries.put(label, c);
    return c;
  }

  @Test
  @DisplayName(
      "after answering (or refusing after decryption), the enclave JVM holds no copy of the request:"
          + " not in live heap objects, not in native memory")
  void noCanaryInTheEnclaveJvm() throws Exception {
    int relay = freePort();
    int gateway = freePort();
    int issuer = freePort();
    startEnclaveJvm(relay, gateway, issuer);

    // The server writes its demo trust fragments after its listeners open, then says "serving
    // role".
    for (int i = 0;
        i < 300 && !Files.readString(dir.resolve("server.log")).contains("serving role");
        i++) {
      Thread.sleep(100);
    }
    String value = canary("a value of answered requests");
    String unknownName = canary("an unknown member name");
    String nestedName = canary("an unknown member name inside the chat");
    String refusedValue = canary("a value of a request refused after decryption");
    String malformedName = canary("a member name in malformed JSON");
    Vertx vertx = Vertx.vertx();
    try (PrivateProcessingClient client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay("http://127.0.0.1:" + relay)
                .withIssuer("http://127.0.0.1:" + issuer, "demo")
                .withTrust(TrustFiles.load(dir.resolve("data").resolve("trust")).trust()))) {
      Chat chat = new Chat("c1", "Canary chat", false);
      SummarizeRequest summarize =
          new SummarizeRequest(
              chat,
              List.of(
                  new ChatMessage(
                      "m1",
                      "Ann",
                      null,
                      "The secret word is " + value + " and nobody may keep it."),
                  new ChatMessage(
                      "m2", "Bob", null, "Understood, " + value + " stays between us.")),
              2);
      assertThat(PrivatePathTest.await(client.summarize(summarize)).summary()).contains(value);
      assertThat(
              PrivatePathTest.await(
                      client.suggest(new SuggestRequest(chat, "pls forget " + value, Tone.FORMAL)))
                  .suggestions())
          .isNotEmpty();

      // Requests the SDK would never send, built by hand: each decrypts in the enclave and is then
      // refused by the API, and the refusal must not carry the canary either.
      RawInner raw = new RawInner(vertx, client, "http://127.0.0.1:" + relay);
      String message = "{\"id\":\"m1\",\"from\":\"Ann\",\"text\":\"hello\"}";
      raw.refused(
          "{\"chat\":{\"id\":\"c1\"},\"messages\":[" + message + "],\"" + unknownName + "\":1}",
          "$: unknown member at position 3");
      raw.refused(
          "{\"chat\":{\"id\":\"c1\",\"" + nestedName + "\":true},\"messages\":[" + message + "]}",
          "chat: unknown member at position 2");
      raw.refused(
          "{\"chat\":{\"id\":\"c1\"},\"messages\":[{\"id\":\"m1\",\"from\":\"Ann\",\"text\":\"the word is "
              + refusedValue
              + "\"}],\"maxSentences\":99}",
          "maxSentences: must be an integer from 1 to 10");
      raw.refused("{\"chat\":{\"id\":\"c1\"},\"" + malformedName + "\":", "$: not valid JSON");
      for (String c : canaries.values()) {
        assertThat(raw.problemDetails()).doesNotContain(c);
      }
      raw.close();
    } finally {
      PrivatePathTest.await(vertx.close());
    }

    Path dump = dir.resolve("enclave.hprof");
    Process jcmd =
        new ProcessBuilder(
                javaTool("jcmd").toString(),
                Long.toString(server.pid()),
                "GC.heap_dump",
                dump.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String jcmdOutput = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jcmd.exitValue()).as(jcmdOutput).isZero();
    assertThat(dump).exists();

    byte[] heap = Files.readAllBytes(dump);
    assertThat(heap.length).as("a real heap dump").isGreaterThan(1_000_000);
    // Control: the dump does hold strings the server keeps live, so a miss below means something.
    assertThat(
            indexOf(heap, "issuer.private-processing.local".getBytes(StandardCharsets.ISO_8859_1)))
        .as("control string found in the dump")
        .isGreaterThanOrEqualTo(0);
    ProcessMemory.inAllEncodings(canaries)
        .forEach(
            (label, needle) ->
                assertThat(indexOf(heap, needle))
                    .as("live heap: canary of " + label)
                    .isEqualTo(-1));

    // Native memory: everything the process maps outside the Java heap. Control: the config path
    // is in the process's arguments (its stack) and in the JVM's own copies of them, so the scan
    // does read native memory.
    Assumptions.assumeTrue(ProcessMemory.available(), "needs /proc (Linux)");
    String control = dir.resolve("conf.json").toString();
    Map<String, String> texts = new LinkedHashMap<>(canaries);
    texts.put(CONTROL, control);
    ProcessMemory.Scan scan =
        ProcessMemory.scan(
            server.pid(),
            ProcessMemory.inAllEncodings(texts),
            List.of(ProcessMemory.javaHeap(server.pid(), javaTool("jcmd"))),
            4L << 30);
    assertThat(scan.found()).as("control found in native memory").containsKey(CONTROL + " (UTF-8)");
    assertThat(scan.found().keySet())
        .as(
            "native memory (%d MiB in %d regions): %s",
            scan.bytesRead() >> 20, scan.regions(), scan.found())
        .allMatch(k -> k.startsWith(CONTROL));
  }

  private static final String CONTROL = "control: the config path";

  /**
   * Inner requests built by hand (the SDK validates what it sends), through the relay with a token
   * from the client's wallet; each must come back as a sealed 400 problem.
   */
  private static final class RawInner {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final PrivateProcessingClient client;
    private final String relayUrl;
    private final WebClient http;
    private final StringBuilder details = new StringBuilder();

    RawInner(Vertx vertx, PrivateProcessingClient client, String relayUrl) {
      this.client = client;
      this.relayUrl = relayUrl;
      this.http = WebClient.create(vertx);
    }

    void refused(String json, String detailStart) throws Exception {
      GatewayListing listing = PrivatePathTest.await(client.listing());
      EnclaveDescriptor enclave = listing.enclaves().get(0);
      String token =
          PrivateTokenAuthorization.header(
              PrivatePathTest.await(client.wallet().take(listing.tokenChallenges().get(0))));
      EncapsulatedRequest inner =
          RequestEncapsulator.encapsulate(
              enclave.preferredKeyConfig(),
              BinaryHttpRequest.of(
                      "POST",
                      "https",
                      "enclave",
                      "/v1/summarize",
                      List.of(new Field("content-type", "application/json")),
                      json.getBytes(StandardCharsets.UTF_8))
                  .encode(),
              RANDOM);
      byte[] outerRequest =
          BinaryHttpRequest.of(
                  "POST",
                  "https",
                  "gateway",
                  "/v1/enclave/" + enclave.id(),
                  List.of(
                      new Field("content-type", MediaTypes.OHTTP_REQUEST),
                      new Field("authorization", token)),
                  inner.bytes())
              .encode();
      HttpResponse<Buffer> keys =
          PrivatePathTest.await(http.getAbs(relayUrl + "/.well-known/ohttp-gateway").send());
      KeyConfig gatewayKey =
          KeyConfigs.preferred(KeyConfigs.parse(keys.body().getBytes())).orElseThrow();
      EncapsulatedRequest outer = RequestEncapsulator.encapsulate(gatewayKey, outerRequest, RANDOM);
      HttpResponse<Buffer> answer =
          PrivatePathTest.await(
              http.postAbs(relayUrl + "/")
                  .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
                  .sendBuffer(Buffer.buffer(outer.bytes())));
      assertThat(answer.statusCode()).isEqualTo(200);
      BinaryHttpResponse fromGateway =
          BinaryHttpResponse.parse(outer.opener().open(answer.body().getBytes()));
      assertThat(fromGateway.status()).as("the gateway forwarded it").isEqualTo(200);
      BinaryHttpResponse fromEnclave =
          BinaryHttpResponse.parse(inner.opener().open(fromGateway.content()));
      assertThat(fromEnclave.status()).as("the enclave refused it").isEqualTo(400);
      Problem problem = Problem.parse(fromEnclave.content());
      assertThat(problem.detail()).startsWith(detailStart);
      details.append(problem.detail()).append('\n');
    }

    String problemDetails() {
      return details.toString();
    }

    void close() {
      http.close();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    return ProcessMemory.indexOf(haystack, haystack.length, needle);
  }
}
