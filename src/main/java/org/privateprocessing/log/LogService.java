package org.privateprocessing.log;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Logger;
import org.privateprocessing.core.PipelineException;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.core.Problems;
import org.privateprocessing.core.Profile;
import org.privateprocessing.logclient.LogClient;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.CosignatureVerifier;
import org.privateprocessing.tlog.DurableFiles;
import org.privateprocessing.tlog.KeyFiles;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.LogFile;
import org.privateprocessing.tlog.MerkleTree;
import org.privateprocessing.tlog.NoteSignature;
import org.privateprocessing.tlog.NoteSigner;
import org.privateprocessing.tlog.NoteVerifier;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.Rfc9162;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.TlogException;
import org.privateprocessing.tlog.TreeState;

/**
 * The transparency log: an fsync'd {@link LogFile} of canonical {@link LogEntry} encodings, the
 * {@link MerkleTree} over them and the log's signed checkpoint, plus the witnesses' cosignatures of
 * that checkpoint. The HTTP listener ({@link LogVerticle}) only moves bytes; every check is here.
 *
 * <p>An entry is durable, with the publisher's signed request beside it ({@link SignedRequest}),
 * before the checkpoint that covers it is signed and stored, so a crash never leaves a checkpoint
 * ahead of the file, and an entry the crash left uncovered is signed at the next start only if that
 * request still verifies. A checkpoint is served only once it is stored twice (in the data
 * directory and in the signed record, {@link SignedHistory}); the log never signs a second root for
 * a size it has signed. Every refusal, at start or of a request, happens before anything is
 * written. Appends are serialised; reads (proofs, entries, the checkpoint) run alongside them.
 */
