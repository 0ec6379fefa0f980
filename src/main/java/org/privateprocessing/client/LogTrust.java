package org.privateprocessing.client;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.ConsistencyProof;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.NoteVerifier;
import org.privateprocessing.tlog.Rfc9162;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.TlogException;
import org.privateprocessing.tlog.WitnessPolicy;

/**
 * What a client believes of the transparency log (issue #5): only checkpoints signed by a log key
 * it was configured with (and cosigned by enough witnesses), only entries proven included in such a
 * checkpoint, and only checkpoints consistent with the newest one it has seen — so a log that shows
 * this client a different history than everyone else is caught.
 *
 * <p>The gateway hands the proofs over in {@code GET /v1/enclaves} ({@code transparency}); the
 * gateway is not trusted for any of it: every check here is against the log's signature.
 * Thread-safe: the newest checkpoint moves forward only.
 */
public final class LogTrust {
  private final List<NoteVerifier> logKeys;
  private final WitnessPolicy witnesses;
  private Checkpoint newest;
  private java.nio.file.Path stateFile;

  private LogTrust(List<NoteVerifier> logKeys, WitnessPolicy witnesses) {
    if (logKeys.isEmpty()) {
      throw new IllegalArgumentException("a log trust needs at least one log key");
    }
    this.logKeys = List.copyOf(logKeys);
    this.witnesses = Objects.requireNonNull(witnesses, "witnesses");
  }

  /**
   * @param vkeys the log's verifier keys (C2SP {@code name+hash+base64} form)
   * @param witnesses how many of which witnesses must have cosigned a checkpoint
   */
  public static LogTrust of(Collection<String> vkeys, WitnessPolicy witnesses)
      throws TlogException {
    List<NoteVerifier> keys = new ArrayList<>();
    for (String v : vkeys) {
      keys.add(NoteVerifier.parse(v.trim()));
    }
    return new LogTrust(keys, witnesses);
  }

  /**
   * Remembers the newest checkpoint in {@code file} across runs (a one-shot CLI client would
   * otherwise forget it): reads it now if present — it must verify under this client's log keys —
   * and rewrites it whenever a newer checkpoint is accepted.
   *
   * @throws java.io.IOException if the file exists but does not hold a checkpoint signed by a
   *     trusted log key
   */
  public synchronized LogTrust rememberingIn(java.nio.file.Path file) throws java.io.IOException {
    stateFile = file;
    if (java.nio.file.Files.exists(file)) {
      try {
        newest = Checkpoint.fromSignedNote(java.nio.file.Files.readString(file), logKeys);
      } catch (TlogException e) {
        throw new java.io.IOException(
            "the remembered log checkpoint in "
                + file
                + " does not verify ("
                + e.getMessage()
                + "); if the log key changed on purpose, delete that file",
            e);
      }
    }
    return this;
  }

  /**
   * The newest checkpoint this client accepted, if any (sent as {@code since} so the gateway proves
   * consistency).
   */
  public synchronized Optional<Checkpoint> newest() {
    return Optional.ofNullable(newest);
  }

  /**
   * What a listing's transparency section proved; {@code note} is the signed checkpoint note the
   * proofs lead to (kept in receipts).
   */
  public record Proven(
      Checkpoint checkpoint,
      Set<String> gatewayKeyConfigs,
      Set<String> issuerTokenKeys,
      String note) {
    public Proven {
      gatewayKeyConfigs = Set.copyOf(gatewayKeyConfigs);
      issuerTokenKeys = Set.copyOf(issuerTokenKeys);
    }

    public boolean hasGatewayKeyConfig(byte[] keyConfig) {
      return gatewayKeyConfigs.contains(HexFormat.of().formatHex(keyConfig));
    }

    public boolean hasIssuerKey(byte[] tokenKey) {
      return issuerTokenKeys.contains(HexFormat.of().formatHex(tokenKey));
    }
  }

  /** A failed transparency check; the message says which and is shown to the user. */
  public static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    private final String type;

    Refusal(String type, String message) {
      super(message, null, false, false);
      this.type = type;
    }

