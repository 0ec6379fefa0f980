package org.privateprocessing.client;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.privateprocessing.api.ApiLimits;
import org.privateprocessing.api.InvalidRequestException;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.TlogException;

/**
 * What a client keeps of one answer (issue #16 item 5): which enclave answered (its id and launch
 * measurement, as the client verified them from the enclave's evidence, and as the enclave restated
 * them inside the sealed answer), which model, and, with a transparency log, where that enclave's
 * release is in the log: the entry, its leaf index, its inclusion proof and the signed checkpoint
 * the client proved it against. Nothing in it comes from an unverified server claim, and nothing in
 * it is request or answer content; {@code audit receipt FILE} re-checks it against the log later
 * (docs/TRANSPARENCY.md, Receipts).
 *
 * <p>JSON form (docs/PROTOCOL.md, Receipts), written by {@link #encode} in this member order:
 *
 * <pre>{@code
 * {"version":1,
 *  "enclave":{"id":"5e1ec7ed00000001","measurement":"<96 hex digits>"},
 *  "model":{"name":"extractive-textrank","version":"1"},
 *  "release":{"leafIndex":2,"entry":"<base64url of the log entry>",
 *             "hashes":["<base64url>",...],"checkpoint":"<signed note>"}}
 * }</pre>
 *
 * {@code release} is absent when the client used no transparency log: such a receipt names the
 * enclave but proves nothing about its release, and {@code audit receipt} refuses it.
 *
 * @param enclaveId the enclave's id, 2 to 64 lower-case hex digits
 * @param measurement its launch measurement, 96 lower-case hex digits (SHA-384)
 * @param model the model that answered, as the enclave said inside the sealed answer
 * @param release where the release is in the log, or null without a log
 */
