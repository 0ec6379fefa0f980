package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.TrustFiles;
import org.privateprocessing.core.FileSpentTokens;

/**
 * Real crashes of the durable local spent-token store: a child JVM spends tokens as fast as it can
 * and prints each one the store acknowledged; the test kills it with SIGKILL wherever it is (mid
 * write, mid fsync, between batches), reopens the store from what is on disk, and every
 * acknowledged token must be refused. Then the same for a real {@code serve} process: requests
 * through the private path spend tokens; after {@code kill -9} the data directory holds every one,
 * and the node starts again on it.
 */
class SpentTokensCrashTest {
  private static final byte[] KEY_ID = new byte[32];
  private static final Instant RETIRES = Instant.now().plusSeconds(86_400);

  @TempDir Path dir;

  /** The child: spends random tokens, 256 in flight, printing each acknowledged nonce. */
  public static void main(String[] args) throws Exception {
    SecureRandom random = new SecureRandom();
    Semaphore inFlight = new Semaphore(256);
    try (FileSpentTokens store =
        FileSpentTokens.open(Path.of(args[0]), 10_000_000, Clock.systemUTC())) {
      System.out.println("started " + store.size());
      System.out.flush();
      while (true) {
        inFlight.acquire();
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        store
            .redeem(KEY_ID, nonce, RETIRES)
            .onComplete(
                ar -> {
                  if (ar.succeeded() && ar.result()) {
                    synchronized (System.out) {
                      System.out.println("spent " + HexFormat.of().formatHex(nonce));
                      System.out.flush();
                    }
                  }
                  inFlight.release();
                });
      }
    }
  }

  private List<byte[]> runAndKill(int atLeast) throws Exception {
    Process child =
        adminOnFreePort(
                new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    SpentTokensCrashTest.class.getName(),
                    dir.toString()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<byte[]> spent = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (spent.size() < atLeast && (line = out.readLine()) != null) {
        if (line.startsWith("spent ")) {
          spent.add(HexFormat.of().parseHex(line.substring(6)));
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(spent).as("tokens the child had acknowledged before the kill").hasSize(atLeast);
    return spent;
  }

  @Test
  @DisplayName(
      "kill -9 mid-spending, twice: every token the store acknowledged is refused after the restart")
  void everyAcknowledgedSpendSurvivesSigkill() throws Exception {
    List<byte[]> acknowledged = new ArrayList<>(runAndKill(3_000));
    acknowledged.addAll(runAndKill(3_000));
    try (FileSpentTokens store = FileSpentTokens.open(dir, 10_000_000, Clock.systemUTC())) {
      assertThat(store.size()).isGreaterThanOrEqualTo(acknowledged.size());
      for (byte[] nonce : acknowledged) {
        assertThat(await(store.redeem(KEY_ID, nonce, RETIRES)))
            .as("an acknowledged spend must be remembered")
            .isFalse();
      }
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** {@code serve --conf CONF} in its own JVM, its admin listener on a free port; once ready. */
  private Process serve(Path conf, Path log) throws Exception {
    Process p =
        ServeProcesses.serveAdminOnFreePort(
            log, List.of("-Xmx256m"), List.of("--conf", conf.toString()));
    ServeProcesses.awaitReady(p, log, 120_000);
    return p;
  }

  private static void summarize(int relay, int issuer, Path trust, int n) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (PrivateProcessingClient client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay("http://127.0.0.1:" + relay)
                .withIssuer("http://127.0.0.1:" + issuer, "demo")
                .withTrust(TrustFiles.load(trust).trust()))) {
      for (int i = 0; i < n; i++) {
        SummarizeRequest request =
            new SummarizeRequest(
                new Chat("c" + i, "Crash chat", false),
                List.of(new ChatMessage("m1", "Ann", null, "Lunch at noon tomorrow?")),
                1);
        assertThat(PrivatePathTest.await(client.summarize(request)).summary()).isNotBlank();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName(
      "kill -9 of a real serve after requests: the data directory holds every spent token, and"
          + " serve starts again on it")
  void serveKilledKeepsItsSpentTokens() throws Exception {
    Path data = dir.resolve("data");
    int relay = ServeProcesses.freePort();
    int gateway = ServeProcesses.freePort();
    int issuer = ServeProcesses.freePort();
    Path conf = dir.resolve("conf.json");
    Files.writeString(
        conf,
        "{\"profile\":\"demo\",\"attestation\":{\"tlsPort\":0},\"log\":{\"port\":0},\"dataDir\":\""
            + data
            + "\",\"relay\":{\"port\":"
            + relay
            + ",\"gatewayUrl\":\"http://127.0.0.1:"
            + gateway
            + "\"},\"gateway\":{\"port\":"
            + gateway
            + "},\"issuer\":{\"port\":"
            + issuer
            + "},\"enclave\":{\"id\":\"c7a5400000000001\"}}");
    Process first = serve(conf, dir.resolve("serve-1.log"));
    try {
      summarize(relay, issuer, data.resolve("trust"), 3);
    } finally {
      first.destroyForcibly();
      first.waitFor(30, TimeUnit.SECONDS);
    }
    try (FileSpentTokens store = FileSpentTokens.open(data, 1_000, Clock.systemUTC())) {
      assertThat(store.size()).as("one spent token per answered request").isEqualTo(3);
    }
    Process second = serve(conf, dir.resolve("serve-2.log"));
    try {
      summarize(relay, issuer, data.resolve("trust"), 1);
    } finally {
      second.destroyForcibly();
      second.waitFor(30, TimeUnit.SECONDS);
    }
    try (FileSpentTokens store = FileSpentTokens.open(data, 1_000, Clock.systemUTC())) {
      assertThat(store.size()).isEqualTo(4);
    }
    assertThat(Files.readString(dir.resolve("serve-1.log"))).doesNotContain("Lunch at noon");
  }

  /** Each process's admin listener on a free port: tests run beside other nodes on one machine. */
  private static ProcessBuilder adminOnFreePort(ProcessBuilder pb) {
    pb.environment().put("PP_ADMIN_PORT", "0");
    return pb;
  }
}
