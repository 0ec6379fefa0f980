package org.privateprocessing.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.EnclaveInfo;
import org.privateprocessing.api.InvalidRequestException;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.MerkleTree;
import org.privateprocessing.tlog.NoteSigner;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.WitnessPolicy;

/**
 * The receipt's JSON form against fixed values (a fixed log key, fixed entries: the same bytes on
 * every run), its strict parser, the binding of an answer to the verified enclave, and each check
 * of {@link ReceiptCheck} with a tampered receipt, a wrong key, a fork and a rollback.
 */
class ReceiptTest {
  static final String SKEY =
      "PRIVATE+KEY+log.receipt.test+fd1f2a38+AeYzRV/3YIlvVbKuBNHJ4wIRWpFQVuMVFmJHEBM4vbf7";
  static final String VKEY =
      "log.receipt.test+fd1f2a38+AY+NtdxwJQ0p76oBRg8GXh3/ReyXF36gLexf+Z4GV8i7";
  static final String OTHER_SKEY =
      "PRIVATE+KEY+log.receipt.test+7e9de5e4+AdqSnS3CwVLbtMrkUZJwp3cRmHvNWWaVKB/O1pOnO+ut";
  static final String M1 = "a1".repeat(48);
  static final String M2 = "b2".repeat(48);
  static final String ID = "5e1ec7ed00000001";
  static final ModelInfo MODEL = new ModelInfo("extractive-textrank", "1");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** A log of {@code size} entries: entry 1 is the release of M1, entry 3 (if any) of M2. */
  static LogEntry entry(int i) {
    return switch (i) {
      case 1 ->
          new LogEntry.EnclaveRelease(M1, "1.0.0", "c0ffee", Instant.parse("2026-12-01T00:00:00Z"));
      case 3 ->
          new LogEntry.EnclaveRelease(M2, "1.0.1", "decade", Instant.parse("2026-12-02T00:00:00Z"));
      default ->
          new LogEntry.IssuerKey(
              "issuer.test",
              2,
              new byte[] {(byte) i, 1, 2, 3},
              Instant.parse("2026-12-01T00:00:00Z"));
    };
  }

  static MerkleTree tree(int size) {
    MerkleTree t = new MerkleTree();
    for (int i = 0; i < size; i++) {
      t.append(entry(i).leafHash());
    }
    return t;
  }

  static String note(MerkleTree t, long size, String skey) throws Exception {
    NoteSigner signer = NoteSigner.parse(skey);
    String text = new Checkpoint(signer.name(), size, t.root(size)).encode();
    return new SignedNote(text, List.of(signer.sign(text))).encode();
  }

  static Receipt.LoggedRelease release(int size, long index, String skey) throws Exception {
    MerkleTree t = tree(size);
    InclusionProof p = t.inclusionProof(index, size);
    List<String> hashes = new ArrayList<>();
    p.hashes().forEach(h -> hashes.add(B64.encodeToString(h)));
    return new Receipt.LoggedRelease(
        index, B64.encodeToString(entry((int) index).encode()), hashes, note(t, size, skey));
  }

  static Receipt receipt() throws Exception {
    return new Receipt(ID, M1, MODEL, release(3, 1, SKEY));
  }

  static ReceiptCheck check(String skey) throws Exception {
    return new ReceiptCheck(List.of(NoteSigner.parse(skey).verifier()), WitnessPolicy.none());
  }

  @Test
  @DisplayName("a receipt of fixed values encodes to fixed JSON bytes and parses back equal")
  void vector() throws Exception {
    Receipt r = receipt();
    // The expected bytes were checked outside Java: Python's hashlib recomputes the checkpoint's
    // root from the entry and the two hashes (RFC 9162), and pyca/cryptography verifies the
    // checkpoint's Ed25519 signature with VKEY.
    byte[] expected;
    try (java.io.InputStream in =
        ReceiptTest.class.getResourceAsStream("/vectors/receipt/receipt-v1.json")) {
      expected = in.readAllBytes();
    }
    assertThat(new String(r.encode(), StandardCharsets.UTF_8))
        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
    assertThat(NoteSigner.parse(SKEY).verifierKey()).isEqualTo(VKEY);
    assertThat(Receipt.parse(r.encode())).isEqualTo(r);
    assertThat(r.release().checkpointBody().size()).isEqualTo(3);
    Receipt noLog = new Receipt(ID, M1, MODEL, null);
    assertThat(new String(noLog.encode(), StandardCharsets.UTF_8)).doesNotContain("release");
    assertThat(Receipt.parse(noLog.encode())).isEqualTo(noLog);
  }

