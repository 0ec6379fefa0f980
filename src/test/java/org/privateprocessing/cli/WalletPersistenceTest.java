package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.client.TokenStore;
import org.privateprocessing.client.TrustFiles;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;
import picocli.CommandLine;

/** One-shot commands keep the tokens they fetched ahead, and the next one spends them. */
class WalletPersistenceTest {
  private static Vertx vertx;
  private static Node.Running node;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    node = await(Node.start(vertx, Role.ALL, org.privateprocessing.node.DemoConf.allInOne()));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  /** A trust directory as `serve` writes it in the demo profile; state goes beside it. */
  private Path trust() throws Exception {
    return CliCapture.demoTrust(dir, node);
  }

  private static CliCapture.Run summarize(Path trust) {
    return CliCapture.summarize(node, trust);
  }

  private static JsonArray stored(Path trust) throws Exception {
    Path file = TrustFiles.stateDir(trust).resolve(TokenStore.FILE_NAME);
    return new JsonObject(Files.readString(file)).getJsonArray("tokens");
  }

  @Test
  @DisplayName("two one-shot summarize runs spend from one fetch; the wallet is owner-only")
  void secondRunSpendsWhatTheFirstFetched() throws Exception {
    Path trust = trust();
    CliCapture.Run first = summarize(trust);
    assertThat(first.exit()).as(first.err()).isZero();
    // 1 fetched for the call and 8 ahead (the default batch): 8 kept.
    JsonArray afterFirst = stored(trust);
    assertThat(afterFirst).hasSize(8);

    CliCapture.Run second = summarize(trust);
    assertThat(second.exit()).as(second.err()).isZero();
    JsonArray afterSecond = stored(trust);
    // Spent one of the kept ones and fetched none (7 is more than half the batch).
    assertThat(afterSecond).hasSize(7);
    assertThat(afterFirst.getList()).containsAll(afterSecond.getList());

    Path state = TrustFiles.stateDir(trust);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.resolve(TokenStore.FILE_NAME))))
        .isEqualTo("rw-------");
  }

  @Test
  @DisplayName("kept tokens of a key the issuer no longer lists are dropped, not spent")
  void tokensOfARetiredKeyAreDropped() throws Exception {
    Path trust = trust();
    assertThat(summarize(trust).exit()).isZero();
    Path file = TrustFiles.stateDir(trust).resolve(TokenStore.FILE_NAME);
    JsonObject json = new JsonObject(Files.readString(file));
    JsonArray retired = new JsonArray();
    for (Object o : json.getJsonArray("tokens")) {
      JsonObject entry = ((JsonObject) o).copy();
      byte[] token = Base64.getUrlDecoder().decode(entry.getString("token"));
      token[2 + 32 + 32] ^= 1; // token_key_id: now a key the issuer never had
      entry.put("token", Base64.getUrlEncoder().withoutPadding().encodeToString(token));
      retired.add(entry);
    }
    Files.writeString(file, json.put("tokens", retired).encode());

    CliCapture.Run next = summarize(trust);
    assertThat(next.exit()).as(next.err()).isZero();
    assertThat(next.err()).contains("dropped 8 kept token(s) of issuer keys that are no longer");
    JsonArray now = stored(trust);
    assertThat(now).hasSize(8); // a fresh batch: none of the retired ones came back
    for (Object o : now) {
      assertThat(retired.getList()).doesNotContain(((JsonObject) o).getMap());
    }
  }

  @Test
  @DisplayName("a corrupt wallet is reported and set aside, not used, and the run still answers")
  void corruptWalletIsSetAside() throws Exception {
    Path trust = trust();
    Path state = TrustFiles.stateDir(trust);
    Files.createDirectories(state);
    Files.writeString(state.resolve(TokenStore.FILE_NAME), "{\"tokens\": [{\"challenge\": 1");
    CliCapture.Run run = summarize(trust);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("warning: the token wallet " + state.resolve(TokenStore.FILE_NAME))
        .contains("not a JSON object")
        .contains("moved to " + state.resolve(TokenStore.FILE_NAME + ".corrupt"));
    assertThat(state.resolve(TokenStore.FILE_NAME + ".corrupt"))
        .hasContent("{\"tokens\": [{\"challenge\": 1");
    assertThat(stored(trust)).hasSize(8);
  }

  @Test
  @DisplayName(
      "summarize --stream prints the text as it arrives (stderr when stdout is not a terminal), then the whole JSON on stdout")
  void summarizeStreams() throws Exception {
    Path trust = trust();
    CliCapture.Run run = CliCapture.summarize(node, trust, "--stream");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonObject answer = new JsonObject(run.out());
    String summary = answer.getString("summary");
    assertThat(summary).isNotBlank();
    assertThat(run.err()).contains(summary);
  }

  @Test
  @DisplayName("--stream with --token is refused with exit 2, naming both options")
  void streamWithTokenIsMisuse() throws Exception {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(() -> 80);
    cli.setErr(new PrintWriter(err, true));
    int exit =
        cli.execute(
            "summarize", "--stream", "--token", "AAAA", "--chat", "conf/examples/chat.json");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--stream").contains("--token");
  }
}
