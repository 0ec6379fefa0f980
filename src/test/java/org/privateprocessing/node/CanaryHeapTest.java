package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
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
import org.privateprocessing.attest.AttestationPolicy;
import org.privateprocessing.attest.Certificates;
import org.privateprocessing.attest.TrustAnchors;
import org.privateprocessing.attest.ratls.RaTlsSession;
import org.privateprocessing.attest.ratls.RaTlsTrustManager;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.TrustFiles;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenTypes;

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

  private void startEnclaveJvm(int relay, int gateway, int issuer, int tls) throws Exception {
    Path conf = dir.resolve("conf.json");
    Files.writeString(
        conf,
        "{\"profile\":\"demo\",\"attestation\":{\"tlsPort\":"
            + tls
            + "},\"log\":{\"port\":0},\"admin\":{\"port\":0},\"dataDir\":\""
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
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile());
    builder
        .environment()
        .put("GLIBC_TUNABLES", "glibc.malloc.perturb=165:glibc.malloc.tcache_count=0");
    server = builder.start();
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
    int tls = freePort();
    startEnclaveJvm(relay, gateway, issuer, tls);

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
    String raTlsValue = canary("a value sent over RA-TLS");
    String raTlsName = canary("an unknown member name sent over RA-TLS");
    String raTlsUnread = canary("a body sent over RA-TLS without a token");
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
      StringBuilder details = new StringBuilder();
      try (RawEnclaveRequests raw =
          new RawEnclaveRequests(vertx, client, "http://127.0.0.1:" + relay)) {
        String message = "{\"id\":\"m1\",\"from\":\"Ann\",\"text\":\"hello\"}";
        details.append(
            refused(
                raw,
                "{\"chat\":{\"id\":\"c1\"},\"messages\":["
                    + message
                    + "],\""
                    + unknownName
                    + "\":1}",
                "$: unknown member at position 3"));
        details.append(
            refused(
                raw,
                "{\"chat\":{\"id\":\"c1\",\""
                    + nestedName
                    + "\":true},\"messages\":["
                    + message
                    + "]}",
                "chat: unknown member at position 2"));
        details.append(
            refused(
                raw,
                "{\"chat\":{\"id\":\"c1\"},\"messages\":[{\"id\":\"m1\",\"from\":\"Ann\","
                    + "\"text\":\"the word is "
                    + refusedValue
                    + "\"}],\"maxSentences\":99}",
                "maxSentences: must be an integer from 1 to 10"));
        details.append(
            refused(
                raw, "{\"chat\":{\"id\":\"c1\"},\"" + malformedName + "\":", "$: not valid JSON"));
      }

      // The RA-TLS listener: the body arrives in the clear inside TLS, so it passes through the
      // TLS library's and Netty's native buffers, where the finding saw it stay.
      TokenChallenge challenge =
          PrivatePathTest.await(client.listing()).tokenChallenges().stream()
              .filter(c -> c.tokenType() == TokenTypes.BLIND_RSA_2048)
              .findFirst()
              .orElseThrow();
      RaTlsSession session =
          PrivatePathTest.await(
              RaTlsSession.open(vertx, raTlsTrust(), "127.0.0.1", tls, new SecureRandom()));
      try {
        String chatJson =
            "{\"chat\":{\"id\":\"c2\"},\"messages\":[{\"id\":\"m1\",\"from\":\"Ann\","
                + "\"text\":\"The password is "
                + raTlsValue
                + " and it is private.\"}]}";
        RaTlsSession.Response ok = raTls(session, client, challenge, chatJson);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(new String(ok.body(), StandardCharsets.UTF_8)).contains(raTlsValue);
        RaTlsSession.Response unknown =
            raTls(
                session,
                client,
                challenge,
                "{\"chat\":{\"id\":\"c2\"},\"messages\":[{\"id\":\"m1\",\"from\":\"Ann\","
                    + "\"text\":\"hi\"}],\""
                    + raTlsName
                    + "\":1}");
        assertThat(unknown.status()).isEqualTo(400);
        details.append(Problem.parse(unknown.body()).detail());
        RaTlsSession.Response noToken =
            PrivatePathTest.await(
                session.post(
                    "/v1/summarize",
                    "application/json",
                    chatJson.replace(raTlsValue, raTlsUnread).getBytes(StandardCharsets.UTF_8),
                    null));
        assertThat(noToken.status()).isEqualTo(401);
      } finally {
        PrivatePathTest.await(session.close());
      }
      for (String c : canaries.values()) {
        assertThat(details.toString()).doesNotContain(c);
      }
    } finally {
      PrivatePathTest.await(vertx.close());
    }

    // The refusals were answered, not logged: no canary and no stack trace in the server's log.
    String log = Files.readString(dir.resolve("server.log"));
    for (String c : canaries.values()) {
      assertThat(log).doesNotContain(c);
    }
    assertThat(log).doesNotContain("\tat org.privateprocessing");

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

  private static RaTlsSession.Response raTls(
      RaTlsSession session, PrivateProcessingClient client, TokenChallenge challenge, String json)
      throws Exception {
    Token token = PrivatePathTest.await(client.wallet().take(challenge));
    return PrivatePathTest.await(
        session.post(
            "/v1/summarize",
            "application/json",
            json.getBytes(StandardCharsets.UTF_8),
            PrivateTokenAuthorization.header(token)));
  }

  /** RA-TLS trust from the demo's trust fragments: its simulated roots and measurements. */
  private RaTlsTrustManager raTlsTrust() throws Exception {
    List<byte[]> measurements = new ArrayList<>();
    List<X509Certificate> roots = new ArrayList<>();
    try (var files = Files.list(dir.resolve("data").resolve("trust"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonObject j = new JsonObject(Files.readString(f));
        for (Object m : j.getJsonArray("measurements", new JsonArray())) {
          measurements.add(HexFormat.of().parseHex((String) m));
        }
        for (Object pem : j.getJsonArray("simulatedRoots", new JsonArray())) {
          roots.add(Certificates.parse(((String) pem).getBytes(StandardCharsets.US_ASCII)));
        }
      }
    }
    return new RaTlsTrustManager(
        AttestationPolicy.requireMeasurements(measurements)
            .withMaxEvidenceAge(Duration.ofMinutes(5)),
        TrustAnchors.trustSimulatedRoots(roots),
        Clock.systemUTC());
  }

  /**
   * Posts a hand-built summarise request that the enclave must refuse after decrypting it, with a
   * sealed 400 whose detail starts with {@code detailStart}; returns the detail.
   */
  private static String refused(RawEnclaveRequests raw, String json, String detailStart)
      throws Exception {
    RawEnclaveRequests.Answer answer = raw.post("/v1/summarize", json);
    assertThat(answer.fromEnclave()).as("the gateway forwarded it").isNotNull();
    assertThat(answer.fromEnclave().status()).as("the enclave refused it").isEqualTo(400);
    Problem problem = Problem.parse(answer.fromEnclave().content());
    assertThat(problem.detail()).startsWith(detailStart);
    return problem.detail();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    return ProcessMemory.indexOf(haystack, haystack.length, needle);
  }
}
