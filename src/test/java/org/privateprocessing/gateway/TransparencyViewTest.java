package org.privateprocessing.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.client.LogTrust;
import org.privateprocessing.logclient.LogReader;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.ConsistencyProof;
import org.privateprocessing.tlog.CosignatureSigner;
import org.privateprocessing.tlog.CosignatureVerifier;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.MerkleTree;
import org.privateprocessing.tlog.NoteSigner;
import org.privateprocessing.tlog.Rfc9162;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.WitnessPolicy;

/** The gateway assembles proofs from the log; the client checks every one against the log's key. */
class TransparencyViewTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final String M1 = "ab".repeat(48);
  static final String M2 = "cd".repeat(48);
  static final byte[] GATEWAY_KEY = {1, 2, 3, 4};
  static final byte[] ISSUER_KEY = {9, 8, 7};

  /** A log in memory with the HTTP log's semantics: entries, tree, signed checkpoints. */
  static final class MemoryLog implements LogReader {
    final NoteSigner signer;

    MemoryLog() {
      this(NoteSigner.generate("log.test", RANDOM));
    }

    MemoryLog(NoteSigner signer) {
      this.signer = signer;
    }

    final List<byte[]> entries = new ArrayList<>();
    final MerkleTree tree = new MerkleTree();
    final List<CosignatureSigner> witnesses = new ArrayList<>();

    void add(JsonObject entry) {
      byte[] b = entry.encode().getBytes(StandardCharsets.UTF_8);
      entries.add(b);
      tree.append(Rfc9162.leafHash(b));
    }

    @Override
    public Future<String> checkpoint() {
      Checkpoint cp = new Checkpoint("log.test", tree.size(), tree.root());
      SignedNote note = new SignedNote(cp.encode(), List.of(signer.sign(cp.encode())));
      for (CosignatureSigner w : witnesses) {
        note = note.withSignature(w.cosign(cp, Instant.now()));
      }
      return Future.succeededFuture(note.encode());
    }

    @Override
    public Future<OptionalLong> lookup(String kind, String value) {
      for (int i = 0; i < entries.size(); i++) {
        if (value.equals(
            new JsonObject(new String(entries.get(i), StandardCharsets.UTF_8)).getValue(kind))) {
          return Future.succeededFuture(OptionalLong.of(i));
        }
      }
      return Future.succeededFuture(OptionalLong.empty());
    }

    @Override
    public Future<byte[]> entry(long index) {
      return Future.succeededFuture(entries.get((int) index));
    }

    @Override
    public Future<InclusionProof> inclusion(long index, long size) {
      try {
        return Future.succeededFuture(tree.inclusionProof(index, size));
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }

    @Override
    public Future<ConsistencyProof> consistency(long size1, long size2) {
      try {
        return Future.succeededFuture(tree.consistencyProof(size1, size2));
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static MemoryLog demoLog() {
    MemoryLog log = new MemoryLog();
    log.add(
        new JsonObject()
            .put("type", "issuer-key")
            .put("tokenKey", b64(ISSUER_KEY))
            .put("tokenType", 2));
    log.add(new JsonObject().put("type", "gateway-key-config").put("keyConfig", b64(GATEWAY_KEY)));
    log.add(
        new JsonObject().put("type", "enclave-release").put("measurement", M1).put("version", "1"));
    return log;
  }

  static JsonObject listing() {
    return new JsonObject()
        .put(
            "enclaves",
            new JsonArray()
                .add(new JsonObject().put("id", "e1").put("measurement", M1))
                .add(new JsonObject().put("id", "e2").put("measurement", M2)));
  }

  static JsonObject annotate(MemoryLog log, OptionalLong since) throws Exception {
    TransparencyView view =
        new TransparencyView(
            log,
            () -> List.of(GATEWAY_KEY),
            () -> List.of(ISSUER_KEY),
            Clock.fixed(Instant.now(), ZoneOffset.UTC),
            0);
    return view.annotate(listing(), since).toCompletionStage().toCompletableFuture().get();
  }

  static LogTrust trust(MemoryLog log) throws Exception {
    return LogTrust.of(List.of(log.signer.verifierKey()), WitnessPolicy.none());
  }

  @Test
  @DisplayName(
      "a listing's proofs of the gateway key, the issuer key and a release verify against the log key")
  void proofsVerify() throws Exception {
    MemoryLog log = demoLog();
    JsonObject listed = annotate(log, OptionalLong.empty());
    LogTrust trust = trust(log);
    LogTrust.Proven proven = trust.verify(listed.getJsonObject("transparency"));
    assertThat(proven.hasGatewayKeyConfig(GATEWAY_KEY)).isTrue();
    assertThat(proven.hasIssuerKey(ISSUER_KEY)).isTrue();
    assertThat(proven.hasIssuerKey(new byte[] {1})).isFalse();
    JsonArray enclaves = listed.getJsonArray("enclaves");
    assertThat(trust.releasedMeasurement(proven, enclaves.getJsonObject(0).getValue("release")))
        .contains(M1);
    // An enclave running a release that is not in the log gets no proof, and so no measurement.
    assertThat(enclaves.getJsonObject(1).containsKey("release")).isFalse();
    assertThat(trust.releasedMeasurement(proven, enclaves.getJsonObject(1).getValue("release")))
        .isEmpty();
    assertThat(trust.newest()).map(Checkpoint::size).contains(3L);
  }

  @Test
  @DisplayName(
      "a checkpoint signed by another key, or lacking the required witness cosignature, is refused")
  void signaturesAndWitnesses() throws Exception {
    MemoryLog log = demoLog();
    JsonObject section = annotate(log, OptionalLong.empty()).getJsonObject("transparency");
    LogTrust otherKey =
        LogTrust.of(
            List.of(NoteSigner.generate("log.test", RANDOM).verifierKey()), WitnessPolicy.none());
    assertThatThrownBy(() -> otherKey.verify(section))
        .isInstanceOf(LogTrust.Refusal.class)
        .hasMessageContaining("not signed");
    CosignatureSigner witness = CosignatureSigner.generate("witness.test", RANDOM);
    CosignatureVerifier wv = CosignatureVerifier.parse(witness.verifierKey());
    LogTrust needsWitness =
        LogTrust.of(List.of(log.signer.verifierKey()), new WitnessPolicy(List.of(wv), 1));
    assertThatThrownBy(() -> needsWitness.verify(section)).isInstanceOf(LogTrust.Refusal.class);
    log.witnesses.add(witness);
    assertThat(
            needsWitness
                .verify(annotate(log, OptionalLong.empty()).getJsonObject("transparency"))
                .checkpoint()
                .size())
        .isEqualTo(3);
    assertThatThrownBy(() -> trust(log).verify(null))
        .hasMessageContaining("no transparency log proofs");
  }

  @Test
  @DisplayName(
      "since (docs/TRANSPARENCY.md): absent, 0 and the current size bring no proof; 1..size-1 a proof to the size; beyond the log no proof and still a listing")
  void sinceSemantics() throws Exception {
    MemoryLog log = demoLog();
    long n = 3;
    for (OptionalLong none :
        List.of(OptionalLong.empty(), OptionalLong.of(0), OptionalLong.of(n))) {
      JsonObject t = annotate(log, none).getJsonObject("transparency");
      assertThat(t.containsKey("consistency")).as("since %s", none).isFalse();
      assertThat(t.getString("checkpoint")).contains("\n3\n");
    }
    JsonObject one = annotate(log, OptionalLong.of(1)).getJsonObject("transparency");
    assertThat(one.getJsonObject("consistency").getLong("size1")).isEqualTo(1);
    assertThat(one.getJsonObject("consistency").getLong("size2")).isEqualTo(n);
    JsonObject beyond = annotate(log, OptionalLong.of(n + 5));
    assertThat(beyond.getJsonObject("transparency").containsKey("consistency")).isFalse();
    assertThat(beyond.getJsonArray("enclaves")).hasSize(2);
  }

  @Test
  @DisplayName(
      "a client that saw the empty log accepts the grown one without a proof (none exists from size 0), then requires proofs again")
  void fromTheEmptyLog() throws Exception {
    MemoryLog log = new MemoryLog();
    LogTrust trust = trust(log);
    // An empty log proves no gateway key (the client then sends nothing), but its checkpoint
    // verifies and is remembered (for the CLI, in its state file).
    LogTrust.Proven empty =
        trust.verify(annotate(log, OptionalLong.empty()).getJsonObject("transparency"));
    assertThat(empty.hasGatewayKeyConfig(GATEWAY_KEY)).isFalse();
    assertThat(trust.newest()).map(Checkpoint::size).contains(0L);
    MemoryLog grown = log;
    for (int i = 0; i < 3; i++) {
      grown.add(new JsonObject(new String(demoLog().entries.get(i), StandardCharsets.UTF_8)));
    }
    JsonObject t = annotate(grown, OptionalLong.of(0)).getJsonObject("transparency");
    assertThat(t.containsKey("consistency")).isFalse();
    trust.verify(t);
    assertThat(trust.newest()).map(Checkpoint::size).contains(3L);
    grown.add(new JsonObject().put("type", "enclave-release").put("measurement", M2));
    JsonObject withoutProof = annotate(grown, OptionalLong.empty()).getJsonObject("transparency");
    assertThatThrownBy(() -> trust.verify(withoutProof))
        .isInstanceOf(LogTrust.Refusal.class)
        .hasMessageContaining("no consistency proof");
  }

  @Test
  @DisplayName(
      "a grown log is accepted with a consistency proof from the size seen before; a forked one is refused")
  void consistencyAndForks() throws Exception {
    MemoryLog log = demoLog();
    LogTrust trust = trust(log);
    trust.verify(annotate(log, OptionalLong.empty()).getJsonObject("transparency"));
    log.add(
        new JsonObject().put("type", "enclave-release").put("measurement", M2).put("version", "2"));
    JsonObject grown = annotate(log, OptionalLong.of(3)).getJsonObject("transparency");
    assertThat(grown.getJsonObject("consistency").getLong("size1")).isEqualTo(3);
    trust.verify(grown);
    assertThat(trust.newest()).map(Checkpoint::size).contains(4L);
    // Without the proof a newer checkpoint is not taken on faith.
    log.add(
        new JsonObject()
            .put("type", "enclave-release")
            .put("measurement", "ef".repeat(48))
            .put("version", "3"));
    JsonObject noProof = annotate(log, OptionalLong.empty()).getJsonObject("transparency");
    assertThatThrownBy(() -> trust.verify(noProof)).hasMessageContaining("no consistency proof");

    // A fork: same signing key, a different history of the same length as what the client saw.
    MemoryLog forked = forkOf(log, 4);
    JsonObject sameSize = annotate(forked, OptionalLong.of(4)).getJsonObject("transparency");
    assertThatThrownBy(() -> trust.verify(sameSize))
        .isInstanceOf(LogTrust.Refusal.class)
        .hasMessageContaining("forked");
    forked.add(
        new JsonObject().put("type", "enclave-release").put("measurement", M1).put("version", "9"));
    JsonObject longer = annotate(forked, OptionalLong.of(4)).getJsonObject("transparency");
    assertThatThrownBy(() -> trust.verify(longer))
        .isInstanceOf(LogTrust.Refusal.class)
        .hasMessageContaining("not consistent");
  }

  /**
   * A log under the same key whose first {@code size} entries differ from {@code log}'s in the last
   * one.
   */
  static MemoryLog forkOf(MemoryLog log, int size) throws Exception {
    MemoryLog forked = new MemoryLog(log.signer);
    for (int i = 0; i < size - 1; i++) {
      forked.add(new JsonObject(new String(log.entries.get(i), StandardCharsets.UTF_8)));
    }
    forked.add(
        new JsonObject()
            .put("type", "enclave-release")
            .put("measurement", "00".repeat(48))
            .put("version", "x"));
    return forked;
  }

  @Test
  @DisplayName("a tampered proof hash, entry or index is refused as not proven")
  void tamperedProofs() throws Exception {
    MemoryLog log = demoLog();
    JsonObject listed = annotate(log, OptionalLong.empty());
    LogTrust trust = trust(log);
    LogTrust.Proven proven = trust.verify(listed.getJsonObject("transparency"));
    JsonObject release = listed.getJsonArray("enclaves").getJsonObject(0).getJsonObject("release");
    JsonObject badIndex = release.copy().put("leafIndex", 1);
    JsonObject badEntry =
        release
            .copy()
            .put(
                "entry",
                b64(
                    new JsonObject()
                        .put("type", "enclave-release")
                        .put("measurement", M2)
                        .put("version", "1")
                        .encode()
                        .getBytes(StandardCharsets.UTF_8)));
    JsonArray hashes = release.getJsonArray("hashes").copy();
    byte[] h = Base64.getUrlDecoder().decode(hashes.getString(0));
    h[0] ^= 1;
    hashes.set(0, b64(h));
    JsonObject badHash = release.copy().put("hashes", hashes);
    for (JsonObject bad :
        List.of(badIndex, badEntry, badHash, new JsonObject(), release.copy().put("hashes", "x"))) {
      assertThatThrownBy(() -> trust.releasedMeasurement(proven, bad))
          .as(bad.encode())
          .isInstanceOf(LogTrust.Refusal.class)
          .hasMessageMatching("(?s).*(not proven|not base64url|hashes).*");
    }
    JsonObject section = listed.getJsonObject("transparency").copy();
    section.getJsonArray("gatewayKeys").getJsonObject(0).put("leafIndex", 0);
    assertThatThrownBy(() -> trust(log).verify(section)).isInstanceOf(LogTrust.Refusal.class);
  }

  @Test
  @DisplayName(
      "the newest checkpoint is remembered in a file, so the next run still catches a fork")
  void rememberedAcrossRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    MemoryLog log = demoLog();
    java.nio.file.Path state = dir.resolve("client-state").resolve("log-checkpoint");
    trust(log)
        .rememberingIn(state)
        .verify(annotate(log, OptionalLong.empty()).getJsonObject("transparency"));
    assertThat(state).exists();
    LogTrust nextRun = trust(log).rememberingIn(state);
    assertThat(nextRun.newest()).map(Checkpoint::size).contains(3L);
    MemoryLog forked = forkOf(log, 3);
    assertThatThrownBy(
            () ->
                nextRun.verify(annotate(forked, OptionalLong.of(3)).getJsonObject("transparency")))
        .hasMessageContaining("forked");
    // A state file not signed by a trusted key is an error, not silently ignored.
    LogTrust otherKey =
        LogTrust.of(
            List.of(NoteSigner.generate("log.test", RANDOM).verifierKey()), WitnessPolicy.none());
    assertThatThrownBy(() -> otherKey.rememberingIn(state)).hasMessageContaining("does not verify");
  }
}