public record Receipt(
    String enclaveId, String measurement, ModelInfo model, LoggedRelease release) {
  /** The only version this code writes and reads. */
  public static final int VERSION = 1;

  /** Largest receipt {@link #parse} reads: a checkpoint with its cosignatures and 64 hashes fit. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final Set<String> MEMBERS = Set.of("version", "enclave", "model", "release");
  private static final Set<String> RELEASE_MEMBERS =
      Set.of("leafIndex", "entry", "hashes", "checkpoint");

  public Receipt {
    Objects.requireNonNull(model, "model");
    if (enclaveId == null || !enclaveId.matches("[0-9a-f]{2,64}")) {
      throw new IllegalArgumentException("enclave id must be 2 to 64 lower-case hex digits");
    }
    if (measurement == null || !measurement.matches("[0-9a-f]{96}")) {
      throw new IllegalArgumentException("measurement must be 96 lower-case hex digits");
    }
    if (!fits(model.name()) || !fits(model.version())) {
      throw new IllegalArgumentException(
          "model name and version must be 1 to " + ApiLimits.MAX_NAME_CHARS + " characters");
    }
  }

  private static boolean fits(String s) {
    return s != null && !s.isEmpty() && s.length() <= ApiLimits.MAX_NAME_CHARS;
  }

  /**
   * An enclave release as the client proved it in the transparency log: the entry (the exact bytes
   * the log hashed), its leaf index, the inclusion proof's hashes (base64url) and the signed
   * checkpoint note they lead to.
   */
  public record LoggedRelease(
      long leafIndex, String entry, List<String> hashes, String checkpoint) {
    public LoggedRelease {
      hashes = List.copyOf(Objects.requireNonNull(hashes, "hashes"));
      Objects.requireNonNull(entry, "entry");
      Objects.requireNonNull(checkpoint, "checkpoint");
      if (leafIndex < 0) {
        throw new IllegalArgumentException("leaf index must not be negative");
      }
      if (entry.isEmpty()) {
        throw new IllegalArgumentException("entry must not be empty");
      }
      b64(entry, "entry");
      if (hashes.size() > 64) {
        throw new IllegalArgumentException("an inclusion proof has at most 64 hashes");
      }
      for (String h : hashes) {
        if (b64(h, "hash").length != 32) {
          throw new IllegalArgumentException("a proof hash is 32 bytes");
        }
      }
      Checkpoint cp;
      try {
        cp = Checkpoint.parse(SignedNote.parse(checkpoint).text());
      } catch (TlogException e) {
        throw new IllegalArgumentException("checkpoint is not a signed checkpoint note", e);
      }
      if (leafIndex >= cp.size()) {
        throw new IllegalArgumentException(
            "leaf index " + leafIndex + " is not below the checkpoint's size " + cp.size());
      }
    }

    /** The entry's bytes, as the log hashed them. */
    public byte[] entryBytes() {
      return b64(entry, "entry");
    }

    /** The signed note, parsed (its signatures are not checked here). */
    public SignedNote signedNote() {
      try {
        return SignedNote.parse(checkpoint);
      } catch (TlogException e) {
        throw new IllegalStateException("checked when made", e);
      }
    }

    /** The checkpoint the proof leads to (its signature is not checked here). */
    public Checkpoint checkpointBody() {
      try {
        return Checkpoint.parse(signedNote().text());
      } catch (TlogException e) {
        throw new IllegalStateException("checked when made", e);
      }
    }

    /** The inclusion proof of the entry in the checkpoint's tree. */
    public InclusionProof proof() {
      List<byte[]> decoded = new ArrayList<>(hashes.size());
      hashes.forEach(h -> decoded.add(b64(h, "hash")));
      return new InclusionProof(leafIndex, checkpointBody().size(), decoded);
    }
  }

  /** The receipt as UTF-8 JSON, members in a fixed order (the same receipt, the same bytes). */
  public byte[] encode() {
    JsonObject root =
        new JsonObject()
            .put("version", VERSION)
            .put("enclave", new JsonObject().put("id", enclaveId).put("measurement", measurement))
            .put(
                "model",
                new JsonObject().put("name", model.name()).put("version", model.version()));
    if (release != null) {
      root.put(
          "release",
          new JsonObject()
              .put("leafIndex", release.leafIndex())
              .put("entry", release.entry())
              .put("hashes", new JsonArray(new ArrayList<Object>(release.hashes())))
              .put("checkpoint", release.checkpoint()));
    }
    return root.encode().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a receipt strictly: exactly the members above, each in form. It checks no signature and
   * no proof: {@code audit receipt} does, against the log.
   *
   * @throws InvalidRequestException naming the member that is missing or out of form
   */
  public static Receipt parse(byte[] json) throws InvalidRequestException {
    if (json.length > MAX_BYTES) {
      throw new InvalidRequestException("$", "a receipt is at most " + MAX_BYTES + " bytes");
    }
    JsonObject root;
    try {
      root = new JsonObject(Buffer.buffer(json));
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidRequestException("$", "not a JSON object");
    }
    onlyMembers(root, MEMBERS, "");
    Object version = root.getValue("version");
    if (!(version instanceof Integer v) || v != VERSION) {
      throw new InvalidRequestException(
          "version", "must be " + VERSION + " (a receipt from another version of this client?)");
    }
    JsonObject enclave = object(root, "enclave", "enclave");
    onlyMembers(enclave, Set.of("id", "measurement"), "enclave.");
    JsonObject model = object(root, "model", "model");
    onlyMembers(model, Set.of("name", "version"), "model.");
    String id = string(enclave, "id", "enclave.id");
    if (!id.matches("[0-9a-f]{2,64}")) {
      throw new InvalidRequestException("enclave.id", "must be 2 to 64 lower-case hex digits");
    }
    String measurement = string(enclave, "measurement", "enclave.measurement");
    if (!measurement.matches("[0-9a-f]{96}")) {
      throw new InvalidRequestException(
          "enclave.measurement", "must be 96 lower-case hex digits (SHA-384)");
    }
    String name = string(model, "name", "model.name");
    String modelVersion = string(model, "version", "model.version");
    if (!fits(name) || !fits(modelVersion)) {
      throw new InvalidRequestException(
          "model", "name and version are 1 to " + ApiLimits.MAX_NAME_CHARS + " characters");
    }
    LoggedRelease release = null;
    if (root.containsKey("release")) {
      release = release(object(root, "release", "release"));
    }
    return new Receipt(id, measurement, new ModelInfo(name, modelVersion), release);
  }

  private static LoggedRelease release(JsonObject r) throws InvalidRequestException {
    onlyMembers(r, RELEASE_MEMBERS, "release.");
    Object index = r.getValue("leafIndex");
    if (!(index instanceof Integer || index instanceof Long) || ((Number) index).longValue() < 0) {
      throw new InvalidRequestException("release.leafIndex", "must be a non-negative integer");
    }
    String entry = string(r, "entry", "release.entry");
    try {
      Base64.getUrlDecoder().decode(entry);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("release.entry", "is not base64url");
    }
    Object hashes = r.getValue("hashes");
    if (!(hashes instanceof JsonArray array)) {
      throw new InvalidRequestException("release.hashes", "must be a list of base64url hashes");
    }
    if (array.size() > 64) {
      throw new InvalidRequestException("release.hashes", "has more than 64 hashes");
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "release.hashes[" + i + "]";
      if (!(array.getValue(i) instanceof String h)) {
        throw new InvalidRequestException(at, "must be a string");
      }
      byte[] decoded;
      try {
        decoded = Base64.getUrlDecoder().decode(h);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(at, "is not base64url");
      }
      if (decoded.length != 32) {
        throw new InvalidRequestException(at, "is not a 32-byte hash");
      }
      list.add(h);
    }
    String checkpoint = string(r, "checkpoint", "release.checkpoint");
    Checkpoint cp;
    try {
      cp = Checkpoint.parse(SignedNote.parse(checkpoint).text());
    } catch (TlogException e) {
      throw new InvalidRequestException(
          "release.checkpoint", "is not a signed checkpoint note (" + e.getMessage() + ")");
    }
    long leafIndex = ((Number) index).longValue();
    if (leafIndex >= cp.size()) {
      throw new InvalidRequestException(
          "release.leafIndex", "is not below the checkpoint's size " + cp.size());
    }
    try {
      return new LoggedRelease(leafIndex, entry, list, checkpoint);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("release", e.getMessage());
    }
  }

  private static void onlyMembers(JsonObject o, Set<String> allowed, String prefix)
      throws InvalidRequestException {
    for (String k : o.fieldNames()) {
      if (!allowed.contains(k)) {
        throw new InvalidRequestException(prefix + k, "is not a receipt member");
      }
    }
  }

  private static JsonObject object(JsonObject o, String key, String path)
      throws InvalidRequestException {
    if (!(o.getValue(key) instanceof JsonObject j)) {
      throw new InvalidRequestException(path, "is required and must be an object");
    }
    return j;
  }

  private static String string(JsonObject o, String key, String path)
      throws InvalidRequestException {
    if (!(o.getValue(key) instanceof String s)) {
      throw new InvalidRequestException(path, "is required and must be a string");
    }
    return s;
  }

  private static byte[] b64(String s, String what) {
    try {
      return Base64.getUrlDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not base64url");
    }
  }
}
