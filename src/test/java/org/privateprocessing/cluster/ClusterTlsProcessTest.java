package org.privateprocessing.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.cli.ClusterCaFixture;
import org.privateprocessing.client.EnclaveDescriptor;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;
import org.privateprocessing.node.ServeProcesses;

/**
 * Issue #13's cluster across hosts, with real processes and the operator's own steps: {@code
 * cluster-ca init} makes a CA and {@code cluster-ca issue} the node certificates; a gateway {@code
 * serve} process on 127.0.0.1 and an enclave {@code serve} process on 127.0.0.2 (each its own
 * Hazelcast interface, TCP-IP join, event bus on its address with mutual TLS) answer a real {@code
 * summarize} through a relay and an issuer in this JVM. A third process, an enclave on 127.0.0.3
 * with a certificate of another CA, joins the Hazelcast membership (its open-source edition has no
 * member TLS) but never gets a request: the gateway never lists it, requests go to the good
 * enclave, and once that one is killed they fail cleanly (no enclave) instead of reaching the
 * foreign one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTlsProcessTest {
  private static final Logger LOG = Logger.getLogger(ClusterTlsProcessTest.class.getName());
  private static final long READY_MS = 180_000;
  private static final String GOOD_ENCLAVE = "c1a55e00000000a2";
  private static final String FOREIGN_ENCLAVE = "c1a55e00000000f3";
  private static final List<String> MEMBERS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");

  @TempDir static Path dir;
  private static final Map<String, Process> processes = new LinkedHashMap<>();
  private static Vertx local;
  private static String issuerUrl;
  private static String relayUrl;
  private static Path trust;

  @BeforeAll
  static void startCluster() throws Exception {
    // The operator's steps: one CA for the cluster, one certificate per host; and an outsider's.
    Path ca = ClusterCaFixture.init(dir.resolve("ca"));
    Path otherCa = ClusterCaFixture.init(dir.resolve("other-ca"));
    Path certA = ClusterCaFixture.issue(ca, "127.0.0.1", dir.resolve("node-a"));
    Path certB = ClusterCaFixture.issue(ca, "127.0.0.2", dir.resolve("node-b"));
    Path certC = ClusterCaFixture.issue(otherCa, "127.0.0.3", dir.resolve("node-c"));
    String clusterName = ServeProcesses.clusterName("pp-tls-process-");
    int portBase = ServeProcesses.portBase();

    local = Vertx.vertx();
    JsonObject issuerConf =
        conf("issuer")
            .put(
                "issuer",
                new JsonObject().put("port", 0).put("tokenTypes", new JsonArray().add(2).add(1)));
    issuerUrl = await(Node.start(local, Role.ISSUER, issuerConf), 60_000).issuerUrl();

    int gatewayPort = ServeProcesses.freePort();
    // The gateway first: the cluster's first member, so the others join it rather than racing.
    JsonObject gateway =
        conf("node-a")
            .put(
                "gateway",
                new JsonObject()
                    .put("port", gatewayPort)
                    .put("issuerUrl", issuerUrl)
                    .put("enclaveTimeout", "5s"));
    start("gateway", "gateway", "127.0.0.1", certA, gateway, clusterName, portBase);
    ServeProcesses.awaitReady(processes.get("gateway"), dir.resolve("gateway.log"), READY_MS);
    start("enclave-b", "enclave", "127.0.0.2", certB, enclave(GOOD_ENCLAVE), clusterName, portBase);
    start(
        "enclave-c",
        "enclave",
        "127.0.0.3",
        certC,
        enclave(FOREIGN_ENCLAVE),
        clusterName,
        portBase);
    for (String name : List.of("enclave-b", "enclave-c")) {
      ServeProcesses.awaitReady(processes.get(name), dir.resolve(name + ".log"), READY_MS);
    }

    JsonObject relayConf =
        conf("relay")
            .put(
                "relay",
                new JsonObject()
                    .put("port", 0)
                    .put("gatewayUrl", "http://127.0.0.1:" + gatewayPort));
    relayUrl = await(Node.start(local, Role.RELAY, relayConf), 60_000).relayUrl();

    // The client trusts both enclaves' (simulated) attestation: what keeps the foreign one out is
    // the event bus's mutual TLS, not the client's trust.
    trust = Files.createDirectories(dir.resolve("trust"));
    for (String node : List.of("enclave-b", "enclave-c")) {
      try (var files = Files.list(dir.resolve(node).resolve("data").resolve("trust"))) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.copy(f, trust.resolve(f.getFileName()));
        }
      }
    }
    assertThat(trust.resolve("enclave-" + FOREIGN_ENCLAVE + ".json")).exists();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    ServeProcesses.kill(processes.values(), 30);
    if (local != null) {
      await(local.close(), 20_000);
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "cluster-ca credentials: a gateway process on 127.0.0.1 serves summarize through the enclave process on 127.0.0.2; the other CA's enclave is never listed")
  void requestsCrossTheTlsEventBusToTheGoodEnclaveOnly() throws Exception {
    PrivateProcessingClient client = client();
    long deadline = System.currentTimeMillis() + 60_000;
    while (!ids(await(client.enclaves(), 30_000)).contains(GOOD_ENCLAVE)) {
      assertThat(System.currentTimeMillis()).as("the good enclave listed").isLessThan(deadline);
      Thread.sleep(200);
    }
    SummarizeRequest chat = chat();
    for (int i = 0; i < 3; i++) {
      var answered = await(client.summarizeWithReceipt(chat), 60_000);
      assertThat(answered.answer().summary()).isNotEmpty();
      assertThat(answered.receipt().enclaveId()).isEqualTo(GOOD_ENCLAVE);
    }
    // The foreign enclave has announced itself every 500 ms since it started; none reached the
    // gateway over the event bus.
    Thread.sleep(2_000);
    assertThat(ids(await(client.enclaves(), 30_000))).containsExactly(GOOD_ENCLAVE);
    assertThat(processes.get("enclave-c").isAlive()).as("the foreign enclave still runs").isTrue();
  }

  @Test
  @Order(2)
  @DisplayName(
      "with the good enclave killed (kill -9) a request fails cleanly as no enclave: the foreign one, still running, gets nothing")
  void theForeignEnclaveNeverServes() throws Exception {
    processes.get("enclave-b").destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    PrivateProcessingClient client = client();
    long killed = System.currentTimeMillis();
    List<String> listed = ids(await(client.enclaves(), 30_000));
    while (!listed.isEmpty()) {
      assertThat(System.currentTimeMillis() - killed)
          .as(
              "the killed enclave leaves the listing; still listed: %s; gateway log: %s",
              listed, ServeProcesses.tail(Files.readString(dir.resolve("gateway.log"))))
          .isLessThan(15_000);
      Thread.sleep(200);
      listed = ids(await(client.enclaves(), 30_000));
    }
    Throwable refused = failure(client.summarize(chat()));
    LOG.info("with only the foreign enclave running: " + refused);
    assertThat(refused)
        .isInstanceOfSatisfying(
            PrivateProcessingException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.type()).endsWith("no-enclaves");
            });
    assertThat(ids(await(client.enclaves(), 30_000))).isEmpty();
    assertThat(processes.get("enclave-c").isAlive()).as("the foreign enclave still runs").isTrue();
    for (String name : List.of("gateway", "enclave-c")) {
      assertThat(Files.readString(dir.resolve(name + ".log")))
          .as(name + " logs no stack trace")
          .doesNotContain("\tat ");
    }
  }

  // --- helpers ---

  private static JsonObject conf(String node) {
    return new JsonObject()
        .put("profile", "demo")
        .put("dataDir", dir.resolve(node).resolve("data").toString())
        .put("attestation", new JsonObject().put("tlsPort", -1))
        .put("admin", new JsonObject().put("port", 0));
  }

  private static JsonObject enclave(String id) {
    return new JsonObject()
        .put("enclave", new JsonObject().put("id", id).put("heartbeat", "500ms").put("ttl", "2s"));
  }

  /** {@code serve --role ROLE --cluster} for one "host": its Hazelcast, event bus and TLS files. */
  private static void start(
      String name,
      String role,
      String host,
      Path credentials,
      JsonObject roleConf,
      String clusterName,
      int portBase)
      throws Exception {
    JsonObject conf =
        conf(name)
            .mergeIn(roleConf)
            .put(
                "cluster",
                new JsonObject()
                    .put("host", host)
                    .put("port", 0)
                    .put("tls", ClusterCaFixture.tlsSection(credentials)));
    Path confFile = Files.writeString(dir.resolve(name + ".json"), conf.encodePrettily());
    Path xml =
        ServeProcesses.hostClusterConfig(
            dir.resolve(name + "-cluster.xml"), clusterName, portBase, host, MEMBERS);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--role",
                role,
                "--cluster",
                "--cluster-conf",
                xml.toString(),
                "--conf",
                confFile.toString()));
    processes.put(name, ServeProcesses.serve(dir.resolve(name + ".log"), args));
  }

  private static PrivateProcessingClient client() throws Exception {
    return ClusterClients.uncached(local, relayUrl, issuerUrl, trust);
  }

  private static List<String> ids(List<EnclaveDescriptor> enclaves) {
    return enclaves.stream().map(EnclaveDescriptor::id).toList();
  }

  private static SummarizeRequest chat() throws Exception {
    return SummarizeRequest.parse(Files.readAllBytes(Path.of("conf", "examples", "chat.json")));
  }

  private static <T> T await(Future<T> future, long timeoutMs) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private static Throwable failure(Future<?> future) throws Exception {
    try {
      await(future, 60_000);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }
}
