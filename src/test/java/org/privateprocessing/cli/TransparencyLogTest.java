package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.logclient.LogClient;
import org.privateprocessing.node.DemoConf;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.tlog.CosignatureSigner;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.NoteVerifier;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.WitnessPolicy;
import org.privateprocessing.token.IssuerDirectory;

/**
 * The whole node with its transparency log: what the roles publish at start, {@code audit log}
 * against it (and against a log that serves other entries than it signed), and a witness that
 * cosigns the real log and refuses a fork of it.
 */
class TransparencyLogTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final CosignatureSigner WITNESS = CosignatureSigner.generate("witness.test", RANDOM);
  @TempDir static Path dir;
  static Vertx vertx;
  static Node.Running node;
  static LogClient log;
  static NoteVerifier logKey;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JsonObject conf =
        DemoConf.allInOne()
            .put("dataDir", dir.resolve("data").toString())
            .put(
                "log",
                new JsonObject()
                    .put("port", 0)
                    .put("witnessKeys", new JsonArray().add(WITNESS.verifierKey())));
    node = await(Node.start(vertx, Role.ALL, conf));
    log = LogClient.create(vertx, node.logUrl());
    logKey = NoteVerifier.parse(node.logKey());
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  @Test
  void theIssuerKeysGatewayKeyConfigsAndDemoReleaseAreInTheLogAfterStart() throws Exception {
    WebClient http = WebClient.create(vertx);
    byte[] dirJson =
        await(http.getAbs(node.issuerUrl() + "/.well-known/private-token-issuer-directory").send())
            .bodyAsBuffer()
            .getBytes();
    List<IssuerDirectory.TokenKey> keys = IssuerDirectory.parse(dirJson).tokenKeys();
    assertThat(keys).isNotEmpty();
    for (IssuerDirectory.TokenKey k : keys) {
      LogEntry e = await(log.lookupTokenKey(k.tokenKey())).orElseThrow().entry();
      assertThat(((LogEntry.IssuerKey) e).tokenType()).isEqualTo(k.tokenType());
    }
    byte[] configs =
        await(
                http.getAbs("http://127.0.0.1:" + node.gatewayPort() + "/.well-known/ohttp-gateway")
                    .send())
            .bodyAsBuffer()
            .getBytes();
    for (KeyConfig c : KeyConfigs.parse(configs)) {
      assertThat(await(log.lookupKeyConfig(c.encode()))).isPresent();
    }
    LogClient.Indexed release =
        await(log.lookupMeasurement(node.attestation().measurementHex())).orElseThrow();
    assertThat(((LogEntry.EnclaveRelease) release.entry()).sourceCommit()).isEqualTo("unknown");
    await(log.signedCheckpoint()).verify(List.of(logKey));
  }

  @Test
  void auditLogVerifiesTheLogAndFailsForALogThatServesOtherEntries() throws Exception {
    Path state = dir.resolve("audit-state");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        AuditLogCommand.audit(
            log, logKey, state, new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    assertThat(text).contains("VERIFIED", "issuer-key", "gateway-key-config", "enclave-release");
    assertThat(Files.readString(state)).startsWith("log.private-processing.local\n");
    assertThat(
            AuditLogCommand.audit(log, logKey, state, new PrintStream(new ByteArrayOutputStream())))
        .isZero();

    // A log that signs one tree but serves a changed entry.
    HttpServer liar =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  WebClient.create(vertx)
                      .getAbs(node.logUrl() + req.uri())
                      .send()
                      .onSuccess(
                          r -> {
                            String body = r.bodyAsString();
                            if (req.path().equals("/entries")) {
                              body =
                                  body.replaceFirst(
                                      "\"issuer\":\"issuer\\.private-processing\\.local\"",
                                      "\"issuer\":\"someone.else\"");
                            }
                            req.response()
                                .setStatusCode(r.statusCode())
                                .putHeader("content-type", r.getHeader("content-type"))
                                .end(body);
                          });
                });
    await(liar.listen(0, "127.0.0.1"));
    LogClient lying = LogClient.create(vertx, "http://127.0.0.1:" + liar.actualPort());
    ByteArrayOutputStream bad = new ByteArrayOutputStream();
    int badExit =
        AuditLogCommand.audit(
            lying, logKey, null, new PrintStream(bad, true, StandardCharsets.UTF_8));
    assertThat(badExit).isEqualTo(2);
    assertThat(bad.toString(StandardCharsets.UTF_8))
        .contains("FAILED", "do not hash to the signed root");

    LogClient nowhere = LogClient.create(vertx, "http://127.0.0.1:1");
    assertThat(
            AuditLogCommand.audit(
                nowhere, logKey, null, new PrintStream(new ByteArrayOutputStream())))
        .isEqualTo(1);
  }

  @Test
  void aWitnessCosignsTheLogTwiceAndRefusesAForkOfIt() throws Exception {
    Path state = dir.resolve("witness-state");
    WitnessCommand.Round first = WitnessCommand.round(log, logKey, WITNESS, state);
    assertThat(first.exit()).as(first.message()).isZero();
    PublisherKeys.Signer publisher =
        PublisherKeys.Signer.parse(
            Files.readString(dir.resolve("data").resolve("log").resolve("publisher.skey")));
    await(
        log.append(
            new LogEntry.IssuerKey("extra.test", 2, new byte[] {7}, java.time.Instant.EPOCH),
            publisher));
    WitnessCommand.Round second = WitnessCommand.round(log, logKey, WITNESS, state);
    assertThat(second.exit()).as(second.message()).isZero();
    SignedNote cosigned = await(log.signedCheckpoint());
    new WitnessPolicy(List.of(WITNESS.verifier()), 1).check(cosigned);

    // A second log with the same key and origin but another history: a fork.
    Path forkDir = dir.resolve("fork");
    Files.createDirectories(forkDir);
    Files.copy(dir.resolve("data").resolve("log").resolve("log.skey"), forkDir.resolve("log.skey"));
    Vertx other = Vertx.vertx();
    try {
      JsonObject conf =
          new JsonObject()
              .put("profile", "demo")
              .put(
                  "log",
                  new JsonObject()
                      .put("port", 0)
                      .put("dataDir", forkDir.resolve("data").toString())
                      .put("signingKeyFile", forkDir.resolve("log.skey").toString()));
      Node.Running fork = await(Node.start(other, Role.LOG, conf));
      LogClient forked = LogClient.create(other, fork.logUrl());
      PublisherKeys.Signer forkPublisher =
          PublisherKeys.Signer.parse(
              Files.readString(forkDir.resolve("data").resolve("publisher.skey")));
      long size = Long.parseLong(cosigned.text().split("\n")[1]);
      for (int i = 0; i <= size; i++) {
        await(
            forked.append(
                new LogEntry.IssuerKey(
                    "fork.test", 2, new byte[] {(byte) i, 1}, java.time.Instant.EPOCH),
                forkPublisher));
      }
      String before = Files.readString(state);
      WitnessCommand.Round refused = WitnessCommand.round(forked, logKey, WITNESS, state);
      assertThat(refused.exit()).isEqualTo(2);
      assertThat(refused.message()).contains("NOT COSIGNED", "fork");
      assertThat(Files.readString(state)).isEqualTo(before);
      assertThat(await(forked.signedCheckpoint()).signatures()).hasSize(1);
      assertThat(
              AuditLogCommand.audit(
                  forked,
                  logKey,
                  dir.resolve("audit-state-2"),
                  new PrintStream(new ByteArrayOutputStream())))
          .isZero(); // on its own the fork is a valid log ...
      Files.copy(state, dir.resolve("audit-state-3"));
      assertThat(
              AuditLogCommand.audit(
                  forked,
                  logKey,
                  dir.resolve("audit-state-3"),
                  new PrintStream(new ByteArrayOutputStream())))
          .isEqualTo(2); // ... but not a continuation of what was seen before
    } finally {
      await(other.close());
    }
  }
}
