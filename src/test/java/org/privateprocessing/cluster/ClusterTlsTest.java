package org.privateprocessing.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.TrustFiles;
import org.privateprocessing.core.Addresses;
import org.privateprocessing.core.ClusteredSpentTokens;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.node.ClusterCredentials;
import org.privateprocessing.node.ClusterOptions;
import org.privateprocessing.node.ClusterSetup;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;

/**
 * Hosts stood for by loopback addresses (Linux routes all of 127.0.0.0/8 to lo): four clustered
 * nodes in this JVM, each with its own Hazelcast interface and event-bus address. Node A
 * (127.0.0.1: issuer, gateway, relay) and node B (127.0.0.2: the enclave) hold certificates from
 * one cluster CA; node C (127.0.0.3) holds one from another CA, node D (127.0.0.4) none at all.
 * Hazelcast's open-source edition has no member TLS, so C and D do join the membership; the event
 * bus's mutual TLS is what keeps them from sending or receiving any envelope.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTlsTest {
  private static final Logger LOG = Logger.getLogger(ClusterTlsTest.class.getName());
  private static final String ENCLAVE_ID = "c1a55e00000000b2";
  private static final String PROBE = "pp.test.bus-tls.probe";
  private static final String ROGUE = "pp.test.bus-tls.rogue";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(3_000);

  @TempDir static Path dir;

  private static Vertx a;
  private static Vertx b;
  private static Vertx c;
  private static Vertx d;
  private static Vertx local;
  private static Node.Running relay;
  private static Node.Running issuer;
  private static Path trustDir;
  private static final AtomicInteger probesAtB = new AtomicInteger();
  private static final AtomicInteger roguesAtC = new AtomicInteger();
  private static final AtomicInteger roguesAtD = new AtomicInteger();

  @BeforeAll
  static void startCluster() throws Exception {
    Instant now = Instant.now();
    ClusterCredentials.Issued ca =
        ClusterCredentials.newCa("test cluster CA", Duration.ofDays(2), now, RANDOM);
    ClusterCredentials.Issued otherCa =
        ClusterCredentials.newCa("another CA", Duration.ofDays(2), now, RANDOM);
    int portBase = 31_000 + RANDOM.nextInt(300) * 100;
    String name = "pp-tls-" + Long.toHexString(RANDOM.nextLong());

    a = await(clustered("a", "127.0.0.1", ca, portBase, name), 120_000);
    b = await(clustered("b", "127.0.0.2", ca, portBase, name), 120_000);
    c = await(clustered("c", "127.0.0.3", otherCa, portBase, name), 120_000);
    d = await(clustered("d", "127.0.0.4", null, portBase, name), 120_000);
    for (Vertx v : List.of(a, b, c, d)) {
      Codecs.register(v);
    }

    // Test consumers: one on a trusted node, one on each untrusted one.
    MessageConsumer<Object> probe =
        b.eventBus()
            .consumer(
                PROBE,
                m -> {
                  probesAtB.incrementAndGet();
                  m.reply("seen by b");
                });
    MessageConsumer<Object> rogueC =
        c.eventBus()
            .consumer(
                ROGUE,
                m -> {
                  roguesAtC.incrementAndGet();
                  m.reply("seen by c");
                });
    MessageConsumer<Object> rogueD =
        d.eventBus()
            .consumer(
                ROGUE,
                m -> {
                  roguesAtD.incrementAndGet();
                  m.reply("seen by d");
                });
    await(Future.all(probe.completion(), rogueC.completion(), rogueD.completion()), 30_000);

    JsonObject enclaveConf =
        conf("b")
            .put(
                "enclave",
                new JsonObject().put("id", ENCLAVE_ID).put("heartbeatMs", 500).put("ttlMs", 2_000));
    Node.Running enclave = await(Node.start(b, Role.ENCLAVE, enclaveConf), 120_000);
    trustDir = Files.createDirectories(dir.resolve("trust"));
    Files.writeString(
        trustDir.resolve("enclave-" + ENCLAVE_ID + ".json"),
        TrustFiles.simulatedFragment(
                enclave.simulatedRoot().orElseThrow(), enclave.measurementHex())
            .encode());

    JsonObject aConf =
        conf("a")
            .put(
                "issuer",
                new JsonObject().put("port", 0).put("tokenTypes", new JsonArray().add(2).add(1)));
    issuer = await(Node.start(a, Role.ISSUER, aConf), 60_000);
    aConf.put(
        "gateway",
        new JsonObject()
            .put("port", 0)
            .put("issuerUrl", issuer.issuerUrl())
            .put("enclaveTimeoutMs", 5_000));
    Node.Running gateway = await(Node.start(a, Role.GATEWAY, aConf), 60_000);
    aConf.put(
        "relay",
        new JsonObject()
            .put("port", 0)
            .put("gatewayUrl", "http://127.0.0.1:" + gateway.gatewayPort()));
    relay = await(Node.start(a, Role.RELAY, aConf), 60_000);
    local = Vertx.vertx();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Vertx v : new Vertx[] {local, d, c, b, a}) {
      if (v != null) {
        try {
          await(v.close(), 30_000);
        } catch (Exception e) {
          LOG.info("close: " + e);
        }
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "a request through a gateway on 127.0.0.1 reaches the enclave on 127.0.0.2 over the TLS event bus")
  void requestCrossesTheTlsEventBus() throws Exception {
    PrivateProcessingClient client = client();
    long deadline = System.currentTimeMillis() + 30_000;
    while (await(client.enclaves(), 30_000).isEmpty()) {
      assertThat(System.currentTimeMillis()).as("enclave listed").isLessThan(deadline);
      Thread.sleep(200);
    }
    SummarizeRequest chat =
        SummarizeRequest.parse(Files.readAllBytes(Path.of("conf", "examples", "chat.json")));
    assertThat(await(client.summarize(chat), 60_000).summary()).isNotEmpty();
  }

  @Test
  @Order(2)
  @DisplayName(
      "a node with the cluster CA's certificate reaches a consumer on another node; one with another CA's, or none, reaches nothing")
  void onlyNodesOfTheClusterCaCanSend() throws Exception {
    assertThat(await(a.eventBus().request(PROBE, "from a", QUICK), 10_000).body())
        .isEqualTo("seen by b");
    assertThat(probesAtB.get()).isEqualTo(1);

    for (Vertx untrusted : List.of(c, d)) {
      Throwable probe = failure(untrusted.eventBus().request(PROBE, "from outside", QUICK));
      LOG.info("an untrusted node's message failed with " + probe);
      assertThat(probe).isInstanceOf(ReplyException.class);
      assertThat(((ReplyException) probe).failureType())
          .isNotEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      // An envelope to the enclave's handshake stage fails the same way: the enclave would have
      // answered a 1-byte inner request with a 400 recipient failure, had it arrived.
      Throwable envelope =
          failure(
              untrusted
                  .eventBus()
                  .request(
                      Addresses.handshake(ENCLAVE_ID),
                      Envelope.of(Envelope.Kind.INNER_REQUEST, new byte[] {1}),
                      QUICK));
      assertThat(envelope).isInstanceOf(ReplyException.class);
      assertThat(((ReplyException) envelope).failureType())
          .isNotEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    }
    assertThat(probesAtB.get()).as("nothing from c or d reached b's consumer").isEqualTo(1);

    // The trusted envelope does arrive (and is refused by the enclave, for its content).
    Throwable trusted =
        failure(
            a.eventBus()
                .request(
                    Addresses.handshake(ENCLAVE_ID),
                    Envelope.of(Envelope.Kind.INNER_REQUEST, new byte[] {1}),
                    QUICK));
    assertThat(trusted).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) trusted).failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(((ReplyException) trusted).failureCode()).isEqualTo(400);
  }

  @Test
  @Order(3)
  @DisplayName("a node without the cluster CA's certificate receives nothing sent to its consumers")
  void untrustedNodesReceiveNothing() throws Exception {
    for (Vertx trusted : List.of(a, b)) {
      for (int i = 0; i < 2; i++) {
        // Two consumers (c and d) share the address: each is picked in turn, and both fail.
        Throwable t = failure(trusted.eventBus().request(ROGUE, "secret-free probe", QUICK));
        assertThat(t).isInstanceOf(ReplyException.class);
      }
    }
    assertThat(roguesAtC.get()).as("messages c received").isZero();
    assertThat(roguesAtD.get()).as("messages d received").isZero();
  }

  @Test
  @Order(4)
  @DisplayName(
      "what Hazelcast membership (no TLS in its open-source edition) still gives an untrusted node: the member list and the cluster maps")
  void membershipIsNotProtected() throws Exception {
    ClusterManager manager = ((io.vertx.core.internal.VertxInternal) d).clusterManager();
    assertThat(manager.getNodes()).as("d sees every member").hasSize(4);
    // The spent-token map (key ids and nonces of spent tokens) is readable by any member: this is
    // why docs/OPERATIONS.md asks for Hazelcast's port to be isolated to the fleet's hosts.
    int spent =
        await(
            d.sharedData()
                .<String, Boolean>getClusterWideMap(ClusteredSpentTokens.MAP_NAME)
                .compose(m -> m.size()),
            10_000);
    assertThat(spent).as("spent tokens d can read").isPositive();
  }

  // --- helpers ---

  /** One clustered node on {@code host}, its Hazelcast bound there, with TLS from {@code ca}. */
  private static Future<Vertx> clustered(
      String node, String host, ClusterCredentials.Issued ca, int portBase, String clusterName)
      throws Exception {
    String xml;
    try (var in = ClusterTlsTest.class.getResourceAsStream("/" + ClusterSetup.CLASSPATH_CONFIG)) {
      xml =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace(
                  "<cluster-name>private-processing</cluster-name>",
                  "<cluster-name>" + clusterName + "</cluster-name>")
              .replace(">5701</port>", ">" + portBase + "</port>")
              .replace(
                  "<member>127.0.0.1</member>",
                  "<member>127.0.0.1</member><member>127.0.0.2</member>"
                      + "<member>127.0.0.3</member><member>127.0.0.4</member>")
              .replace("<interface>127.0.0.1</interface>", "<interface>" + host + "</interface>")
              // 127.0.0.2.. are routed to lo but not assigned to it: Hazelcast's interface
              // matching would not find them, its local-address property takes them as they are.
              .replace(
                  "<properties>",
                  "<properties><property name=\""
                      + ClusterSetup.LOCAL_ADDRESS
                      + "\">"
                      + host
                      + "</property>");
    }
    Path nodeDir = Files.createDirectories(dir.resolve(node));
    Path xmlFile = Files.writeString(nodeDir.resolve("cluster.xml"), xml);
    ClusterOptions.Tls tls = ClusterOptions.Tls.DEFAULTS;
    if (ca != null) {
      ClusterCredentials.Issued cert =
          ClusterCredentials.issue(ca, List.of(host), Duration.ofDays(1), Instant.now(), RANDOM);
      Path certFile = nodeDir.resolve("node-cert.pem");
      Path keyFile = nodeDir.resolve("node-key.pem");
      Path trustFile = nodeDir.resolve("cluster-ca.pem");
      ClusterCredentials.writeNew(certFile, cert.certificatePem(), false);
      ClusterCredentials.writeNew(keyFile, cert.keyPem(), true);
      ClusterCredentials.writeNew(trustFile, ca.certificatePem(), false);
      tls = new ClusterOptions.Tls(certFile, keyFile, trustFile);
    }
    ClusterSetup.Checked checked =
        ClusterSetup.prepare(xmlFile, new ClusterOptions(host, null, 0, tls));
    assertThat(checked.tls()).isEqualTo(ca != null);
    return ClusterSetup.start(checked);
  }

  private static JsonObject conf(String node) {
    return new JsonObject()
        .put("profile", "demo")
        .put("dataDir", dir.resolve(node).resolve("data").toString())
        .put("attestation", new JsonObject().put("tlsPort", 0));
  }

  private static PrivateProcessingClient client() throws Exception {
    ClientOptions o =
        ClientOptions.forRelay(relay.relayUrl())
            .withIssuer(issuer.issuerUrl(), ClientOptions.DEMO_ACCOUNT);
    return PrivateProcessingClient.create(
        local,
        TrustFiles.load(trustDir)
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
  }

  private static <T> T await(Future<T> future, long timeoutMs) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private static Throwable failure(Future<?> future) throws Exception {
    try {
      await(future, 30_000);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }
}
