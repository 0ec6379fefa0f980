package org.privateprocessing.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.privateprocessing.core.ConfigException;
import org.privateprocessing.node.NodeSettings;

/**
 * Reads role configs and request files, with errors that say which file (or environment variable),
 * where in it, and what to do.
 */
final class ConfigFiles {
  static final Path DEFAULT_CONF = Path.of("conf", "all-in-one.json");

  /** Strict: a key given twice is an error, not "the last one wins". */
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ConfigFiles() {}

  /**
   * A file the user named that cannot be used: the message names the file (or variable), the line
   * and column or the key, and the fix. The CLI exits with 2 (usage) for it.
   */
  static final class BadFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadFileException(String message) {
      super(message);
    }
  }

  /**
   * The given config, or {@code conf/all-in-one.json} when present, or the built-in defaults (the
   * same ports and settings) so the jar runs from any directory; with the environment's {@code
   * PP_<SECTION>_<KEY>} overrides applied, and checked whole.
   *
   * @throws BadFileException naming the file and line, or the file or variable and the key
   */
  static JsonObject load(Path conf) throws IOException {
    Path path = conf != null ? conf : (Files.exists(DEFAULT_CONF) ? DEFAULT_CONF : null);
    if (path == null) {
      System.err.println(
          "no conf/all-in-one.json here: using the built-in DEMO profile (simulated attestation)");
    }
    return effective(path, System.getenv());
  }

  /**
   * As {@link #load(Path)} without the note about built-in defaults (for commands that only read
   * settings).
   */
  static JsonObject loadQuietly(Path conf) throws IOException {
    Path path = conf != null ? conf : (Files.exists(DEFAULT_CONF) ? DEFAULT_CONF : null);
    return effective(path, System.getenv());
  }

  /**
   * The config in {@code path} (null: the built-in demo defaults) with {@code env}'s overrides,
   * checked whole.
   */
  static JsonObject effective(Path path, Map<String, String> env) throws IOException {
    JsonObject raw =
        path == null ? new JsonObject().put("profile", "demo") : readJson(path, "config");
    String source = path == null ? "built-in defaults" : path.toString();
    NodeSettings.Effective effective;
    try {
      effective = NodeSettings.withEnvironment(raw, env);
    } catch (ConfigException e) {
      throw new BadFileException("environment variable " + e.getMessage());
    }
    try {
      NodeSettings.parse(effective.conf());
    } catch (ConfigException e) {
      String var = effective.origins().get(e.key());
      throw new BadFileException(
          (var != null ? "environment variable " + var + " (" + e.key() + ")" : source)
              + ": "
              + (var != null ? e.getMessage().substring(e.key().length() + 2) : e.getMessage()));
    } catch (IllegalArgumentException e) {
      throw new BadFileException(source + ": " + e.getMessage());
    }
    return effective.conf();
  }

  /**
   * A JSON object from a file.
   *
   * @param what what the file is, for messages ("config", "chat")
   * @throws BadFileException naming the file, line and column of a syntax error
   */
  static JsonObject readJson(Path path, String what) throws IOException {
    if (!Files.exists(path)) {
      throw new IOException(what + " file not found: " + path);
    }
    String text = Files.readString(path, StandardCharsets.UTF_8);
    JsonNode node = parse(path, what, text);
    if (!node.isObject()) {
      throw new BadFileException(
          what + " file " + path + ": expected a JSON object {...}, found " + kind(node));
    }
    return new JsonObject(text);
  }

  /**
   * Checks that {@code text} is one JSON value, saying where it is not.
   *
   * @throws BadFileException {@code <what> file <path>, line L, column C: <what is wrong>}
   */
  static JsonNode parse(Path path, String what, String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new BadFileException(what + " file " + path + " is empty: expected a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null || at.getLineNr() < 1
              ? ""
              : ", line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new BadFileException(
          what + " file " + path + where + ": " + reason(e) + " (not valid JSON)");
    }
  }

  /** Jackson's message without the source excerpt and the Java details. */
  private static String reason(JsonProcessingException e) {
    String m = String.valueOf(e.getOriginalMessage());
    int cut = m.indexOf('\n');
    m = cut >= 0 ? m.substring(0, cut) : m;
    m = m.replaceAll(" \\(code \\d+\\)", "");
    int source = m.indexOf(" (for ");
    m = source >= 0 ? m.substring(0, source) : m;
    if (m.startsWith("Duplicate field")) {
      return "a key given twice: " + m.substring("Duplicate field ".length());
    }
    if (m.startsWith("Trailing token")) {
      return "more after the end of the JSON value";
    }
    return m.replace("Unexpected end-of-input", "the file ends too early");
  }

  private static String kind(JsonNode n) {
    return n.isArray() ? "a list [...]" : n.isTextual() ? "a string" : "a " + n.getNodeType();
  }
}
