package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.PrivateProcessingException;
import org.privateprocessing.client.TrustFiles;
import org.privateprocessing.enclave.EnclaveApiTest;
import org.privateprocessing.token.Token;

/**
 * Issue #13, "done when": a real {@code serve --role all} process (demo profile) is killed with
 * {@code kill -9} and started again on the same data directory. A token fetched before redeems
 * after; the gateway's key configs and the issuer's directory are byte-identical; the transparency
 * log grew by 0 entries; the trust handed out before (simulated root, log key) still works.
 */
class ServeRestartTest {
  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    PrivatePathTest.await(vertx.close());
  }

  /** {@code serve --role all --conf CONF} in its own JVM, its admin listener on a free port. */
  private Process start(Path conf, Path log) throws Exception {
    Process p =
        ServeProcesses.serveAdminOnFreePort(
            log,
            List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"),
            List.of("--role", "all", "--conf", conf.toString()));
    processes.add(p);
    return p;
  }

  private Process serve(Path conf, Path log) throws Exception {
    Process p = start(conf, log);
    ServeProcesses.awaitReady(p, log, 240_000);
    return p;
  }

  private byte[] get(String url) throws Exception {
    return PrivatePathTest.await(WebClient.create(vertx).getAbs(url).send()).body().getBytes();
  }

  private long logSize(int logPort) throws Exception {
    String note =
        new String(get("http://127.0.0.1:" + logPort + "/checkpoint"), StandardCharsets.UTF_8);
    return Long.parseLong(note.split("\n")[1].trim());
  }

  private List<String> files(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  @DisplayName(
      "kill -9 and restart of serve: a token from before redeems, one spent before is refused, key configs byte-identical, log grew by 0, old trust still works")
  void restartKeepsKeysTokensAndTrust() throws Exception {
    int relay = ServeProcesses.freePort();
    int gateway = ServeProcesses.freePort();
    int issuer = ServeProcesses.freePort();
    int logPort = ServeProcesses.freePort();
    Path data = dir.resolve("data");
    JsonObject conf =
        new JsonObject()
            .put("profile", "demo")
            .put("dataDir", data.toString())
            .put("relay", new JsonObject().put("port", relay))
            .put("gateway", new JsonObject().put("port", gateway))
            .put("issuer", new JsonObject().put("port", issuer))
            .put("log", new JsonObject().put("port", logPort))
            .put("attestation", new JsonObject().put("tlsPort", -1));
    Path confFile = Files.writeString(dir.resolve("all.json"), conf.encodePrettily());
    String relayUrl = "http://127.0.0.1:" + relay;
    String issuerUrl = "http://127.0.0.1:" + issuer;

    Process first = serve(confFile, dir.resolve("first.log"));
    // The trust this machine handed out at the first start (simulated root, log key).
    TrustFiles.Loaded trust = TrustFiles.load(data.resolve("trust"));
    ClientOptions options =
        trust.applyTo(
            ClientOptions.forRelay(relayUrl).withIssuer(issuerUrl, ClientOptions.DEMO_ACCOUNT));
    SummarizeRequest chat =
        SummarizeRequest.parse(
            EnclaveApiTest.CHAT.formatted(false).getBytes(StandardCharsets.UTF_8));
    Token kept;
    Token spent;
    try (PrivateProcessingClient client = PrivateProcessingClient.create(vertx, options)) {
      var listing = PrivatePathTest.await(client.listing());
      kept = PrivatePathTest.await(client.wallet().take(listing.tokenChallenges().get(0)));
      spent = PrivatePathTest.await(client.wallet().take(listing.tokenChallenges().get(0)));
      assertThat(PrivatePathTest.await(client.summarize(chat, spent)).summary()).isNotEmpty();
    }
    byte[] keysBefore = get(relayUrl + "/.well-known/ohttp-gateway");
    byte[] directoryBefore = get(issuerUrl + "/.well-known/private-token-issuer-directory");
    long sizeBefore = logSize(logPort);
    List<String> gatewayKeyFiles = files(data.resolve("gateway-keys"));
    List<String> issuerKeyFiles = files(data.resolve("issuer-keys"));

    first.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();

    serve(confFile, dir.resolve("second.log"));
    assertThat(get(relayUrl + "/.well-known/ohttp-gateway")).isEqualTo(keysBefore);
    assertThat(get(issuerUrl + "/.well-known/private-token-issuer-directory"))
        .isEqualTo(directoryBefore);
    assertThat(logSize(logPort)).as("the log grew by 0 entries").isEqualTo(sizeBefore);
    assertThat(files(data.resolve("gateway-keys"))).isEqualTo(gatewayKeyFiles);
    assertThat(files(data.resolve("issuer-keys"))).isEqualTo(issuerKeyFiles);

    // The old trust (loaded before the restart) accepts the restarted enclave and log, and the
    // token fetched before the restart is accepted.
    try (PrivateProcessingClient client = PrivateProcessingClient.create(vertx, options)) {
      assertThat(PrivatePathTest.await(client.summarize(chat, kept)).summary()).isNotEmpty();
      // The token spent before the kill stays spent: the record was on disk before the answer.
      assertThatThrownBy(() -> PrivatePathTest.await(client.summarize(chat, spent)))
          .cause()
          .isInstanceOf(PrivateProcessingException.class)
          .satisfies(
              e -> assertThat(((PrivateProcessingException) e).type()).endsWith("token-replayed"));
    }
    String second = Files.readString(dir.resolve("second.log"));
    assertThat(second).doesNotContain("\tat ");
  }

  @Test
  @DisplayName(
      "a world-readable gateway key file stops serve with the file and the chmod named; nothing is overwritten")
  void worldReadableKeyFileStopsServe() throws Exception {
    Path data = dir.resolve("data");
    Path keys = Files.createDirectories(data.resolve("gateway-keys"));
    org.privateprocessing.gateway.GatewayKeySet set =
        new org.privateprocessing.gateway.GatewayKeySet(
            keys,
            java.time.Duration.ofDays(7),
            java.time.Duration.ofDays(1),
            new java.security.SecureRandom());
    set.refresh(java.time.Instant.now());
    Path file = keys.resolve("ohttp-xwing-1.key");
    Files.setPosixFilePermissions(
        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    byte[] before = Files.readAllBytes(file);
    JsonObject conf =
        new JsonObject()
            .put("profile", "demo")
            .put("dataDir", data.toString())
            .put("relay", new JsonObject().put("port", 0))
            .put("gateway", new JsonObject().put("port", 0))
            .put("issuer", new JsonObject().put("port", 0))
            .put("log", new JsonObject().put("port", 0))
            .put("attestation", new JsonObject().put("tlsPort", -1));
    Path confFile = Files.writeString(dir.resolve("all.json"), conf.encodePrettily());
    Path log = dir.resolve("refused.log");
    Process p = start(confFile, log);
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("serve exits").isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isNotZero();
    assertThat(out).contains("chmod 600 " + file).doesNotContain("\tat ");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }
}
