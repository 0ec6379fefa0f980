package org.privateprocessing.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.Profile;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.ConsistencyProof;
import org.privateprocessing.tlog.CosignatureSigner;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.NoteSignature;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.TlogException;
import org.privateprocessing.tlog.WitnessPolicy;

class LogServiceTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final CosignatureSigner WITNESS = CosignatureSigner.generate("witness.example", RANDOM);

  @TempDir Path dir;
  LogService log;
  PublisherKeys.Signer publisher;

  static LogOptions options(Path dir) {
    return new LogOptions(
        "127.0.0.1",
        0,
        "test.log",
        dir,
        null,
        List.of(),
        List.of(WITNESS.verifierKey()),
        16 * 1024);
  }

  static LogEntry release(int i) {
    return new LogEntry.EnclaveRelease(
        String.format("%096x", i), "v" + i, "c" + i, Instant.ofEpochSecond(1_700_000_000L + i));
  }

  static String auth(PublisherKeys.Signer key, byte[] body) {
    return "Signature keyName=\""
        + key.name()
        + "\",signature=\""
        + Base64.getUrlEncoder().withoutPadding().encodeToString(key.sign(body))
        + "\"";
  }

  @BeforeEach
  void open() throws Exception {
    log = LogService.open(options(dir), Profile.DEMO, RANDOM);
    publisher = log.demoPublisher().orElseThrow();
  }

  @AfterEach
  void close() throws Exception {
    log.close();
  }

  LogService.Appended append(LogEntry e) throws Exception {
    byte[] body = e.encode();
    return log.append(auth(publisher, body), body);
  }

  Checkpoint checkpoint() throws Exception {
    SignedNote note = SignedNote.parse(log.checkpoint());
    note.verify(List.of(log.noteVerifier()));
    return Checkpoint.parse(note.text());
  }

  @Test
  void anEmptyLogHasASignedCheckpointOfSizeZero() throws Exception {
    assertThat(checkpoint().size()).isZero();
    assertThat(checkpoint().origin()).isEqualTo("test.log");
    assertThat(Files.readString(dir.resolve("log.skey"))).startsWith("PRIVATE+KEY+test.log+");
    assertThat(Files.getPosixFilePermissions(dir.resolve("log.skey")))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void appendedEntriesHaveInclusionAndConsistencyProofsThatVerifyAgainstTheSignedCheckpoint()
      throws Exception {
    List<byte[]> roots = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      LogService.Appended a = append(release(i));
      assertThat(a.index()).isEqualTo(i);
      assertThat(a.created()).isTrue();
      assertThat(a.checkpoint()).isEqualTo(log.checkpoint());
      roots.add(checkpoint().rootHash());
    }
    Checkpoint cp = checkpoint();
    assertThat(cp.size()).isEqualTo(7);
    for (int i = 0; i < 7; i++) {
      JsonObject p = log.inclusionProof(Integer.toString(i), null, "7");
      proof(p).verify(release(i).leafHash(), cp.rootHash());
      JsonObject byHash =
          log.inclusionProof(
              null, Base64.getUrlEncoder().encodeToString(release(i).leafHash()), "7");
      assertThat(byHash.getLong("leafIndex")).isEqualTo(i);
    }
    for (int from = 1; from <= 7; from++) {
      JsonObject c = log.consistencyProof(Integer.toString(from), "7");
      ConsistencyProof.fromJson(c.encode()).verify(roots.get(from - 1), cp.rootHash());
    }
    JsonObject page = log.entries("2", "5");
    assertThat(page.getLong("start")).isEqualTo(2);
    assertThat(page.getJsonArray("entries")).hasSize(3);
    assertThat(page.getJsonArray("entries").getJsonObject(0).toBuffer().getBytes())
        .isEqualTo(release(2).encode());
    assertThat(log.lookup(String.format("%096x", 3), null, null).getLong("index")).isEqualTo(3);
  }

  static InclusionProof proof(JsonObject p) throws TlogException {
    return InclusionProof.fromJson(p.encode());
  }

  @Test
  void appendingAnEntryAlreadyInTheLogAnswersItsIndexAndAddsNothing() throws Exception {
    append(release(0));
    append(release(1));
    String before = log.checkpoint();
    LogService.Appended again = append(release(0));
    assertThat(again.index()).isZero();
    assertThat(again.created()).isFalse();
    assertThat(log.size()).isEqualTo(2);
    assertThat(log.checkpoint()).isEqualTo(before);
  }

  @Test
  void unauthenticatedOrWronglySignedAppendsAreRefusedAndChangeNothing() throws Exception {
    append(release(0));
    String before = log.checkpoint();
    byte[] body = release(1).encode();
    PublisherKeys.Signer stranger = PublisherKeys.Signer.generate("stranger", RANDOM);
    PublisherKeys.Signer impostor = PublisherKeys.Signer.generate(publisher.name(), RANDOM);
    assertStatus(() -> log.append(null, body), 401);
    assertStatus(() -> log.append("Bearer x", body), 401);
    assertStatus(() -> log.append("Signature keyName=" + publisher.name(), body), 401);
    assertStatus(() -> log.append(auth(impostor, body), body), 401);
    assertStatus(() -> log.append(auth(publisher, release(2).encode()), body), 401);
    assertStatus(
        () -> log.append(auth(publisher, body).replace("signature=\"", "signature=\"!!"), body),
        401);
    assertStatus(() -> log.append(auth(stranger, body), body), 403);
    byte[] notJson = "hello".getBytes();
    assertStatus(() -> log.append(auth(publisher, notJson), notJson), 400);
    byte[] extra = "{\"type\":\"issuer-key\",\"x\":1}".getBytes();
    assertStatus(() -> log.append(auth(publisher, extra), extra), 400);
    assertThat(log.size()).isEqualTo(1);
    assertThat(log.checkpoint()).isEqualTo(before);
    // One record for the entry, one for the publisher's signed request that added it.
    byte[] first = release(0).encode();
    int request =
        SignedRequest.of(publisher.name(), publisher.sign(first), first, first).encode().length;
    assertThat(Files.size(dir.resolve("entries.log"))).isEqualTo(40 + first.length + 40 + request);
  }

  @Test
  void malformedOrOutOfRangeReadsAreBadRequests() throws Exception {
    append(release(0));
    append(release(1));
    assertStatus(() -> log.entries("0", "3"), 400);
    assertStatus(() -> log.entries("1", "1"), 400);
    assertStatus(() -> log.entries("-1", "1"), 400);
    assertStatus(() -> log.entries(null, "1"), 400);
    assertStatus(() -> log.inclusionProof("2", null, "2"), 400);
    assertStatus(() -> log.inclusionProof("0", null, "3"), 400);
    assertStatus(() -> log.inclusionProof("0", null, "0"), 400);
    assertStatus(() -> log.inclusionProof("x", null, "2"), 400);
    assertStatus(() -> log.inclusionProof("0", "AA", "2"), 400);
    assertStatus(() -> log.inclusionProof(null, "AA", "2"), 400);
    assertStatus(
        () -> log.inclusionProof(null, Base64.getUrlEncoder().encodeToString(new byte[32]), "2"),
        404);
    assertStatus(
        () ->
            log.inclusionProof(
                null, Base64.getUrlEncoder().encodeToString(release(1).leafHash()), "1"),
        404);
    assertStatus(() -> log.consistencyProof("0", "2"), 400);
    assertStatus(() -> log.consistencyProof("2", "1"), 400);
    assertStatus(() -> log.consistencyProof("1", "3"), 400);
    assertStatus(() -> log.consistencyProof("1", "99999999999999999999"), 400);
    assertStatus(() -> log.lookup(null, null, null), 400);
    assertStatus(() -> log.lookup("ab", null, null), 400);
    assertStatus(() -> log.lookup(null, "!!", null), 400);
    assertStatus(() -> log.lookup(String.format("%096x", 9), null, null), 404);
  }

  @Test
  void aConfiguredWitnessCosignatureIsKeptWithTheCurrentCheckpointOnly() throws Exception {
    append(release(0));
    Checkpoint cp = checkpoint();
    NoteSignature cosig = WITNESS.cosign(cp, Instant.now());
    log.cosign(line(cosig).getBytes());
    SignedNote note = SignedNote.parse(log.checkpoint());
    assertThat(note.signatures()).hasSize(2);
    new WitnessPolicy(List.of(WITNESS.verifier()), 1).check(note);
    log.cosign(line(WITNESS.cosign(cp, Instant.now().plusSeconds(1))).getBytes());
    assertThat(SignedNote.parse(log.checkpoint()).signatures()).hasSize(2); // replaced, not added

    append(release(1));
    assertThat(SignedNote.parse(log.checkpoint()).signatures()).hasSize(1);
    assertStatus(() -> log.cosign(line(cosig).getBytes()), 400); // for an older checkpoint
  }

  @Test
  void unknownWitnessesAndBadCosignaturesAreRefused() throws Exception {
    append(release(0));
    Checkpoint cp = checkpoint();
    String before = log.checkpoint();
    CosignatureSigner other = CosignatureSigner.generate("other", RANDOM);
    assertStatus(() -> log.cosign(line(other.cosign(cp, Instant.now())).getBytes()), 403);
    NoteSignature good = WITNESS.cosign(cp, Instant.now());
    byte[] bad = good.signature();
    bad[20] ^= 1;
    assertStatus(
        () -> log.cosign(line(new NoteSignature(good.keyName(), good.keyId(), bad)).getBytes()),
        400);
    assertStatus(() -> log.cosign("not a signature line".getBytes()), 400);
    assertStatus(() -> log.cosign((line(good) + "\n" + line(good)).getBytes()), 400);
    assertThat(log.checkpoint()).isEqualTo(before);
  }

  static String line(NoteSignature s) {
    byte[] raw = new byte[4 + s.signature().length];
    System.arraycopy(s.keyId(), 0, raw, 0, 4);
    System.arraycopy(s.signature(), 0, raw, 4, raw.length - 4);
    return SignedNote.EM_DASH + " " + s.keyName() + " " + Base64.getEncoder().encodeToString(raw);
  }

  @Test
  void aRestartReproducesTheSameCheckpointWithItsCosignatures() throws Exception {
    for (int i = 0; i < 5; i++) {
      append(release(i));
    }
    log.cosign(line(WITNESS.cosign(checkpoint(), Instant.now())).getBytes());
    String before = log.checkpoint();
    String vkey = log.verifierKey();
    log.close();
    log = LogService.open(options(dir), Profile.DEMO, RANDOM);
    assertThat(log.checkpoint()).isEqualTo(before);
    assertThat(log.verifierKey()).isEqualTo(vkey);
    assertThat(log.demoPublisher().orElseThrow().verifierKey()).isEqualTo(publisher.verifierKey());
    assertThat(append(release(5)).index()).isEqualTo(5);
  }

  @Test
  void aDamagedEntryMakesTheLogRefuseToStartNamingTheFile() throws Exception {
    for (int i = 0; i < 3; i++) {
      append(release(i));
    }
    log.close();
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("entries.log").toFile(), "rw")) {
      f.seek(60);
      int b = f.read();
      f.seek(60);
      f.write(b ^ 0x01);
    }
    assertThatThrownBy(() -> LogService.open(options(dir), Profile.DEMO, RANDOM))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("entries.log")
        .hasMessageContaining("refusing to start");
    log = LogService.open(options(dir.resolve("other")), Profile.DEMO, RANDOM); // for @AfterEach
  }

  @Test
  void aCheckpointThatTheEntriesDoNotReproduceMakesTheLogRefuseToStart() throws Exception {
    append(release(0));
    String first = log.checkpoint();
    append(release(1));
    log.close();
    // A checkpoint for size 1 is fine; one for size 2 whose root is another size's is not.
    String forged = first.replace("\n1\n", "\n2\n");
    Files.writeString(dir.resolve("checkpoint"), forged);
    assertThatThrownBy(() -> LogService.open(options(dir), Profile.DEMO, RANDOM))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("checkpoint");
    Files.writeString(dir.resolve("checkpoint"), "garbage");
    assertThatThrownBy(() -> LogService.open(options(dir), Profile.DEMO, RANDOM))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("checkpoint");
    log = LogService.open(options(dir.resolve("other")), Profile.DEMO, RANDOM);
  }

  @Test
  void aCrashMidAppendIsRecoveredToTheLastCompleteEntry() throws Exception {
    append(release(0));
    append(release(1));
    String before = log.checkpoint();
    log.close();
    Files.write(
        dir.resolve("entries.log"), new byte[] {0, 0, 0, 9, 1, 2}, StandardOpenOption.APPEND);
    log = LogService.open(options(dir), Profile.DEMO, RANDOM);
    assertThat(log.size()).isEqualTo(2);
    assertThat(log.checkpoint()).isEqualTo(before);
  }

  @Test
  void outsideTheDemoProfileTheSigningKeyMustBeConfigured() {
    assertThatThrownBy(
            () -> LogService.open(options(dir.resolve("prod")), Profile.PRODUCTION, RANDOM))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("log.signingKeyFile");
  }

  @Test
  void theSignatureHeaderParserAcceptsOnlyTheSignatureScheme() {
    assertThat(LogService.signatureParams("Signature keyName=\"a\",signature=\"b\""))
        .containsEntry("keyName", "a")
        .containsEntry("signature", "b");
    assertThat(LogService.signatureParams("Signature keyName=a")).isEmpty();
    assertThat(LogService.signatureParams("Basic abc")).isEmpty();
    assertThat(LogService.signatureParams(null)).isEmpty();
  }

  interface Call {
    void run() throws Exception;
  }

  static void assertStatus(Call call, int status) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            PipelineException.class,
            e -> assertThat(e.status()).as(e.getMessage()).isEqualTo(status));
  }
}
