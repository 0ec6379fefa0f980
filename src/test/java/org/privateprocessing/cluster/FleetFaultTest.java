package org.privateprocessing.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
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
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.client.TrustFiles;
import org.privateprocessing.core.RedisServer;
import org.privateprocessing.node.ServeProcesses;
import org.privateprocessing.token.Token;

/**
 * Issue #13, the fleet under faults, with real processes: a Redis (spent tokens and issuance
 * windows), an issuer, an enclave and two gateways joined by Hazelcast on 127.0.0.1, the gateways
 * on one key directory, and a relay process in front of both. A gateway is killed with {@code kill
 * -9} under load: every request is answered or refused with a typed problem, the survivor serves,
 * and no token is accepted twice. Then the whole fleet, Redis included, is killed between issuance
 * and redemption and started again: each token fetched before redeems once, and only once.
 * (scripts/fleet-faults.sh runs the same faults at a steady rate, plus the issuer's and Redis's.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetFaultTest {
  private static final Logger LOG = Logger.getLogger(FleetFaultTest.class.getName());
  private static final long READY_MS = 180_000;

  @TempDir static Path dir;
  private static Path cluster;
  private static RedisServer redis;
  private static final Map<String, Process> processes = new LinkedHashMap<>();
  private static final Map<String, JsonObject> configs = new LinkedHashMap<>();
  private static Vertx local;
  private static ClientOptions options;
  private static String relayUrl;
  private static int adminA;
  private static int adminB;

  /** Tokens and whether their request was answered, across both tests. */
  private record Used(Token token, boolean answered) {}

  @BeforeAll
  static void startFleet() throws Exception {
    RedisServer.assumeInstalled();
    redis = RedisServer.start(dir.resolve("redis"), "always");
    cluster = ServeProcesses.clusterConfig(dir.resolve("cluster.xml"), "pp-fleet-");
    int issuerPort = ServeProcesses.freePort();
    int gatewayA = ServeProcesses.freePort();
    int gatewayB = ServeProcesses.freePort();
    int relayPort = ServeProcesses.freePort();
    adminA = ServeProcesses.freePort();
    adminB = ServeProcesses.freePort();
    String issuerUrl = "http://127.0.0.1:" + issuerPort;
    relayUrl = "http://127.0.0.1:" + relayPort;

    configs.put(
        "issuer",
        new JsonObject()
            .put(
                "issuer",
                new JsonObject()
                    .put("port", issuerPort)
                    .put("tokensPerWindow", 100_000)
                    .put("tokenTypes", new JsonArray().add(2))));
    configs.put(
        "enclave",
        new JsonObject()
            .put(
                "enclave",
                new JsonObject()
                    .put("id", "f1ee7000000000e1")
                    .put("heartbeat", "500ms")
                    .put("ttl", "2s")));
    configs.put("gateway-a", gateway(gatewayA, adminA, issuerUrl));
    configs.put("gateway-b", gateway(gatewayB, adminB, issuerUrl));
    configs.put(
        "relay",
        new JsonObject()
            .put(
                "relay",
                new JsonObject()
                    .put("port", relayPort)
                    .put(
                        "gatewayUrls",
                        new JsonArray()
                            .add("http://127.0.0.1:" + gatewayA)
                            .add("http://127.0.0.1:" + gatewayB))));
    startAll("1");
    local = Vertx.vertx();
    // Loaded once, before any restart: the demo trust must survive the whole fleet's restart.
    options =
        TrustFiles.load(dir.resolve("data").resolve("trust"))
            .applyTo(
                ClientOptions.forRelay(relayUrl)
                    .withIssuer(issuerUrl, ClientOptions.DEMO_ACCOUNT)
                    .withTimeoutMs(20_000)
                    .withTokenBatch(16));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    ServeProcesses.kill(processes.values(), 30);
    if (redis != null) {
      redis.close();
    }
    if (local != null) {
      await(local.close(), 10_000);
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "kill -9 of a gateway under load behind the relay: every request answered or refused with a typed problem, the survivor serves, 0 tokens accepted twice")
  void gatewayKilledUnderLoad() throws Exception {
    SummarizeRequest chat = chat();
    List<Used> used = new ArrayList<>();
    int total = 60;
    int killAfter = 20;
    long beforeA;
    long beforeB;
    try (PrivateProcessingClient client = PrivateProcessingClient.create(local, options)) {
      awaitServing(client, chat);
      beforeA = gatewayRequests(adminA);
      beforeB = gatewayRequests(adminB);
      List<Future<Boolean>> answers = new ArrayList<>();
      long servedA = -1;
      long servedB = -1;
      for (int i = 0; i < total; i++) {
        if (i == killAfter) {
          // Both gateways served a share before the kill.
          servedA = gatewayRequests(adminA) - beforeA;
          servedB = gatewayRequests(adminB) - beforeB;
          processes.get("gateway-a").destroyForcibly();
          LOG.info("killed gateway-a after " + i + " requests sent");
        }
        answers.add(spendOne(client, chat, used));
        Thread.sleep(100); // about 10 requests a second
      }
      int ok = 0;
      int clear = 0;
      List<String> unclear = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      boolean[] answered = new boolean[total];
      for (int i = 0; i < total; i++) {
        try {
          answered[i] = await(answers.get(i), 60_000);
          ok++;
        } catch (ExecutionException e) {
          Throwable cause = unwrap(e);
          if (cause instanceof PrivateProcessingException p && p.type() != null) {
            clear++;
            problems.add(p.status() + " " + p.type());
          } else {
            unclear.add(String.valueOf(cause));
          }
        }
      }
      LOG.info(
          "gateway kill under load: ok "
              + ok
              + ", typed problems "
              + problems
              + ", served before the kill: a "
              + servedA
              + ", b "
              + servedB);
      assertThat(unclear).as("no request hangs or fails without a typed problem").isEmpty();
      assertThat(ok + clear).isEqualTo(total);
      assertThat(servedA).as("gateway a served before the kill").isPositive();
      assertThat(servedB).as("gateway b served before the kill").isPositive();
      // The survivor serves: every one of the last ten requests, sent after the kill, succeeded.
      for (int i = total - 10; i < total; i++) {
        assertThat(answered[i]).as("request " + i + " after the kill").isTrue();
      }
      assertThat(gatewayRequests(adminB)).isGreaterThan(beforeB + servedB);
      assertNoDoubleSpend(client, chat, used);
    }
  }

  @Test
  @Order(2)
  @DisplayName(
      "the whole fleet (Redis included) killed with kill -9 between issuance and redemption: each token fetched before redeems once after the restart, and only once")
  void wholeFleetRestartBetweenIssuanceAndRedemption() throws Exception {
    SummarizeRequest chat = chat();
    List<Token> kept = new ArrayList<>();
    Token spentBefore;
    try (PrivateProcessingClient client = PrivateProcessingClient.create(local, options)) {
      if (!processes.get("gateway-a").isAlive()) {
        restart("gateway-a", "2");
      }
      awaitServing(client, chat);
      var challenge = await(client.listing(), 30_000).tokenChallenges().get(0);
      for (int i = 0; i < 3; i++) {
        kept.add(await(client.wallet().take(challenge), 30_000));
      }
      spentBefore = await(client.wallet().take(challenge), 30_000);
      assertThat(await(client.summarize(chat, spentBefore), 60_000).summary()).isNotEmpty();
    }

    // A whole-fleet crash: every JVM and Redis, SIGKILL, no shutdown hook anywhere.
    for (Process p : processes.values()) {
      p.destroyForcibly();
    }
    for (Process p : processes.values()) {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    redis.kill();
    redis.start();
    startAll("3");

    // A new client with the trust loaded before the restart.
    try (PrivateProcessingClient client = PrivateProcessingClient.create(local, options)) {
      awaitListed(client);
      for (Token t : kept) {
        assertThat(await(client.summarize(chat, t), 60_000).summary())
            .as("a token fetched before the restart redeems after it")
            .isNotEmpty();
        assertReplayed(client.summarize(chat, t), "the second redemption");
      }
      assertReplayed(client.summarize(chat, spentBefore), "a token spent before the restart");
    }
    for (String name : List.of("issuer-3", "gateway-a-3", "gateway-b-3", "relay-3")) {
      assertThat(Files.readString(dir.resolve(name + ".log")))
          .as(name + " logs no stack trace")
          .doesNotContain("\tat ");
    }
  }

  // --- helpers ---

  private static JsonObject gateway(int port, int admin, String issuerUrl) {
    return new JsonObject()
        .put(
            "gateway",
            new JsonObject()
                .put("port", port)
                .put("issuerUrl", issuerUrl)
                .put("enclaveTimeout", "5s"))
        .put("admin", new JsonObject().put("port", admin));
  }

  /** Starts (or restarts) every process: the issuer first, the relay last. */
  private static void startAll(String round) throws Exception {
    start("issuer", "issuer", round, true);
    awaitReady("issuer-" + round, processes.get("issuer"));
    start("enclave", "enclave", round, true);
    start("gateway-a", "gateway", round, true);
    start("gateway-b", "gateway", round, true);
    for (String name : List.of("enclave", "gateway-a", "gateway-b")) {
      awaitReady(name + "-" + round, processes.get(name));
    }
    start("relay", "relay", round, false);
    awaitReady("relay-" + round, processes.get("relay"));
  }

  private static void restart(String name, String round) throws Exception {
    start(name, name.startsWith("gateway") ? "gateway" : name, round, true);
    awaitReady(name + "-" + round, processes.get(name));
  }

  private static void start(String name, String role, String round, boolean clustered)
      throws IOException {
    JsonObject conf = configs.get(name).copy();
    conf.put("profile", "demo")
        .put("dataDir", dir.resolve("data").toString())
        .put("attestation", new JsonObject().put("tlsPort", -1))
        .put(
            "stateStore",
            new JsonObject()
                .put("type", "redis")
                .put("redis", new JsonObject().put("url", redis.url())));
    if (!conf.containsKey("admin")) {
      conf.put("admin", new JsonObject().put("port", 0));
    }
    if (!clustered) {
      conf.remove("stateStore");
    }
    Path confFile = Files.writeString(dir.resolve(name + ".json"), conf.encodePrettily());
    List<String> args = new ArrayList<>(List.of("--role", role, "--conf", confFile.toString()));
    if (clustered) {
      args.addAll(List.of("--cluster", "--cluster-conf", cluster.toString()));
    }
    processes.put(name, ServeProcesses.serve(dir.resolve(name + "-" + round + ".log"), args));
  }

  private static void awaitReady(String log, Process p) throws Exception {
    ServeProcesses.awaitReady(p, dir.resolve(log + ".log"), READY_MS);
  }

  /** One request that spends exactly one token from the wallet, noted for the replay check. */
  private static Future<Boolean> spendOne(
      PrivateProcessingClient client, SummarizeRequest chat, List<Used> used) {
    return client
        .listing()
        .compose(l -> client.wallet().take(l.tokenChallenges().get(0)))
        .compose(
            t ->
                client
                    .summarize(chat, t)
                    .andThen(
                        ar -> {
                          synchronized (used) {
                            used.add(new Used(t, ar.succeeded()));
                          }
                        }))
        .map(r -> true);
  }

  /**
   * Sends every token once more: each must be refused as token-replayed, except one whose first
   * request failed (never recorded as spent), which may be accepted now, once.
   */
  private static void assertNoDoubleSpend(
      PrivateProcessingClient client, SummarizeRequest chat, List<Used> used) throws Exception {
    List<Used> all;
    synchronized (used) {
      all = List.copyOf(used);
    }
    assertThat(all).hasSizeGreaterThan(40);
    int refused = 0;
    int acceptedAfterFailure = 0;
    List<String> doubleSpent = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (Used u : all) {
      try {
        await(client.summarize(chat, u.token()), 60_000);
        if (u.answered()) {
          doubleSpent.add("a token whose request was answered was accepted again");
        } else {
          acceptedAfterFailure++;
        }
      } catch (ExecutionException e) {
        Throwable cause = unwrap(e);
        if (cause instanceof PrivateProcessingException p && p.type().endsWith("token-replayed")) {
          refused++;
        } else {
          other.add(String.valueOf(cause));
        }
      }
    }
    LOG.info(
        "replays: "
            + refused
            + " refused, "
            + acceptedAfterFailure
            + " accepted after a failed first request, of "
            + all.size());
    assertThat(doubleSpent).as("double spends").isEmpty();
    assertThat(other).as("replays neither refused nor accepted").isEmpty();
    assertThat(refused + acceptedAfterFailure).isEqualTo(all.size());
  }

  private static void assertReplayed(Future<?> replay, String what) throws Exception {
    try {
      await(replay, 60_000);
      throw new AssertionError(what + " was accepted: a double spend");
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      assertThat(cause).as(what).isInstanceOf(PrivateProcessingException.class);
      assertThat(((PrivateProcessingException) cause).type()).as(what).endsWith("token-replayed");
    }
  }

  /** Requests gateway's admin listener counted at the gateway stage ({@code pp_requests_total}). */
  private static long gatewayRequests(int adminPort) throws Exception {
    String text =
        await(WebClient.create(local).get(adminPort, "127.0.0.1", "/metrics").send(), 10_000)
            .bodyAsString();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("pp_requests_total{") && line.contains("stage=\"gateway\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (long) sum;
  }

  /** The enclave announces itself within a beat of the gateways starting; wait for one answer. */
  private static void awaitServing(PrivateProcessingClient client, SummarizeRequest chat)
      throws Exception {
    awaitListed(client);
    assertThat(await(client.summarize(chat), 60_000).summary()).isNotEmpty();
  }

  private static void awaitListed(PrivateProcessingClient client) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        if (!await(client.enclaves(), 30_000).isEmpty()) {
          return;
        }
      } catch (ExecutionException notYet) {
        // the relay or a gateway is still coming up
      }
      assertThat(System.currentTimeMillis()).as("enclave listed").isLessThan(deadline);
      Thread.sleep(300);
    }
  }

  private static SummarizeRequest chat() throws Exception {
    return SummarizeRequest.parse(Files.readAllBytes(Path.of("conf", "examples", "chat.json")));
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static <T> T await(Future<T> future, long timeoutMs) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
