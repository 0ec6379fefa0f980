package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.logclient.LogClient;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.PublisherKeys;

/**
 * {@code log recover} on a store a real log served from: the log refuses to start without its
 * checkpoint and names this command; the command brings it back from the signed record, or refuses
 * (exit 2, nothing changed) when nothing signed is left to prove the store against.
 */
class LogCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    picocli.CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  Path data() {
    return dir.resolve("data").resolve("log");
  }

  JsonObject conf() {
    return new JsonObject()
        .put("profile", "demo")
        .put("dataDir", dir.resolve("data").toString())
        .put("log", new JsonObject().put("port", 0));
  }

  /** Runs the log role, appends {@code n} entries, stops it; returns its last checkpoint. */
  String serve(int n) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Node.Running node = await(Node.start(vertx, Role.LOG, conf()));
      LogClient log = LogClient.create(vertx, node.logUrl());
      PublisherKeys.Signer publisher =
          PublisherKeys.Signer.parse(Files.readString(data().resolve("publisher.skey")));
      for (int i = 0; i < n; i++) {
        await(
            log.append(
                new LogEntry.IssuerKey("cli.test", 2, new byte[] {(byte) i, 9}, Instant.EPOCH),
                publisher));
      }
      return await(log.signedCheckpoint()).encode();
    } finally {
      await(vertx.close());
    }
  }

  Path confFile() throws Exception {
    Path f = dir.resolve("conf.json");
    Files.writeString(f, conf().encode());
    return f;
  }

  @Test
  void aLostCheckpointStopsTheLogUntilLogRecoverProvesTheStore() throws Exception {
    String before = serve(3);
    Files.delete(data().resolve("checkpoint"));
    assertThatThrownBy(() -> serve(0))
        .hasMessageContaining("checkpoint is missing")
        .hasMessageContaining("log recover --data-dir " + data());

    assertThat(run("log", "recover", "--conf", confFile().toString(), "--dry-run")).isZero();
    assertThat(out.toString()).contains("dry run, nothing changed");
    assertThat(data().resolve("checkpoint")).doesNotExist();

    assertThat(
            run("log", "recover", "--conf", confFile().toString(), "--data-dir", data().toString()))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("the entries reproduce the checkpoint of size 3");
    assertThat(Files.readString(data().resolve("recoveries.log"))).contains("size 3");
    assertThat(serve(0)).isEqualTo(before);
  }

  @Test
  void withNothingSignedLeftItRefusesWithExit2AndAnUnreadableCheckpointIsExit1() throws Exception {
    serve(2);
    Files.delete(data().resolve("checkpoint"));
    Files.delete(data().resolve("log.skey.signed"));
    assertThat(run("log", "recover", "--conf", confFile().toString())).isEqualTo(2);
    assertThat(err.toString()).contains("REFUSED", "--checkpoint FILE", "nothing was changed");
    assertThat(data().resolve("checkpoint")).doesNotExist();

    assertThat(
            run(
                "log",
                "recover",
                "--conf",
                confFile().toString(),
                "--checkpoint",
                dir.resolve("no-such-state").toString()))
        .isEqualTo(1);
    assertThat(err.toString())
        .contains("error: --checkpoint: no such file")
        .doesNotContain("\tat ");
  }

  @Test
  void logHelpListsRecover() {
    assertThat(run("log", "--help")).isZero();
    assertThat(out.toString()).contains("recover");
    assertThat(run("log", "recover", "--help")).isZero();
    assertThat(out.toString()).contains("--data-dir", "--checkpoint", "--dry-run");
  }
}