  @Test
  @DisplayName("the parser names the member that is missing or out of form")
  void parseRefusesBadReceipts() throws Exception {
    JsonObject good = new JsonObject(new String(receipt().encode(), StandardCharsets.UTF_8));
    record Bad(String path, java.util.function.Consumer<JsonObject> change) {}
    List<Bad> bad =
        List.of(
            new Bad("version", j -> j.put("version", 2)),
            new Bad("version", j -> j.remove("version")),
            new Bad("extra", j -> j.put("extra", 1)),
            new Bad("enclave", j -> j.remove("enclave")),
            new Bad("enclave.id", j -> j.getJsonObject("enclave").put("id", "NOT-HEX")),
            new Bad(
                "enclave.measurement", j -> j.getJsonObject("enclave").put("measurement", "ab")),
            new Bad("model.name", j -> j.getJsonObject("model").put("name", 7)),
            new Bad("model", j -> j.getJsonObject("model").put("name", "")),
            new Bad("release.leafIndex", j -> j.getJsonObject("release").put("leafIndex", -1)),
            new Bad("release.leafIndex", j -> j.getJsonObject("release").put("leafIndex", 1.5)),
            new Bad("release.leafIndex", j -> j.getJsonObject("release").put("leafIndex", 3)),
            new Bad("release.entry", j -> j.getJsonObject("release").put("entry", "*")),
            new Bad(
                "release.hashes[0]",
                j -> j.getJsonObject("release").getJsonArray("hashes").set(0, "AAAA")),
            new Bad("release.hashes", j -> j.getJsonObject("release").put("hashes", "x")),
            new Bad("release.checkpoint", j -> j.getJsonObject("release").put("checkpoint", "x")),
            new Bad("release.proof", j -> j.getJsonObject("release").put("proof", "x")));
    for (Bad b : bad) {
      JsonObject j = good.copy();
      b.change().accept(j);
      assertThatThrownBy(() -> Receipt.parse(j.encode().getBytes(StandardCharsets.UTF_8)))
          .as(b.path())
          .isInstanceOf(InvalidRequestException.class)
          .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo(b.path()));
    }
    assertThatThrownBy(() -> Receipt.parse("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> Receipt.parse(new byte[Receipt.MAX_BYTES + 1]))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at most");
  }

  @Test
  @DisplayName(
      "an answer is receipted with the verified enclave only when it restates that enclave")
  void answerIsBoundToTheVerifiedEnclave() throws Exception {
    EnclaveDescriptor verified =
        new EnclaveDescriptor(ID, List.of(), M1).withRelease(release(3, 1, SKEY));
    Future<PrivateProcessingClient.Answered<String>> ok =
        PrivateProcessingClient.receipted("answer", MODEL, new EnclaveInfo(ID, M1), verified);
    assertThat(ok.succeeded()).isTrue();
    assertThat(ok.result().receipt()).isEqualTo(receipt());
    for (EnclaveInfo stated :
        new EnclaveInfo[] {
          null,
          new EnclaveInfo("5e1ec7ed00000002", M1),
          new EnclaveInfo(ID, M2),
          new EnclaveInfo(ID, null)
        }) {
      Future<PrivateProcessingClient.Answered<String>> refused =
          PrivateProcessingClient.receipted("answer", MODEL, stated, verified);
      assertThat(refused.failed()).as("%s", stated).isTrue();
      assertThat(((PrivateProcessingException) refused.cause()).type())
          .isEqualTo("enclave-mismatch");
    }
  }

  @Test
  @DisplayName("a receipt re-checks against a later checkpoint of the same log")
  void verifiesAgainstALaterCheckpoint() throws Exception {
    Receipt r = receipt();
    ReceiptCheck check = check(SKEY);
    Checkpoint then = check.receiptCheckpoint(r);
    MerkleTree later = tree(5);
    Checkpoint now = check.current(note(later, 5, SKEY), then.origin());
    check.consistent(then, now, later.consistencyProof(3, 5));
    check.stillIncluded(r, now, later.inclusionProof(1, 5));
    // Same size, same root: nothing to prove.
    check.consistent(then, check.current(note(tree(3), 3, SKEY), then.origin()), null);
  }

