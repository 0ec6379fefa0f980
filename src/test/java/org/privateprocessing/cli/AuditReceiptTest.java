package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.client.LogTrust;
import org.privateprocessing.client.Receipt;
import org.privateprocessing.client.ReceiptCheck;
import org.privateprocessing.client.TrustFiles;
import org.privateprocessing.logclient.LogClient;
import org.privateprocessing.node.DemoConf;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.NoteSigner;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.WitnessPolicy;
import picocli.CommandLine;

/**
 * Issue #16 item 5 end to end, on real servers on 127.0.0.1: {@code summarize --receipt FILE}
 * against the whole demo node with its transparency log, the log growing afterwards, then {@code
 * audit receipt FILE} verifying it against the newer checkpoint, and refusing a tampered receipt, a
 * wrong log key, a forked log (a second log server signing another history with the same key) and a
 * receipt without a log proof; an unreachable log is a clear "unreadable", exit 1.
 */
class AuditReceiptTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final PublisherKeys.Signer PUBLISHER =
      PublisherKeys.Signer.generate("receipt.test.publisher", RANDOM);
  @TempDir static Path dir;
  static Vertx vertx;
  static Node.Running node;
  static Path trust;
  static Path receiptFile;
  static Receipt receipt;
  static LogClient log;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JsonObject conf =
        DemoConf.allInOne()
            .put("dataDir", dir.resolve("data").toString())
            .put("attestation", new JsonObject().put("tlsPort", -1))
            .put(
                "log",
                new JsonObject()
                    .put("port", 0)
                    .put("dataDir", dir.resolve("log").toString())
                    .put("publisherKeys", new JsonArray().add(PUBLISHER.verifierKey())));
    node = await(Node.start(vertx, Role.ALL, conf));
    log = LogClient.create(vertx, node.logUrl());
    // The trust directory `serve` writes in the demo: the enclave fragment and the log's key.
    trust = dir.resolve("run").resolve("trust");
    Files.createDirectories(trust);
    Files.writeString(
        trust.resolve("enclave.json"),
        TrustFiles.simulatedFragment(
                node.attestation().simulatedRoot().orElseThrow(),
                node.attestation().measurementHex())
            .encode());
    Files.writeString(
        trust.resolve("log.json"),
        new JsonObject().put("logKeys", new JsonArray().add(node.logKey())).encode());
    receiptFile = dir.resolve("receipt.json");
    Run run =
        cli("summarize", "--chat", "conf/examples/chat.json", "--receipt", receiptFile.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("receipt saved to " + receiptFile, "audit receipt");
    receipt = Receipt.parse(Files.readAllBytes(receiptFile));
    // The log grows after the answer: the audit proves consistency across sizes.
    for (int i = 0; i < 3; i++) {
      await(
          log.append(
              new LogEntry.EnclaveRelease(
                  String.format("%02x", 0xc0 + i).repeat(48), "9." + i, "later", Instant.now()),
              PUBLISHER));
    }
  }

  /** {@code audit receipt RECEIPT --log NODE'S-LOG MORE...}. */
  static Run auditReceipt(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("audit", "receipt", receiptFile.toString(), "--log", node.logUrl()));
    args.addAll(List.of(more));
    return cli(args.toArray(String[]::new));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  record Run(int exit, String out, String err) {}

  /** Runs the CLI with the node's relay, issuer and trust; stdout and stderr captured. */
  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintStream systemOut = System.out;
    PrintStream systemErr = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream notes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(notes, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = Main.commandLine(() -> 100);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      List<String> all = new java.util.ArrayList<>(List.of(args));
      if (args[0].equals("summarize")) {
        all.addAll(
            List.of(
                "--relay",
                node.relayUrl(),
                "--issuer",
                node.issuerUrl(),
                "--trust",
                trust.toString()));
      }
      int exit = cli.execute(all.toArray(String[]::new));
      return new Run(
          exit,
          out + printed.toString(StandardCharsets.UTF_8),
          err + notes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(systemOut);
      System.setErr(systemErr);
    }
  }

  static ReceiptCheck check() throws Exception {
    return LogTrust.of(List.of(node.logKey()), WitnessPolicy.none()).receiptCheck();
  }

  record Audit(int exit, JsonObject verdict) {}

  static Audit audit(Path file, LogClient against, ReceiptCheck check) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        AuditReceiptCommand.audit(
            file, against, check, new PrintStream(out, true, StandardCharsets.UTF_8));
    return new Audit(exit, new JsonObject(out.toString(StandardCharsets.UTF_8)));
  }

  static Path write(String name, JsonObject json) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, json.encode());
    return p;
  }

  static JsonObject saved() throws Exception {
    return new JsonObject(Files.readString(receiptFile));
  }

  @Test
  @DisplayName("summarize --receipt saves an owner-only receipt made of what the client verified")
  void theReceiptNamesTheVerifiedEnclaveAndItsLoggedRelease() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(receiptFile)))
        .isEqualTo("rw-------");
    assertThat(receipt.enclaveId()).isEqualTo(node.enclaveId());
    assertThat(receipt.measurement()).isEqualTo(node.attestation().measurementHex());
    assertThat(receipt.model().name()).isEqualTo("extractive-textrank");
    long index = await(log.lookupMeasurement(receipt.measurement())).orElseThrow().index();
    assertThat(receipt.release().leafIndex()).isEqualTo(index);
    assertThat(receipt.release().checkpoint()).startsWith("log.private-processing.local\n");
    // No content of the chat or the answer.
    String text = Files.readString(receiptFile);
    assertThat(text).doesNotContain("Alice", "summary", "highlights");
  }

  @Test
  @DisplayName(
      "audit receipt verifies against the log's newer checkpoint and prints a JSON verdict")
  void auditVerifiesAgainstANewerCheckpoint() throws Exception {
    Run run = auditReceipt("--trust", trust.toString());
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    JsonObject verdict = new JsonObject(run.out().trim());
    assertThat(verdict.getString("verdict")).isEqualTo("verified");
    assertThat(verdict.getJsonObject("enclave").getString("id")).isEqualTo(node.enclaveId());
    assertThat(verdict.getJsonObject("release").getLong("leafIndex"))
        .isEqualTo(receipt.release().leafIndex());
    assertThat(verdict.getJsonObject("consistentWith").getLong("size"))
        .isGreaterThanOrEqualTo(verdict.getJsonObject("provenIn").getLong("size") + 3);
    // With the key given directly as well.
    Run byKey = auditReceipt("--log-key", node.logKey());
    assertThat(byKey.exit()).as(byKey.out() + byKey.err()).isZero();
  }

  @Test
  @DisplayName("a tampered receipt is refused with the check it failed, exit 2")
  void tamperedReceiptsAreRefused() throws Exception {
    JsonObject otherMeasurement = saved();
    otherMeasurement.getJsonObject("enclave").put("measurement", "c0".repeat(48));
    assertRefused(write("m.json", otherMeasurement), "receipt-entry");

    JsonObject moved = saved();
    moved.getJsonObject("release").put("leafIndex", 0);
    assertRefused(write("i.json", moved), "receipt-proof");

    JsonObject hash = saved();
    JsonArray hashes = hash.getJsonObject("release").getJsonArray("hashes");
    hashes.set(0, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
    assertRefused(write("h.json", hash), "receipt-proof");

    JsonObject resigned = saved();
    String note = resigned.getJsonObject("release").getString("checkpoint");
    resigned.getJsonObject("release").put("checkpoint", note.replaceFirst("\n\\d+\n", "\n999\n"));
    assertThat(audit(write("s.json", resigned), log, check()).verdict().getString("check"))
        .isIn("receipt-signature", "receipt-format");

    JsonObject extra = saved().put("note", "x");
    Audit bad = audit(write("x.json", extra), log, check());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.verdict().getString("check")).isEqualTo("receipt-format");
    assertThat(bad.verdict().getString("reason")).contains("x.json", "note");

    Path garbage = dir.resolve("garbage.json");
    Files.writeString(garbage, "{not json");
    assertRefused(garbage, "receipt-format");
    assertRefused(dir.resolve("missing.json"), "receipt-format");

    Path noLog = dir.resolve("nolog.json");
    Files.write(
        noLog,
        new Receipt(receipt.enclaveId(), receipt.measurement(), receipt.model(), null).encode());
    assertRefused(noLog, "receipt-no-log");
  }

  @Test
  @DisplayName("another log key refuses the receipt's checkpoint; exit 2")
  void wrongLogKeyIsRefused() throws Exception {
    String otherKey = NoteSigner.generate("log.private-processing.local", RANDOM).verifierKey();
    Run run = auditReceipt("--log-key", otherKey);
    assertThat(run.exit()).isEqualTo(2);
    JsonObject verdict = new JsonObject(run.out().trim());
    assertThat(verdict.getString("verdict")).isEqualTo("refused");
    assertThat(verdict.getString("check")).isEqualTo("receipt-signature");
  }

  @Test
  @DisplayName("a log that signs another history with the same key is a fork: refused, exit 2")
  void forkedLogIsRefused() throws Exception {
    // A second log server with a copy of the real log's signing key and entries of its own.
    Path forkDir = dir.resolve("fork");
    Files.createDirectories(forkDir);
    Path key = forkDir.resolve("log.skey");
    Files.copy(dir.resolve("log").resolve("log.skey"), key);
    JsonObject conf =
        new JsonObject()
            .put("profile", "demo")
            .put("dataDir", forkDir.resolve("data").toString())
            .put(
                "log",
                new JsonObject()
                    .put("port", 0)
                    .put("dataDir", forkDir.resolve("log").toString())
                    .put("signingKeyFile", key.toString())
                    .put("publisherKeys", new JsonArray().add(PUBLISHER.verifierKey())));
    Vertx forkVertx = Vertx.vertx();
    try {
      Node.Running fork = await(Node.start(forkVertx, Role.LOG, conf));
      LogClient forked = LogClient.create(forkVertx, fork.logUrl());
      long size = receipt.release().checkpointBody().size();
      for (int i = 0; i < size + 2; i++) {
        await(
            forked.append(
                new LogEntry.EnclaveRelease(
                    String.format("%02x", i % 256).repeat(48), "fork." + i, "fork", Instant.now()),
                PUBLISHER));
      }
      Audit a = audit(receiptFile, forked, check());
      assertThat(a.exit()).as(a.verdict().encode()).isEqualTo(2);
      assertThat(a.verdict().getString("check")).isEqualTo("log-fork");
      assertThat(a.verdict().getString("reason")).contains("fork");
    } finally {
      await(forkVertx.close());
    }
  }

  @Test
  @DisplayName("an unreachable log is 'unreadable', exit 1, naming --log")
  void unreachableLog() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Run run =
        cli(
            "audit",
            "receipt",
            receiptFile.toString(),
            "--log",
            "http://127.0.0.1:" + port,
            "--trust",
            trust.toString());
    assertThat(run.exit()).isEqualTo(1);
    JsonObject verdict = new JsonObject(run.out().trim());
    assertThat(verdict.getString("verdict")).isEqualTo("unreadable");
    assertThat(verdict.getString("reason")).contains("unreachable", "--log");
  }

  @Test
  @DisplayName(
      "bad options: a --receipt in a missing directory and an audit without a log key exit 2")
  void badOptions() throws Exception {
    Run missingDir =
        cli(
            "summarize",
            "--chat",
            "conf/examples/chat.json",
            "--receipt",
            dir.resolve("no/such/dir/r.json").toString());
    assertThat(missingDir.exit()).isEqualTo(2);
    assertThat(missingDir.err()).contains("--receipt", "does not exist");
    Run noKey =
        cli(
            "audit",
            "receipt",
            receiptFile.toString(),
            "--trust",
            dir.resolve("nowhere").toString());
    assertThat(noKey.exit()).isEqualTo(2);
    assertThat(noKey.err()).contains("--log-key");
    Run help = cli("audit", "receipt", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("consistent", "Exit: 0 verified");
  }

  static void assertRefused(Path file, String check) throws Exception {
    Audit a = audit(file, log, check());
    assertThat(a.exit()).as(a.verdict().encode()).isEqualTo(2);
    assertThat(a.verdict().getString("verdict")).isEqualTo("refused");
    assertThat(a.verdict().getString("check")).as(a.verdict().encode()).isEqualTo(check);
    assertThat(a.verdict().getString("reason")).isNotBlank();
  }
}
