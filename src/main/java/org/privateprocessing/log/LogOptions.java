package org.privateprocessing.log;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.privateprocessing.core.Defaults;

/**
 * Transparency log settings ({@code "log"} section of a role config).
 *
 * @param origin the checkpoint origin line, which names this log to its verifiers
 * @param dataDir where {@code entries.log} and {@code checkpoint} live (default {@code <top-level
 *     dataDir>/log})
 * @param signingKeyFile the log's C2SP signing key; null means {@code <dataDir>/log.skey},
 *     generated on first start, which only the demo profile allows
 * @param publisherKeys verifier keys allowed to append (the demo adds its generated publisher's)
 * @param witnessKeys cosignature/v1 verifier keys whose cosignatures the log keeps
 * @param signedFile where the log keeps the latest checkpoint its key signed, outside the data
 *     directory so that restoring an older backup of it is noticed; null means {@code <signing key
 *     file>.signed}
 */
public record LogOptions(
    String host,
    int port,
    String origin,
    Path dataDir,
    Path signingKeyFile,
    List<String> publisherKeys,
    List<String> witnessKeys,
    int maxBodyBytes,
    Path signedFile) {
  public static final int DEFAULT_PORT = Defaults.LOG_PORT;
  public static final String DEFAULT_ORIGIN = "log.private-processing.local";
  private static final Set<String> KEYS =
      Set.of(
          "host",
          "port",
          "origin",
          "dataDir",
          "signingKeyFile",
          "publisherKeys",
          "witnessKeys",
          "maxBodyBytes",
          "signedFile",
          "_comment");

  public LogOptions {
    publisherKeys = List.copyOf(publisherKeys);
    witnessKeys = List.copyOf(witnessKeys);
    if (origin.isBlank() || origin.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("log.origin: one non-empty line");
    }
    if (maxBodyBytes < 256) {
      throw new IllegalArgumentException("log.maxBodyBytes: at least 256");
    }
  }

  /** Settings with the signed record in its default place, beside the signing key. */
  public LogOptions(
      String host,
      int port,
      String origin,
      Path dataDir,
      Path signingKeyFile,
      List<String> publisherKeys,
      List<String> witnessKeys,
      int maxBodyBytes) {
    this(
        host,
        port,
        origin,
        dataDir,
        signingKeyFile,
        publisherKeys,
        witnessKeys,
        maxBodyBytes,
        null);
  }

  /** The signing key file: the configured one, or the demo's {@code <dataDir>/log.skey}. */
  public Path signingKeyPath() {
    return signingKeyFile != null ? signingKeyFile : dataDir.resolve("log.skey");
  }

  /** Where the latest checkpoint the log's key signed is kept (see {@code signedFile}). */
  public Path signedPath() {
    if (signedFile != null) {
      return signedFile;
    }
    Path key = signingKeyPath();
    return key.resolveSibling(key.getFileName() + ".signed");
  }

  /**
   * Reads the section; {@code topDataDir} is the config's top-level {@code dataDir}.
   *
   * @throws IllegalArgumentException naming the key that is unknown or of the wrong type
   */
  public static LogOptions fromJson(JsonObject json, String topDataDir) {
    JsonObject j = json == null ? new JsonObject() : json;
    for (String k : j.fieldNames()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException(
            "log." + k + ": unknown key (known: " + new java.util.TreeSet<>(KEYS) + ")");
      }
    }
    try {
      String dir =
          j.getString(
              "dataDir", Path.of(topDataDir == null ? "run" : topDataDir, "log").toString());
      String skey = j.getString("signingKeyFile");
      String signed = j.getString("signedFile");
      return new LogOptions(
          j.getString("host", "127.0.0.1"),
          j.getInteger("port", DEFAULT_PORT),
          j.getString("origin", DEFAULT_ORIGIN),
          Path.of(dir),
          skey == null ? null : Path.of(skey),
          strings(j, "publisherKeys"),
          strings(j, "witnessKeys"),
          j.getInteger("maxBodyBytes", 16 * 1024),
          signed == null ? null : Path.of(signed));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException(
          "log: a value has the wrong type (" + e.getMessage() + ")");
    }
  }

  private static List<String> strings(JsonObject j, String key) {
    JsonArray a = j.getJsonArray(key, new JsonArray());
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof String s)) {
        throw new IllegalArgumentException("log." + key + "[" + i + "]: a key string");
      }
      out.add(s);
    }
    return out;
  }

  public LogOptions withPort(int newPort) {
    return new LogOptions(
        host,
        newPort,
        origin,
        dataDir,
        signingKeyFile,
        publisherKeys,
        witnessKeys,
        maxBodyBytes,
        signedFile);
  }

  /** The same settings for the store in {@code dir} (the recovery command's --data-dir). */
  public LogOptions withDataDir(Path dir) {
    return new LogOptions(
        host,
        port,
        origin,
        dir,
        signingKeyFile,
        publisherKeys,
        witnessKeys,
        maxBodyBytes,
        signedFile);
  }
}