  @Test
  @DisplayName(
      "a tampered receipt, a wrong log key, a fork, a rollback and a bad proof are each refused")
  void refusals() throws Exception {
    Receipt r = receipt();
    ReceiptCheck check = check(SKEY);
    Checkpoint then = check.receiptCheckpoint(r);
    MerkleTree later = tree(5);
    Checkpoint now = check.current(note(later, 5, SKEY), then.origin());

    assertRefused(() -> check(OTHER_SKEY).receiptCheckpoint(r), "receipt-signature");
    assertRefused(() -> new ReceiptCheck(List.of(), WitnessPolicy.none()), null);
    assertRefused(
        () -> check.receiptCheckpoint(new Receipt(ID, M1, MODEL, null)), "receipt-no-log");
    // The measurement changed: the entry is another release's.
    assertRefused(
        () -> check.receiptCheckpoint(new Receipt(ID, M2, MODEL, r.release())), "receipt-entry");
    // Another leaf index: the proof no longer leads to the root.
    Receipt.LoggedRelease moved =
        new Receipt.LoggedRelease(
            2, r.release().entry(), r.release().hashes(), r.release().checkpoint());
    assertRefused(
        () -> check.receiptCheckpoint(new Receipt(ID, M1, MODEL, moved)), "receipt-proof");
    // The release of M2 at index 3, passed off with a proof of another entry's leaf.
    Receipt.LoggedRelease swapped =
        new Receipt.LoggedRelease(
            1,
            B64.encodeToString(entry(3).encode()),
            r.release().hashes(),
            r.release().checkpoint());
    assertRefused(
        () -> check.receiptCheckpoint(new Receipt(ID, M2, MODEL, swapped)), "receipt-proof");
    // A non-release entry, properly proven.
    Receipt.LoggedRelease key = release(3, 0, SKEY);
    assertRefused(() -> check.receiptCheckpoint(new Receipt(ID, M1, MODEL, key)), "receipt-entry");

    assertRefused(() -> check.current(note(later, 5, OTHER_SKEY), then.origin()), "log-signature");
    assertRefused(() -> check.current("not a note", then.origin()), "log-signature");
    assertRefused(() -> check.current(note(later, 5, SKEY), "another.log"), "log-signature");

    // Fork: a tree of size 5 whose first 3 entries differ from the receipt's.
    MerkleTree fork = new MerkleTree();
    for (int i = 0; i < 5; i++) {
      fork.append(entry(i == 2 ? 4 : i).leafHash());
    }
    Checkpoint forked = check.current(note(fork, 5, SKEY), then.origin());
    assertRefused(() -> check.consistent(then, forked, fork.consistencyProof(3, 5)), "log-fork");
    assertRefused(() -> check.consistent(then, forked, later.consistencyProof(3, 5)), "log-fork");
    assertRefused(() -> check.consistent(then, now, null), "log-fork");
    assertRefused(() -> check.consistent(then, now, later.consistencyProof(2, 5)), "log-fork");
    Checkpoint sameSizeFork = check.current(note(fork, 3, SKEY), then.origin());
    assertRefused(() -> check.consistent(then, sameSizeFork, null), "log-fork");
    Checkpoint smaller = check.current(note(later, 2, SKEY), then.origin());
    assertRefused(() -> check.consistent(then, smaller, null), "log-fork");

    assertRefused(() -> check.stillIncluded(r, now, later.inclusionProof(0, 5)), "log-proof");
    assertRefused(() -> check.stillIncluded(r, now, later.inclusionProof(1, 4)), "log-proof");
    assertRefused(
        () ->
            check.stillIncluded(
                r, forked, new InclusionProof(1, 5, later.inclusionProof(1, 5).hashes())),
        "log-proof");
  }

  interface Step {
    void run() throws Exception;
  }

  static void assertRefused(Step step, String type) {
    assertThatThrownBy(step::run)
        .satisfies(
            e -> {
              if (type == null) {
                assertThat(e).isInstanceOf(IllegalArgumentException.class);
              } else {
                assertThat(e).isInstanceOf(LogTrust.Refusal.class);
                assertThat(((LogTrust.Refusal) e).type()).isEqualTo(type);
                assertThat(e.getMessage()).isNotBlank();
              }
            });
  }
}