    /**
     * Problem-like slug: {@code log-signature}, {@code log-fork}, {@code log-proof}, {@code
     * log-missing}.
     */
    public String type() {
      return type;
    }
  }

  /**
   * Verifies a listing's {@code transparency} section: the checkpoint's signatures, its consistency
   * with the newest checkpoint seen (then remembers the newer one), and every gateway and issuer
   * key entry's inclusion proof.
   */
  public Proven verify(JsonObject section) throws Refusal {
    Proven proven = check(section);
    remember(proven.checkpoint(), section.getString("checkpoint"));
    return proven;
  }

  private synchronized void remember(Checkpoint accepted, String note) {
    if (stateFile == null || newest != accepted) {
      return; // only the checkpoint that just became the newest is written
    }
    try {
      java.nio.file.Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
      java.nio.file.Files.createDirectories(stateFile.toAbsolutePath().getParent());
      java.nio.file.Files.writeString(tmp, note);
      java.nio.file.Files.move(
          tmp,
          stateFile,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.io.IOException e) {
      // Not fatal: this run still checked consistency; the next one starts from the older state.
      java.util.logging.Logger.getLogger(LogTrust.class.getName())
          .warning("could not remember the log checkpoint in " + stateFile + ": " + e.getMessage());
    }
  }

  private Proven check(JsonObject section) throws Refusal {
    if (section == null) {
      throw new Refusal(
          "log-missing", "the gateway sent no transparency log proofs; this client requires them");
    }
    SignedNote note;
    Checkpoint cp;
    try {
      note = SignedNote.parse(section.getString("checkpoint"));
      note.verify(logKeys);
      witnesses.check(note);
      cp = Checkpoint.parse(note.text());
    } catch (TlogException | ClassCastException e) {
      throw new Refusal(
          "log-signature",
          "the log checkpoint is not signed as this client requires: " + e.getMessage());
    }
    checkConsistency(cp, section.getValue("consistency"));
    Set<String> gateway = new HashSet<>();
    Set<String> issuer = new HashSet<>();
    for (Object o : array(section, "gatewayKeys")) {
      JsonObject entry = included(cp, o, "gateway key");
      requireType(entry, "gateway-key-config");
      gateway.add(
          HexFormat.of().formatHex(b64(entry.getString("keyConfig"), "gateway key config")));
    }
    for (Object o : array(section, "issuerKeys")) {
      JsonObject entry = included(cp, o, "issuer key");
      requireType(entry, "issuer-key");
      issuer.add(HexFormat.of().formatHex(b64(entry.getString("tokenKey"), "issuer token key")));
    }
    return new Proven(cp, gateway, issuer, section.getString("checkpoint"));
  }

  /**
   * The measurement of an enclave's release entry, proven included in {@code proven}'s checkpoint;
   * empty when the listing gives no proof for it.
   */
  public Optional<String> releasedMeasurement(Proven proven, Object releaseProof) throws Refusal {
    if (releaseProof == null) {
      return Optional.empty();
    }
    JsonObject entry = included(proven.checkpoint(), releaseProof, "enclave release");
    requireType(entry, "enclave-release");
    String m = entry.getString("measurement");
    if (m == null || !m.matches("[0-9a-f]{96}")) {
      throw new Refusal("log-proof", "an enclave release entry has no valid measurement");
    }
    return Optional.of(m);
  }

  /**
   * The release proof of {@link #releasedMeasurement} as a receipt keeps it: entry, leaf index,
   * hashes and the signed checkpoint, once more proven included in {@code proven}'s checkpoint.
   */
  public Receipt.LoggedRelease loggedRelease(Proven proven, Object releaseProof) throws Refusal {
    JsonObject entry = included(proven.checkpoint(), releaseProof, "enclave release");
    requireType(entry, "enclave-release");
    JsonObject p = (JsonObject) releaseProof;
    try {
      List<String> hashes = new ArrayList<>();
      for (Object h : p.getJsonArray("hashes", new JsonArray())) {
        hashes.add((String) h);
      }
      return new Receipt.LoggedRelease(
          p.getLong("leafIndex"), p.getString("entry"), hashes, proven.note());
    } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
      throw new Refusal("log-proof", "an enclave release proof is out of form: " + e.getMessage());
    }
  }

  /** Checks saved receipts against this log's keys and witness policy. */
  public ReceiptCheck receiptCheck() {
    return new ReceiptCheck(logKeys, witnesses);
  }

  private synchronized void checkConsistency(Checkpoint cp, Object proofJson) throws Refusal {
    if (newest == null) {
      newest = cp;
      return;
    }
    if (newest.size() == 0 && cp.origin().equals(newest.origin())) {
      // The empty tree is a prefix of every tree (RFC 9162 has no proof from size 0, and the
      // gateway sends none for since=0): nothing to prove, take the new one.
      newest = cp;
      return;
    }
    long m = newest.size();
    long n = cp.size();
    if (!cp.origin().equals(newest.origin())) {
      throw new Refusal(
          "log-fork",
          "the checkpoint is for log '" + cp.origin() + "', not '" + newest.origin() + "'");
    }
    if (m == n) {
      if (!java.util.Arrays.equals(cp.rootHash(), newest.rootHash())) {
        throw new Refusal(
            "log-fork",
            "the log shows two different trees of size " + n + ": it has forked; refusing");
      }
      return;
    }
    if (!(proofJson instanceof JsonObject p)) {
      throw new Refusal(
          "log-fork",
          "no consistency proof between the checkpoint seen before (size "
              + m
              + ") and this one (size "
              + n
              + "); refusing rather than risk a forked log");
    }
    long size1 = Math.min(m, n);
    long size2 = Math.max(m, n);
    try {
      ConsistencyProof proof = ConsistencyProof.fromJson(p.encode());
      if (proof.size1() != size1 || proof.size2() != size2) {
        throw new Refusal(
            "log-fork",
            "the consistency proof is for sizes "
                + proof.size1()
                + ".."
                + proof.size2()
                + ", not "
                + size1
                + ".."
                + size2);
      }
      Checkpoint small = m < n ? newest : cp;
      Checkpoint large = m < n ? cp : newest;
      proof.verify(small.rootHash(), large.rootHash());
    } catch (TlogException
        | ClassCastException
        | NullPointerException
        | IllegalArgumentException e) {
      throw new Refusal(
          "log-fork",
          "the log's checkpoint of size "
              + n
              + " is not consistent with the one of size "
              + m
              + " seen before ("
              + e.getMessage()
              + "): the log has forked or been rewritten; refusing");
    }
    if (n > m) {
      newest = cp;
    }
  }

  /**
   * Checks an {@code {"entry","leafIndex","hashes"}} proof against {@code cp}; returns the entry's
   * JSON.
   */
  private static JsonObject included(Checkpoint cp, Object o, String what) throws Refusal {
    if (!(o instanceof JsonObject p)) {
      throw new Refusal("log-proof", "a " + what + " proof is not an object");
    }
    try {
      byte[] entry = b64(p.getString("entry"), what + " entry");
      InclusionProof proof = InclusionProof.fromJson(p.encode(), cp.size());
      proof.verify(Rfc9162.leafHash(entry), cp.rootHash());
      return new JsonObject(Buffer.buffer(entry));
    } catch (TlogException
        | ClassCastException
        | NullPointerException
        | IllegalArgumentException
        | io.vertx.core.json.DecodeException e) {
      throw new Refusal(
          "log-proof", "a " + what + " is not proven to be in the log: " + e.getMessage());
    }
  }

  private static JsonArray array(JsonObject section, String key) throws Refusal {
    Object v = section.getValue(key, new JsonArray());
    if (!(v instanceof JsonArray a)) {
      throw new Refusal("log-proof", key + " is not a list");
    }
    return a;
  }

  private static void requireType(JsonObject entry, String type) throws Refusal {
    if (!type.equals(entry.getValue("type"))) {
      throw new Refusal(
          "log-proof", "a log entry of type '" + entry.getValue("type") + "' was given as " + type);
    }
  }

  private static byte[] b64(String s, String what) throws Refusal {
    try {
      return Base64.getUrlDecoder().decode(Objects.requireNonNull(s));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new Refusal("log-proof", what + " is not base64url");
    }
  }
}
