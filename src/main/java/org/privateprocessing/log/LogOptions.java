package org.privateprocessing.log;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.privateprocessing.core.ConfigBinder;
import org.privateprocessing.core.ConfigBinder.Key;
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
    @Key(min = 0, max = 65535) int port,
    String origin,
    @Key(derived = true) Path dataDir,
    Path signingKeyFile,
    List<String> publisherKeys,
    List<String> witnessKeys,
    @Key(min = 256) int maxBodyBytes,
    Path signedFile) {
  public static final int DEFAULT_PORT = Defaults.LOG_PORT;
  public static final String DEFAULT_ORIGIN = "log.private-processing.local";

  /** Every key's default (the data directory is {@code <top-level dataDir>/log}). */
  public static final LogOptions DEFAULTS =
      new LogOptions(
          "127.0.0.1",
          DEFAULT_PORT,
          DEFAULT_ORIGIN,
          Path.of("run", "log"),
          null,
          List.of(),
          List.of(),
          16 * 1024,
          null);

  public LogOptions {
    if (dataDir == null) {
      throw new IllegalArgumentException("log.dataDir: a directory");
    }
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
   * Reads the section, bound by {@link ConfigBinder}; {@code topDataDir} is the config's top-level
   * {@code dataDir}, under which the log keeps its store when the section names no {@code dataDir}.
   *
   * @throws org.privateprocessing.core.ConfigException naming the key that is unknown or of the
   *     wrong type
   */
  public static LogOptions fromJson(JsonObject json, String topDataDir) {
    JsonObject j = json == null ? new JsonObject() : json;
    if (!j.containsKey("dataDir")) {
      j =
          j.copy()
              .put("dataDir", Path.of(topDataDir == null ? "run" : topDataDir, "log").toString());
    }
    return ConfigBinder.bind("log", j, LogOptions.class, DEFAULTS);
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