public final class LogService implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LogService.class.getName());
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  /** The answer to an append: where the entry is and whether this call added it. */
  public record Appended(long index, boolean created, String checkpoint) {}

  private final LogFile file;
  private final MerkleTree tree;
  private final NoteSigner signer;
  private final String origin;
  private final Map<String, PublisherKeys.Verifier> publishers;
  private final List<CosignatureVerifier> witnesses;
  private final PublisherKeys.Signer demoPublisher;
  private final Path signedFile;
  private final Map<String, Long> lookup = new HashMap<>();
  private volatile Current current;

  /** What the last failed write of the store said, until a write succeeds again; null when none. */
  private volatile String storeFailure;

  // The latest checkpoint this key signed, as kept in signedFile; null before the first.
  private Checkpoint lastSigned;

  /** The current checkpoint, its log signature and the cosignatures posted for it. */
  private record Current(
      Checkpoint checkpoint, NoteSignature logSignature, List<NoteSignature> cosignatures) {
    String note() {
      List<NoteSignature> all = new ArrayList<>();
      all.add(logSignature);
      all.addAll(cosignatures);
      return new SignedNote(checkpoint.encode(), all).encode();
    }
  }

  private LogService(
      LogFile file,
      MerkleTree tree,
      NoteSigner signer,
      String origin,
      Map<String, PublisherKeys.Verifier> publishers,
      List<CosignatureVerifier> witnesses,
      PublisherKeys.Signer demoPublisher,
      Path signedFile) {
    this.file = file;
    this.tree = tree;
    this.signer = signer;
    this.origin = origin;
    this.publishers = publishers;
    this.witnesses = witnesses;
    this.demoPublisher = demoPublisher;
    this.signedFile = signedFile;
  }

  /**
   * Opens the log: checks every record of the file, rebuilds the tree, checks the stored history
   * ({@link SignedHistory#checkAtStart}: the checkpoint is this log's, not older than what its key
   * signed, reproduced by the entries, and every entry past it signed by a publisher), and only
   * then writes: cuts an incomplete final record no checkpoint covers (a crash mid-append), and
   * signs a checkpoint of the whole file if the stored one is older (a crash after an append,
   * before its checkpoint). A new store starts with a signed checkpoint of size 0. Blocking.
   *
   * @throws IllegalStateException with a message naming the files, the sizes, what is wrong and
   *     what to run, when the store is damaged, older than what the key signed, or a key is missing
   *     or unreadable; nothing in the store has been changed then
   */
  public static LogService open(LogOptions options, Profile profile, SecureRandom random)
      throws IOException {
    Path dir = options.dataDir();
    boolean fresh = SignedHistory.isFresh(dir, options.signedPath());
    if (!fresh && !Files.exists(options.signingKeyPath())) {
      // A new key for an existing store would be another log; never make one on this path.
      throw new IllegalStateException(
          "the transparency log in "
              + dir
              + " has a store but its signing key "
              + options.signingKeyPath()
              + " is missing; refusing to start; nothing was changed; put the key back");
    }
    NoteSigner signer = signingKey(options, profile, random);
    Map<String, PublisherKeys.Verifier> publishers = new LinkedHashMap<>();
    for (String vkey : options.publisherKeys()) {
      PublisherKeys.Verifier v =
          parseKey(() -> PublisherKeys.Verifier.parse(vkey), "log.publisherKeys");
      publishers.put(v.name(), v);
    }
    PublisherKeys.Signer demo = null;
    if (profile == Profile.DEMO) {
      Path p = dir.resolve("publisher.skey");
      demo =
          parseKey(
              () ->
                  PublisherKeys.Signer.parse(
                      KeyFiles.readOrCreateSecret(
                          p,
                          () ->
                              PublisherKeys.Signer.generate("demo-publisher", random)
                                  .encodeSkey())),
              p.toString());
      PublisherKeys.Verifier v =
          parseKey(
              () ->
                  PublisherKeys.Verifier.parse(
                      PublisherKeys.Signer.parse(Files.readString(p)).verifierKey()),
              p.toString());
      publishers.putIfAbsent(v.name(), v);
    }
    List<CosignatureVerifier> witnesses = new ArrayList<>();
    for (String vkey : options.witnessKeys()) {
      witnesses.add(parseKey(() -> CosignatureVerifier.parse(vkey), "log.witnessKeys"));
    }
    LogFile file;
    try {
      if (fresh) {
        file = LogFile.open(dir);
      } else if (!Files.exists(LogFile.entriesPath(dir))) {
        throw new IllegalStateException(
            LogFile.entriesPath(dir)
                + " is missing, but this log has signed checkpoints; refusing to start; nothing"
                + " was changed; put it back (a backup or a mirror), then run: "
                + SignedHistory.recoverCommand(dir));
      } else {
        file = LogFile.openUnchanged(dir);
      }
    } catch (TlogException e) {
      throw new IllegalStateException(
          "the transparency log in " + dir + " is damaged, refusing to start: " + e.getMessage());
    }
    try {
      LogService service =
          new LogService(
              file,
              TreeState.fromLog(file),
              signer,
              options.origin(),
              Map.copyOf(publishers),
              List.copyOf(witnesses),
              demo,
              options.signedPath());
      service.restore(fresh);
      return service;
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  private void restore(boolean fresh) throws IOException {
    SignedHistory.Verified history =
        fresh
            ? new SignedHistory.Verified(null, null)
            : SignedHistory.checkAtStart(
                file, tree, signer.verifier(), origin, publishers, signedFile);
    // Every check passed: from here on the start may write.
    if (file.damage().isPresent()) {
      LOG.warning("transparency log recovered after a crash: " + file.cutDamage(null));
    }
    for (long i = 0; i < file.size(); i++) {
      index(file.entry(i), i);
    }
    SignedHistory.Signed served = history.served();
    if (served != null) {
      SignedNote note;
      try {
        note = SignedNote.parse(served.note());
      } catch (TlogException e) {
        throw new IllegalStateException("verified a moment ago: " + e.getMessage());
      }
      NoteSignature logSig = null;
      List<NoteSignature> cosigs = new ArrayList<>();
      for (NoteSignature s : note.signatures()) {
        if (s.keyName().equals(signer.name())
            && java.util.Arrays.equals(s.keyId(), signer.keyId())) {
          logSig = s;
        } else if (witnesses.stream()
            .anyMatch(w -> w.matches(s) && w.verify(note.text(), s.signature()).isPresent())) {
          cosigs.add(s);
        }
      }
      current = new Current(served.checkpoint(), logSig, List.copyOf(cosigs));
      lastSigned = served.checkpoint();
      if (!served.sameAs(history.kept())) {
        // A store from before signed records, or a crash between the two writes of a checkpoint.
        keep(current);
      }
    }
    if (current == null || current.checkpoint().size() != tree.size()) {
      sign();
    }
  }

  // Caller holds the append lock, or runs before the service is shared.
  private void sign() throws IOException {
    Checkpoint cp = new Checkpoint(origin, tree.size(), tree.root());
    if (lastSigned != null
        && (cp.size() < lastSigned.size()
            || (cp.size() == lastSigned.size() && !cp.equals(lastSigned)))) {
      // Unreachable while the tree only grows; the one promise a log must never break.
      throw new IllegalStateException(
          "refusing to sign " + cp + ": this log has signed " + lastSigned);
    }
    Current next = new Current(cp, signer.sign(cp.encode()), List.of());
    file.writeCheckpoint(next.note());
    keep(next);
    current = next;
  }

  /** Stores {@code signed} (the log's signature only) as the signed record, durably. */
  private void keep(Current signed) throws IOException {
    String note =
        new SignedNote(signed.checkpoint().encode(), List.of(signed.logSignature())).encode();
    DurableFiles.overwrite(signedFile, note.getBytes(StandardCharsets.UTF_8));
    lastSigned = signed.checkpoint();
  }

  private void index(byte[] encoded, long i) {
    try {
      LogEntry e = LogEntry.parse(encoded);
      lookup.putIfAbsent(lookupKey(e), i);
    } catch (TlogException e) {
      LOG.warning(
          "transparency log entry "
              + i
              + " is not a known entry type; it is kept but not looked up");
    }
  }

  private static String lookupKey(LogEntry e) {
    if (e instanceof LogEntry.EnclaveRelease r) {
      return "m:" + r.measurement();
    } else if (e instanceof LogEntry.GatewayKeyConfig g) {
      return "k:" + B64URL.encodeToString(g.keyConfig());
    } else {
      return "t:" + B64URL.encodeToString(((LogEntry.IssuerKey) e).tokenKey());
    }
  }

  /** The log's verifier key string, which clients and witnesses trust. */
  public String verifierKey() {
    return signer.verifierKey();
  }

  public String origin() {
    return origin;
  }

  /** In the demo profile, the publisher key generated beside the log, for in-process publishing. */
  public Optional<PublisherKeys.Signer> demoPublisher() {
    return Optional.ofNullable(demoPublisher);
  }

  /**
   * Why the store cannot take entries now: its last write failed (until one succeeds again); empty
   * when the last write went through.
   */
  public Optional<String> storeFailure() {
    return Optional.ofNullable(storeFailure);
  }

  /** Number of entries. */
  public long size() {
    return tree.size();
  }

  /** The signed checkpoint: the log's signature line, then the witnesses' cosignatures of it. */
  public String checkpoint() {
    return current.note();
  }

  /**
   * {@code {"start":A,"entries":[...]}} for entries [start, end), at most {@link
   * LogClient#MAX_PAGE}.
   */
  public JsonObject entries(String startParam, String endParam) throws PipelineException {
    long size = tree.size();
    long start = number(startParam, "start");
    long end = number(endParam, "end");
    if (start >= end || end > size || end - start > LogClient.MAX_PAGE) {
      throw PipelineException.of(
          ProblemType.BAD_RANGE,
          "entries need start < end <= "
              + size
              + " (the tree size) and at most "
              + LogClient.MAX_PAGE
              + " per request");
    }
    JsonArray list = new JsonArray();
    for (long i = start; i < end; i++) {
      list.add(new JsonObject(new String(file.entry(i), StandardCharsets.UTF_8)));
    }
    return new JsonObject().put("start", start).put("entries", list);
  }

  /**
   * An inclusion proof by {@code index} or by base64url leaf {@code hash}, for tree size {@code
   * size}.
   */
  public JsonObject inclusionProof(String indexParam, String hashParam, String sizeParam)
      throws PipelineException {
    long size = withinTree(number(sizeParam, "size"), "size");
    long index;
    if ((indexParam == null) == (hashParam == null)) {
      throw PipelineException.of(
          ProblemType.BAD_PROOF_REQUEST, "give exactly one of index and hash, and size");
    }
    if (indexParam != null) {
      index = number(indexParam, "index");
    } else {
      byte[] hash = base64url(hashParam, "hash");
      if (hash.length != Rfc9162.HASH_LENGTH) {
        throw PipelineException.of(
            ProblemType.BAD_PROOF_REQUEST, "hash must be a 32-byte leaf hash");
      }
      OptionalLong found = tree.indexOf(hash);
      if (found.isEmpty() || found.getAsLong() >= size) {
        throw PipelineException.of(
            ProblemType.NO_SUCH_LEAF, "no leaf with this hash in the tree of size " + size);
      }
      index = found.getAsLong();
    }
    if (index >= size) {
      throw PipelineException.of(
          ProblemType.BAD_SIZE, "index " + index + " is not below size " + size);
    }
    try {
      return new JsonObject(tree.inclusionProof(index, size).toJson().toString());
    } catch (TlogException e) {
      throw PipelineException.of(Problems.proof(e.reason()), e.getMessage());
    }
  }

  /** A consistency proof between tree sizes {@code from} and {@code to}. */
  public JsonObject consistencyProof(String fromParam, String toParam) throws PipelineException {
    long from = number(fromParam, "from");
    long to = withinTree(number(toParam, "to"), "to");
    if (from < 1 || from > to) {
      throw PipelineException.of(
          ProblemType.BAD_SIZE, "consistency needs 1 <= from <= to <= " + tree.size());
    }
    try {
      return new JsonObject(tree.consistencyProof(from, to).toJson().toString());
    } catch (TlogException e) {
      throw PipelineException.of(Problems.proof(e.reason()), e.getMessage());
    }
  }

  /**
   * The first entry with this measurement, key config or token key: {@code
   * {"index":N,"entry":{...}}}.
   */
  public JsonObject lookup(String measurement, String keyConfig, String tokenKey)
      throws PipelineException {
    int given =
        (measurement != null ? 1 : 0) + (keyConfig != null ? 1 : 0) + (tokenKey != null ? 1 : 0);
    if (given != 1) {
      throw PipelineException.of(
          ProblemType.BAD_LOOKUP, "give exactly one of measurement, keyConfig and tokenKey");
    }
    String key;
    if (measurement != null) {
      if (!measurement.matches("[0-9a-f]{96}")) {
        throw PipelineException.of(
            ProblemType.BAD_LOOKUP, "measurement must be 96 lower-case hex digits");
      }
      key = "m:" + measurement;
    } else if (keyConfig != null) {
      key = "k:" + B64URL.encodeToString(base64url(keyConfig, "keyConfig"));
    } else {
      key = "t:" + B64URL.encodeToString(base64url(tokenKey, "tokenKey"));
    }
    Long index;
    synchronized (this) {
      index = lookup.get(key);
    }
    if (index == null) {
      throw PipelineException.of(ProblemType.NOT_IN_LOG, "no entry of this log matches");
    }
    return new JsonObject()
        .put("index", index)
        .put("entry", new JsonObject(new String(file.entry(index), StandardCharsets.UTF_8)));
  }

  /**
   * Appends an entry signed by a configured publisher. Blocking (fsync): run off the event loop.
   * Refusals change nothing: 401 missing or bad signature, 403 unknown key name, 400 bad entry.
   */
  public Appended append(String authorization, byte[] body) throws PipelineException {
    SignedRequest signed = authenticate(authorization, body);
    LogEntry entry;
    try {
      entry = LogEntry.parse(body);
    } catch (TlogException e) {
      throw PipelineException.of(Problems.logEntry(e.reason()), e.getMessage());
    }
    byte[] encoded = entry.encode();
    byte[] leaf = Rfc9162.leafHash(encoded);
    synchronized (this) {
      OptionalLong existing = tree.indexOf(leaf);
      if (existing.isPresent()) {
        return new Appended(existing.getAsLong(), false, checkpoint());
      }
      try {
        long index =
            file.append(
                encoded,
                SignedRequest.of(signed.keyName(), signed.signature(), body, encoded).encode());
        tree.append(leaf);
        lookup.putIfAbsent(lookupKey(entry), index);
        sign();
        storeFailure = null;
        return new Appended(index, true, checkpoint());
      } catch (IOException e) {
        storeFailure = "the last append could not be stored (" + e.getMessage() + ")";
        LOG.severe("transparency log append failed: " + e.getMessage());
        throw PipelineException.retryAfter(
            ProblemType.UNAVAILABLE,
            "the log could not store the entry",
            ProblemType.STORE_RETRY_AFTER_SECONDS);
      }
    }
  }

  /**
   * Stores a configured witness's cosignature of the current checkpoint (one signature line). 403
   * for an unknown witness, 400 for a line that does not parse or verify.
   */
  public void cosign(byte[] body) throws PipelineException {
    String line = new String(body, StandardCharsets.UTF_8).strip();
    synchronized (this) {
      Current cur = current;
      String text = cur.checkpoint().encode();
      NoteSignature sig;
      try {
        List<NoteSignature> sigs = SignedNote.parse(text + "\n" + line + "\n").signatures();
        if (sigs.size() != 1) {
          throw PipelineException.of(
              ProblemType.BAD_COSIGNATURE, "send exactly one signature line");
        }
        sig = sigs.get(0);
      } catch (TlogException e) {
        throw PipelineException.of(
            Problems.cosignature(e.reason()), "not a signature line: " + e.getMessage());
      }
      CosignatureVerifier witness =
          witnesses.stream()
              .filter(w -> w.matches(sig))
              .findFirst()
              .orElseThrow(
                  () ->
                      PipelineException.of(
                          ProblemType.UNKNOWN_WITNESS,
                          "no configured witness has key name "
                              + sig.keyName()
                              + " and this key id"));
      if (witness.verify(text, sig.signature()).isEmpty()) {
        throw PipelineException.of(
            ProblemType.BAD_COSIGNATURE,
            "the cosignature of "
                + sig.keyName()
                + " does not verify over the current checkpoint (size "
                + cur.checkpoint().size()
                + ")");
      }
      List<NoteSignature> cosigs = new ArrayList<>();
      for (NoteSignature s : cur.cosignatures()) {
        if (!witness.matches(s)) {
          cosigs.add(s);
        }
      }
      cosigs.add(sig);
      Current next = new Current(cur.checkpoint(), cur.logSignature(), List.copyOf(cosigs));
      try {
        file.writeCheckpoint(next.note());
      } catch (IOException e) {
        LOG.severe("transparency log could not store a cosignature: " + e.getMessage());
        throw PipelineException.retryAfter(
            ProblemType.UNAVAILABLE,
            "the log could not store the cosignature",
            ProblemType.STORE_RETRY_AFTER_SECONDS);
      }
      current = next;
    }
  }

  /** The request's verified signature, or a 401/403 problem. */
  private SignedRequest authenticate(String authorization, byte[] body) throws PipelineException {
    Map<String, String> params = signatureParams(authorization);
    String name = params.get("keyName");
    String sig = params.get("signature");
    if (name == null || sig == null) {
      throw unauthorized(
          "send Authorization: Signature keyName=\"<publisher key name>\",signature=\"<base64url "
              + "Ed25519 signature over the body>\"");
    }
    PublisherKeys.Verifier key = publishers.get(name);
    if (key == null) {
      throw PipelineException.of(
          ProblemType.UNKNOWN_PUBLISHER,
          "publisher key '"
              + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
              + "' may not append to this log");
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(sig);
    } catch (IllegalArgumentException e) {
      throw unauthorized("the signature is not base64url");
    }
    if (raw.length == 0 || !key.verify(body, raw)) {
      throw unauthorized(
          "the signature does not verify over the request body with key " + key.name());
    }
    return new SignedRequest(key.name(), raw, null);
  }

  /** Parses {@code Signature k1="v1",k2="v2"}; empty when the scheme or syntax is wrong. */
  static Map<String, String> signatureParams(String header) {
    Map<String, String> out = new HashMap<>();
    if (header == null) {
      return out;
    }
    String h = header.strip();
    if (h.length() < 10 || !h.regionMatches(true, 0, "Signature ", 0, 10)) {
      return out;
    }
    for (String part : h.substring(10).split(",")) {
      String p = part.strip();
      int eq = p.indexOf('=');
      if (eq <= 0 || p.length() < eq + 3 || p.charAt(eq + 1) != '"' || !p.endsWith("\"")) {
        return new HashMap<>();
      }
      out.put(p.substring(0, eq).strip(), p.substring(eq + 2, p.length() - 1));
    }
    return out;
  }

  private static PipelineException unauthorized(String detail) {
    return PipelineException.of(
        ProblemType.UNAUTHORIZED,
        detail,
        Map.of("www-authenticate", "Signature realm=\"transparency-log\""));
  }

  private long withinTree(long size, String name) throws PipelineException {
    long treeSize = tree.size();
    if (size < 1 || size > treeSize) {
      throw PipelineException.of(
          ProblemType.BAD_SIZE,
          name + " " + size + " is not between 1 and the tree size " + treeSize);
    }
    return size;
  }

  private static long number(String s, String name) throws PipelineException {
    if (s == null
        || s.isEmpty()
        || s.length() > 19
        || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw PipelineException.of(
          ProblemType.BAD_PARAMETER, name + " must be a non-negative decimal integer");
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw PipelineException.of(ProblemType.BAD_PARAMETER, name + " is too large");
    }
  }

  private static byte[] base64url(String s, String name) throws PipelineException {
    try {
      byte[] b = Base64.getUrlDecoder().decode(s);
      if (b.length == 0) {
        throw new IllegalArgumentException("empty");
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw PipelineException.of(ProblemType.BAD_PARAMETER, name + " must be base64url");
    }
  }

  private interface KeyParse<T> {
    T parse() throws TlogException, IOException;
  }

  private static <T> T parseKey(KeyParse<T> p, String where) throws IOException {
    try {
      return p.parse();
    } catch (TlogException e) {
      throw new IllegalStateException(where + ": " + e.getMessage());
    }
  }

  private static NoteSigner signingKey(LogOptions options, Profile profile, SecureRandom random)
      throws IOException {
    Path file = options.signingKeyFile();
    if (file == null) {
      if (profile != Profile.DEMO) {
        throw new IllegalStateException(
            "log.signingKeyFile is required outside the demo profile "
                + "(make one with: release keygen --out FILE, kept secret, its vkey given to clients)");
      }
      Path p = options.dataDir().resolve("log.skey");
      return parseKey(
          () ->
              NoteSigner.parse(
                  KeyFiles.readOrCreateSecret(
                          p, () -> NoteSigner.generate(options.origin(), random).encodeSkey())
                      .trim()),
          p.toString());
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("log.signingKeyFile " + file + " does not exist");
    }
    return parseKey(() -> NoteSigner.parse(Files.readString(file).trim()), file.toString());
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  /** For tests: the log's note verifier. */
  NoteVerifier noteVerifier() {
    return signer.verifier();
  }
}
