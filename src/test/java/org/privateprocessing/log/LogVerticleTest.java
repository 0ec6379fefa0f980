package org.privateprocessing.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.Profile;
import org.privateprocessing.logclient.LogClient;
import org.privateprocessing.logclient.LogReader;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.ConsistencyProof;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.SignedNote;

/** The log's HTTP API over real loopback HTTP, through {@link LogClient} and by hand. */
class LogVerticleTest {
  @TempDir static Path dir;
  static Vertx vertx;
  static LogService service;
  static LogClient client;
  static WebClient http;
  static String base;
  static PublisherKeys.Signer publisher;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    LogOptions options = LogServiceTest.options(dir);
    service = LogService.open(options, Profile.DEMO, LogServiceTest.RANDOM);
    publisher = service.demoPublisher().orElseThrow();
    LogVerticle verticle = new LogVerticle(options, service);
    await(vertx.deployVerticle(verticle));
    base = "http://127.0.0.1:" + verticle.actualPort();
    client = LogClient.create(vertx, base);
    http = WebClient.create(vertx);
    for (int i = 0; i < 3; i++) {
      await(client.append(LogServiceTest.release(i), publisher));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static Checkpoint verified(SignedNote note) throws Exception {
    note.verify(List.of(service.noteVerifier()));
    return Checkpoint.parse(note.text());
  }

  static HttpResponse<Buffer> get(String pathAndQuery) throws Exception {
    return await(http.getAbs(base + pathAndQuery).send());
  }

  static void assertProblem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).isEqualTo("application/problem+json");
  }

  @Test
  void theCheckpointIsASignedNoteInPlainText() throws Exception {
    HttpResponse<Buffer> r = get("/checkpoint");
    assertThat(r.getHeader("content-type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(verified(SignedNote.parse(r.bodyAsString())).origin()).isEqualTo("test.log");
  }

  @Test
  void everyReadEndpointAnswersWhatTheClientVerifies() throws Exception {
    Checkpoint cp = verified(await(client.signedCheckpoint()));
    long size = cp.size();
    List<LogEntry> entries = await(client.entries(0, size));
    assertThat(entries.get(1)).isEqualTo(LogServiceTest.release(1));
    InclusionProof p = await(client.inclusionProof(1, size));
    p.verify(entries.get(1).leafHash(), cp.rootHash());
    InclusionProof byHash = await(client.inclusionProof(entries.get(2).leafHash(), size));
    assertThat(byHash.leafIndex()).isEqualTo(2);
    byHash.verify(entries.get(2).leafHash(), cp.rootHash());
    ConsistencyProof c = await(client.consistencyProof(1, size));
    assertThat(c.size1()).isEqualTo(1);
    assertThat(await(client.lookupMeasurement(String.format("%096x", 2))).orElseThrow().index())
        .isEqualTo(2);
    assertThat(await(client.lookupMeasurement(String.format("%096x", 77)))).isEmpty();
    assertThat(await(client.lookupTokenKey(new byte[] {9}))).isEmpty();
    JsonObject raw = get("/entries?start=0&end=1").bodyAsJsonObject();
    assertThat(raw.getLong("start")).isZero();
    assertThat(raw.getJsonArray("entries").getJsonObject(0).getString("type"))
        .isEqualTo("enclave-release");
  }

  @Test
  void theClientServesTheGatewaysLogReaderInterface() throws Exception {
    LogReader reader = client;
    Checkpoint cp = verified(SignedNote.parse(await(reader.checkpoint())));
    long index = await(reader.lookup("measurement", String.format("%096x", 1))).getAsLong();
    assertThat(index).isEqualTo(1);
    byte[] entry = await(reader.entry(index));
    assertThat(entry).isEqualTo(LogServiceTest.release(1).encode());
    await(reader.inclusion(index, cp.size()))
        .verify(org.privateprocessing.tlog.Rfc9162.leafHash(entry), cp.rootHash());
    assertThat(await(reader.consistency(1, cp.size())).size2()).isEqualTo(cp.size());
    assertThat(await(reader.lookup("tokenKey", "AQID_w"))).isEmpty();
  }

  @Test
  void anAppendAnswers201ThenIdempotently200() throws Exception {
    LogEntry e =
        new LogEntry.IssuerKey("issuer.test", 2, new byte[] {1, 2, 3}, Instant.ofEpochSecond(1));
    LogClient.Appended first = await(client.append(e, publisher));
    assertThat(first.created()).isTrue();
    assertThat(verified(first.checkpoint()).size()).isEqualTo(first.index() + 1);
    LogClient.Appended again = await(client.append(e, publisher));
    assertThat(again.created()).isFalse();
    assertThat(again.index()).isEqualTo(first.index());
    assertThat(await(client.lookupTokenKey(new byte[] {1, 2, 3})).orElseThrow().index())
        .isEqualTo(first.index());
  }

  @Test
  void malformedReadsAre4xxProblems() throws Exception {
    assertProblem(get("/entries?start=0&end=9999"), 400);
    assertProblem(get("/entries?start=a&end=1"), 400);
    assertProblem(get("/entries?start=0&start=1&end=2"), 400);
    assertProblem(get("/proof/inclusion?index=0&size=9999"), 400);
    assertProblem(get("/proof/inclusion?index=0"), 400);
    assertProblem(get("/proof/inclusion?hash=%%%&size=1"), 400);
    assertProblem(get("/proof/consistency?from=0&to=1"), 400);
    assertProblem(get("/proof/consistency?from=1&to=9999"), 400);
    assertProblem(get("/lookup"), 400);
    assertProblem(get("/lookup?measurement=" + String.format("%096x", 99)), 404);
    assertProblem(get("/nothing-here"), 404);
  }

  @Test
  void badAppendsAre4xxAndChangeNothing() throws Exception {
    String before = get("/checkpoint").bodyAsString();
    byte[] body = LogServiceTest.release(50).encode();
    PublisherKeys.Signer stranger =
        PublisherKeys.Signer.generate("stranger", LogServiceTest.RANDOM);
    assertProblem(
        await(
            http.postAbs(base + "/entries")
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer(body))),
        401);
    assertProblem(
        await(
            http.postAbs(base + "/entries")
                .putHeader("content-type", "application/json")
                .putHeader("authorization", LogServiceTest.auth(stranger, body))
                .sendBuffer(Buffer.buffer(body))),
        403);
    byte[] notJson = "<xml/>".getBytes();
    assertProblem(
        await(
            http.postAbs(base + "/entries")
                .putHeader("content-type", "application/json")
                .putHeader("authorization", LogServiceTest.auth(publisher, notJson))
                .sendBuffer(Buffer.buffer(notJson))),
        400);
    assertProblem(
        await(
            http.postAbs(base + "/entries")
                .putHeader("content-type", "text/plain")
                .putHeader("authorization", LogServiceTest.auth(publisher, body))
                .sendBuffer(Buffer.buffer(body))),
        415);
    assertProblem(
        await(
            http.postAbs(base + "/entries")
                .putHeader("content-type", "application/json")
                .putHeader("authorization", LogServiceTest.auth(publisher, body))
                .sendBuffer(Buffer.buffer(new byte[20_000]))),
        413);
    assertProblem(
        await(
            http.postAbs(base + "/checkpoint/cosignature")
                .putHeader("content-type", "text/plain")
                .sendBuffer(Buffer.buffer("— nobody AAAA"))),
        400);
    assertThat(get("/checkpoint").bodyAsString()).isEqualTo(before);
    assertThatThrownBy(() -> await(client.append(LogServiceTest.release(51), stranger)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            LogClient.Failure.class, f -> assertThat(f.status()).isEqualTo(403));
  }

  @Test
  void aWitnessCosignatureIsServedAfterTheLogSignature() throws Exception {
    Checkpoint cp = verified(await(client.signedCheckpoint()));
    await(client.cosign(LogServiceTest.WITNESS.cosign(cp, Instant.now())));
    SignedNote note = await(client.signedCheckpoint());
    assertThat(note.signatures().get(0).keyName()).isEqualTo("test.log");
    assertThat(note.signatures()).extracting(s -> s.keyName()).contains("witness.example");
  }
}
