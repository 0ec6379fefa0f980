package org.privateprocessing.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.LocalOnly;
import org.privateprocessing.node.ClusterSetup;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;
import org.privateprocessing.ohttp.EncapsulatedRequest;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.Token;

/**
 * Roles in separate JVMs joined by Hazelcast on 127.0.0.1: an issuer, one enclave, two gateways,
 * and this JVM as a cluster member too (for the codec test) with two relays, one per gateway. The
 * cluster has its own name and port range, so it never joins another cluster on this machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
  private static final Logger LOG = Logger.getLogger(ClusterTest.class.getName());
  private static final long READY_MS = 150_000;
  private static final String ENCLAVE_ID = "c1a55e0000000001";
  private static final SecureRandom RANDOM = new SecureRandom();

  private static Path dir;
  private static final List<Process> processes = new ArrayList<>();
  private static Process enclave;
  private static Vertx member;
  private static Vertx local;
  private static String issuerUrl;
  private static String relayA;
  private static String relayB;

  @BeforeAll
  static void startCluster() throws Exception {
    dir = Files.createDirectories(Path.of("target", "cluster-test"));
    // Trust only the enclave of this run, never a root left by an earlier one.
    Path oldTrust = dir.resolve("data").resolve("trust");
    if (Files.isDirectory(oldTrust)) {
      try (var files = Files.list(oldTrust)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.delete(f);
        }
      }
    }
    int portBase = 30_000 + RANDOM.nextInt(300) * 100;
    String clusterXml;
    try (var in = ClusterTest.class.getResourceAsStream("/" + ClusterSetup.CLASSPATH_CONFIG)) {
      clusterXml =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace(
                  "<cluster-name>private-processing</cluster-name>",
                  "<cluster-name>pp-test-"
                      + Long.toHexString(RANDOM.nextLong())
                      + "</cluster-name>")
              .replace(">5701</port>", ">" + portBase + "</port>");
    }
    Path cluster = Files.writeString(dir.resolve("cluster.xml"), clusterXml);
    int issuerPort = freePort();
    int gatewayA = freePort();
    int gatewayB = freePort();
    issuerUrl = "http://127.0.0.1:" + issuerPort;
    JsonObject issuer =
        new JsonObject()
            .put(
                "issuer",
                new JsonObject()
                    .put("port", issuerPort)
                    .put("tokenTypes", new io.vertx.core.json.JsonArray().add(2).add(1)));
    JsonObject enclaveConf =
        new JsonObject()
            .put(
                "enclave",
                new JsonObject().put("id", ENCLAVE_ID).put("heartbeatMs", 500).put("ttlMs", 2_000));

    // The issuer first: the cluster's first member, so the others join it rather than racing.
    Process issuerJvm = start("issuer", issuer, cluster);
    awaitReady(issuerJvm, "issuer");
    enclave = start("enclave", enclaveConf, cluster);
    Process a = start("gateway", gateway(gatewayA), cluster, "gateway-a");
    Process b = start("gateway", gateway(gatewayB), cluster, "gateway-b");
    member = await(ClusterSetup.start(ClusterSetup.load(cluster)), READY_MS);
    Codecs.register(member);
    awaitReady(enclave, "enclave");
    awaitReady(a, "gateway-a");
    awaitReady(b, "gateway-b");

    local = Vertx.vertx();
    relayA = await(Node.start(local, Role.RELAY, relay(gatewayA)), 30_000).relayUrl();
    relayB = await(Node.start(local, Role.RELAY, relay(gatewayB)), 30_000).relayUrl();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (local != null) {
      await(local.close(), 10_000);
    }
    if (member != null) {
      await(member.close(), 20_000);
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "a token spent through gateway A is refused with 401 through gateway B (one spent-token map)")
  void tokenSpentAtOneGatewayIsRefusedAtTheOther() throws Exception {
    PrivateProcessingClient viaA = client(relayA);
    PrivateProcessingClient viaB = client(relayB);
    awaitListed(viaA);
    awaitListed(viaB);
    Token token =
        await(viaA.wallet().take(await(viaA.listing(), 30_000).tokenChallenges().get(0)), 30_000);
    SummarizeRequest chat = chat();

    assertThat(await(viaA.summarize(chat, token), 30_000).summary()).isNotEmpty();
    Future<?> replay = viaB.summarize(chat, token);
    Throwable refused = awaitFailure(replay);
    assertThat(refused)
        .isInstanceOfSatisfying(
            PrivateProcessingException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.type()).endsWith("token-replayed");
            });
    // And B still serves a fresh token: the refusal was about the token, not the gateway.
    assertThat(await(viaB.summarize(chat), 30_000).summary()).isNotEmpty();
  }

  @Test
  @Order(2)
  @DisplayName(
      "a plaintext (LocalOnly) message to an address served only on another node fails; an Envelope arrives")
  void plaintextCodecRefusesARemoteHop() throws Exception {
    DeliveryOptions quick = new DeliveryOptions().setSendTimeout(3_000);
    Throwable plaintext;
    try {
      plaintext =
          awaitFailure(
              member
                  .eventBus()
                  .request(
                      Addresses.handshake(ENCLAVE_ID),
                      new LocalOnly<>("plaintext that must not leave"),
                      quick));
    } catch (RuntimeException thrownAtSend) {
      plaintext = thrownAtSend;
    }
    LOG.info("LocalOnly to a remote address failed with " + plaintext);
    // It never reached the enclave: the enclave would have refused it as a bad envelope (400).
    assertThat(plaintext).isNotNull();
    if (plaintext instanceof ReplyException r) {
      assertThat(r.failureType()).isNotEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    }

    // Ciphertext crosses: the enclave's handshake stage answers (refusing a 1-byte inner request).
    Throwable envelope =
        awaitFailure(
            member
                .eventBus()
                .request(
                    Addresses.handshake(ENCLAVE_ID),
                    Envelope.of(Envelope.Kind.INNER_REQUEST, new byte[] {1}),
                    quick));
    assertThat(envelope)
        .isInstanceOfSatisfying(
            ReplyException.class,
            r -> {
              assertThat(r.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
              assertThat(r.failureCode()).isEqualTo(400);
              assertThat(r.getMessage()).contains("inner-truncated");
            });
  }

  @Test
  @Order(3)
  @DisplayName(
      "a killed enclave leaves the listing within seconds, and a request naming it gets an encapsulated 503 with Retry-After")
  void killedEnclaveDisappearsAndIsRefusedAsRetryable() throws Exception {
    PrivateProcessingClient viaA = client(relayA);
    awaitListed(viaA);
    enclave.destroyForcibly();
    long killed = System.nanoTime();
    long goneMs = -1;
    while (System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(15)) {
      if (await(viaA.enclaves(), 30_000).isEmpty()) {
        goneMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        break;
      }
      Thread.sleep(200);
    }
    LOG.info("killed enclave left the listing after " + goneMs + " ms");
    assertThat(goneMs).as("gone from /v1/enclaves").isBetween(0L, 10_000L);

    Token token =
        await(viaA.wallet().take(await(viaA.listing(), 30_000).tokenChallenges().get(0)), 30_000);
    BinaryHttpRequest named =
        BinaryHttpRequest.of(
            "POST",
            "https",
            "gateway",
            "/v1/enclave/" + ENCLAVE_ID,
            List.of(
                new Field("content-type", MediaTypes.OHTTP_REQUEST),
                new Field("authorization", PrivateTokenAuthorization.header(token))),
            new byte[] {1, 2, 3});
    BinaryHttpResponse answer = throughRelay(relayA, named);
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.header("retry-after")).contains("1");
    assertThat(Problem.parse(answer.content()).type()).endsWith("enclave-unavailable");
  }

  // --- helpers ---

  private static JsonObject gateway(int port) {
    return new JsonObject()
        .put(
            "gateway",
            new JsonObject()
                .put("port", port)
                .put("issuerUrl", issuerUrl)
                .put("enclaveTimeoutMs", 5_000));
  }

  private static JsonObject relay(int gatewayPort) {
    return new JsonObject()
        .put(
            "relay",
            new JsonObject().put("port", 0).put("gatewayUrl", "http://127.0.0.1:" + gatewayPort));
  }

  private static PrivateProcessingClient client(String relay) {
    ClientOptions o =
        ClientOptions.forRelay(relay).withIssuer(issuerUrl, ClientOptions.DEMO_ACCOUNT);
    try {
      return PrivateProcessingClient.create(
          local,
          org.privateprocessing.client.TrustFiles.load(dir.resolve("data").resolve("trust"))
              .applyTo(
                  new ClientOptions(
                      o.relayUrl(),
                      o.issuerUrl(),
                      o.account(),
                      2,
                      20_000,
                      0,
                      o.paddingBlock(),
                      o.trust(),
                      null,
                      ClientOptions.DEFAULT_STREAM_IDLE_MS)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static SummarizeRequest chat() throws Exception {
    return SummarizeRequest.parse(Files.readAllBytes(Path.of("conf", "examples", "chat.json")));
  }

  /** Announcements reach a gateway within a beat; wait for the enclave to be listed there. */
  private static void awaitListed(PrivateProcessingClient client) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (await(client.enclaves(), 30_000).isEmpty()) {
      assertThat(System.currentTimeMillis()).as("enclave listed").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** One request sealed to the gateway's key and sent through a relay, as the client does. */
  private static BinaryHttpResponse throughRelay(String relay, BinaryHttpRequest request)
      throws Exception {
    WebClient http = WebClient.create(local);
    HttpResponse<Buffer> keys =
        await(http.getAbs(relay + "/.well-known/ohttp-gateway").send(), 30_000);
    EncapsulatedRequest sealed =
        RequestEncapsulator.encapsulate(
            KeyConfigs.preferred(KeyConfigs.parse(keys.body().getBytes())).orElseThrow(),
            request.encode(),
            RANDOM);
    HttpResponse<Buffer> response =
        await(
            http.postAbs(relay + "/")
                .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
                .sendBuffer(Buffer.buffer(sealed.bytes())),
            30_000);
    assertThat(response.statusCode()).as("the relay sees only a 200").isEqualTo(200);
    return BinaryHttpResponse.parse(sealed.opener().open(response.body().getBytes()));
  }

  private static Process start(String role, JsonObject conf, Path cluster) throws IOException {
    return start(role, conf, cluster, role);
  }

  private static Process start(String role, JsonObject conf, Path cluster, String name)
      throws IOException {
    // Demo profile: simulated attestation, whose root the enclave JVM leaves in data/trust for the
    // client.
    conf.put("profile", "demo")
        .put("dataDir", dir.resolve("data").toString())
        .put("attestation", new JsonObject().put("tlsPort", 0))
        // Several JVMs on one machine: each admin listener on a free port.
        .put("admin", new JsonObject().put("port", 0));
    Path confFile = Files.writeString(dir.resolve(name + ".json"), conf.encodePrettily());
    Path log = dir.resolve(name + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "org.privateprocessing.cli.Main",
                "serve",
                "--role",
                role,
                "--cluster",
                "--cluster-conf",
                cluster.toString(),
                "--conf",
                confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** Waits for the "serving role" line of a child's log; fails early with its tail if it dies. */
  private static void awaitReady(Process p, String name) throws Exception {
    Path log = dir.resolve(name + ".log");
    long deadline = System.currentTimeMillis() + READY_MS;
    while (System.currentTimeMillis() < deadline) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      if (text.contains("serving role")) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError(name + " exited with " + p.exitValue() + ": " + tail(text));
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        name + " not ready within " + READY_MS + " ms: " + tail(Files.readString(log)));
  }

  private static String tail(String text) {
    return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static <T> T await(Future<T> future, long timeoutMs) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private static Throwable awaitFailure(Future<?> future) throws Exception {
    try {
      await(future, 30_000);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }
}
