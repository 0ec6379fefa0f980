package org.privateprocessing.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads role configs and request files, with errors that say which file and what to do. */
final class ConfigFiles {
  static final Path DEFAULT_CONF = Path.of("conf", "all-in-one.json");

  private ConfigFiles() {}

  /**
   * The given config, or {@code conf/all-in-one.json} when present, or the built-in defaults (the
   * same ports and settings) so the jar runs from any directory.
   */
  static JsonObject load(Path conf) throws IOException {
    Path path = conf != null ? conf : (Files.exists(DEFAULT_CONF) ? DEFAULT_CONF : null);
    if (path == null) {
      System.err.println(
          "no conf/all-in-one.json here: using the built-in DEMO profile (simulated attestation)");
      return new JsonObject().put("profile", "demo");
    }
    return readJson(path, "config");
  }

  /**
   * As {@link #load(Path)} without the note about built-in defaults (for commands that only read
   * settings).
   */
  static JsonObject loadQuietly(Path conf) throws IOException {
    Path path = conf != null ? conf : (Files.exists(DEFAULT_CONF) ? DEFAULT_CONF : null);
    return path == null ? new JsonObject().put("profile", "demo") : readJson(path, "config");
  }

  static JsonObject readJson(Path path, String what) throws IOException {
    if (!Files.exists(path)) {
      throw new IOException(what + " file not found: " + path);
    }
    try {
      return new JsonObject(Files.readString(path));
    } catch (DecodeException e) {
      throw new IOException(what + " file " + path + " is not a JSON object");
    }
  }
}
