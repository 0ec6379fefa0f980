package org.privateprocessing.node;

import io.vertx.core.json.JsonObject;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.privateprocessing.admin.AdminOptions;
import org.privateprocessing.core.ConfigBinder;
import org.privateprocessing.core.ConfigException;
import org.privateprocessing.core.ListenerLimits;
import org.privateprocessing.core.Profile;
import org.privateprocessing.core.StateStoreOptions;
import org.privateprocessing.enclave.AttestationOptions;
import org.privateprocessing.enclave.EnclaveOptions;
import org.privateprocessing.gateway.GatewayOptions;
import org.privateprocessing.issuer.IssuerOptions;
import org.privateprocessing.log.LogOptions;
import org.privateprocessing.relay.RelayOptions;

/**
 * A node config, read whole: the top-level keys and every role's section, each bound to its record
 * by {@link ConfigBinder}, so a bad config fails before anything starts and an unknown key,
 * top-level or in a section, is refused rather than ignored.
 *
 * <p>The components are the config's top-level keys: a record component is a section (its record
 * binds it), any other a top-level value. A new section is one more component here (and one more
 * line in {@link #parse}); a new key in a section is one more component of that section's record.
 *
 * @param profile top-level {@code "profile"}: {@code demo} (or {@code dev}) or {@code production}
 *     (the default, so forgetting it fails safe)
 * @param dataDir top-level {@code "dataDir"}: where the node keeps its files (the log's store, the
 *     demo's trust files), default {@code run}
 * @param transparency where roles publish what they create ({@code logclient.LogPublisher})
 * @param admin the node's admin listener: health and metrics ({@code admin.AdminListener})
 * @param stateStore where spent tokens and issuance windows are kept (file, Redis, cluster map)
 * @param cluster the event bus of a clustered node ({@code serve --cluster}): its address and,
 *     across hosts, its mutual TLS ({@link ClusterOptions})
 */
public record NodeSettings(
    Profile profile,
    String dataDir,
    RelayOptions relay,
    GatewayOptions gateway,
    EnclaveOptions enclave,
    IssuerOptions issuer,
    AttestationOptions attestation,
    LogOptions log,
    ListenerLimits http,
    Transparency transparency,
    AdminOptions admin,
    StateStoreOptions stateStore,
    ClusterOptions cluster) {

  /** The default of top-level {@code dataDir}. */
  public static final String DEFAULT_DATA_DIR = "run";

  /**
   * Environment variables of the project that are not config keys, though they start like one
   * ({@code PP_LOG_...} is also the log section's prefix): the CLI's logging settings.
   */
  public static final Set<String> OTHER_VARIABLES = Set.of("PP_LOG_LEVEL", "PP_LOG_FORMAT");

  /**
   * The {@code "transparency"} section: the log a role without the log beside it publishes to.
   *
   * @param logUrl the log's base URL; required when this JVM runs no log
   * @param publisherKeyFile the publisher key the log accepts appends from; required outside the
   *     demo profile
   */
  public record Transparency(String logUrl, Path publisherKeyFile) {
    /** Nothing set: the log beside this node, and in the demo its generated publisher key. */
    public static final Transparency DEFAULTS = new Transparency(null, null);
  }

  /**
   * The config with the environment's {@code PP_<SECTION>_<KEY>} variables written into it, and for
   * each key set so the variable that set it.
   *
   * @param conf the effective config: what a node started with it runs
   * @param origins key ({@code gateway.port}) -> variable ({@code PP_GATEWAY_PORT})
   */
  public record Effective(JsonObject conf, Map<String, String> origins) {}

  /**
   * Reads a whole config.
   *
   * @throws ConfigException naming the first bad key
   */
  public static NodeSettings parse(JsonObject conf) {
    Set<String> known = new TreeSet<>(keys().keySet());
    for (String k : conf.fieldNames()) {
      if (!k.equals(ConfigBinder.COMMENT) && !known.contains(k)) {
        throw new ConfigException(
            k, "unknown top-level key '" + k + "'; known keys: " + String.join(", ", known));
      }
    }
    Profile profile;
    try {
      profile = Profile.of(conf);
    } catch (IllegalArgumentException e) {
      throw ConfigBinder.keyed("profile", e);
    }
    Object dir = conf.getValue("dataDir", DEFAULT_DATA_DIR);
    if (!(dir instanceof String dataDir) || dataDir.isBlank()) {
      throw new ConfigException("dataDir", "expected a directory (a string), got " + dir);
    }
    return new NodeSettings(
        profile,
        dataDir,
        RelayOptions.fromJson(section(conf, "relay")),
        // Durable keys live in the data directory unless a section names its own key directory.
        GatewayOptions.fromJson(section(conf, "gateway"))
            .withDefaultKeyDir(Path.of(dataDir, "gateway-keys")),
        EnclaveOptions.fromJson(section(conf, "enclave")),
        IssuerOptions.fromJson(section(conf, "issuer"))
            .withDefaultKeyDir(Path.of(dataDir, "issuer-keys")),
        // Demo only (simulated attestation is refused otherwise): the simulated root is kept in
        // the data directory, so trust handed out survives restarts.
        withRootDir(
            AttestationOptions.fromJson(section(conf, "attestation"), profile),
            Path.of(dataDir, "simulated-root")),
        LogOptions.fromJson(section(conf, "log"), dataDir),
        ListenerLimits.fromJson(section(conf, "http")),
        ConfigBinder.bind(
            "transparency",
            section(conf, "transparency"),
            Transparency.class,
            Transparency.DEFAULTS),
        admin(section(conf, "admin")),
        stateStore(conf),
        ConfigBinder.bind(
            "cluster", section(conf, "cluster"), ClusterOptions.class, ClusterOptions.DEFAULTS));
  }

  /**
   * {@code conf} with the environment's overrides: {@code PP_<SECTION>_<KEY>}, the key in
   * UPPER_SNAKE ({@code PP_GATEWAY_MAX_IN_FLIGHT}); nested sections add their key ({@code
   * PP_ISSUER_FAILED_AUTHENTICATIONS_PER_SOURCE}); top-level values are {@code PP_<KEY>} ({@code
   * PP_PROFILE}, {@code PP_DATA_DIR}). Values are typed as the key is: numbers, {@code true} or
   * {@code false}, durations as written in a file ({@code 30s}), lists comma-separated (or a JSON
   * array), objects and lists of objects as JSON.
   *
   * @throws ConfigException for a variable of a section that names no key (keyed by the variable)
   */
  public static Effective withEnvironment(JsonObject conf, Map<String, String> env) {
    Map<String, String> vars = new LinkedHashMap<>(env);
    OTHER_VARIABLES.forEach(vars::remove);
    Map<String, String> origins = new LinkedHashMap<>();
    JsonObject out = ConfigBinder.applyEnvironment(conf, keys(), vars, origins);
    return new Effective(out, Map.copyOf(origins));
  }

  /** Every key of a node config with its type, default and variable (docs/CONFIG.md). */
  public static List<ConfigBinder.Setting> reference() {
    List<ConfigBinder.Setting> out = new ArrayList<>();
    out.add(
        new ConfigBinder.Setting(
            "profile", "one of demo, dev, production", "\"production\"", "PP_PROFILE"));
    out.add(
        new ConfigBinder.Setting(
            "dataDir", "string", "\"" + DEFAULT_DATA_DIR + "\"", "PP_DATA_DIR"));
    for (Map.Entry<String, Class<?>> k : keys().entrySet()) {
      if (k.getValue().isRecord()) {
        out.addAll(ConfigBinder.describe(k.getKey(), k.getValue(), defaults(k.getValue())));
      }
    }
    return out;
  }

  /** Each top-level key and its record (a section) or its type (a value). */
  static Map<String, Class<?>> keys() {
    Map<String, Class<?>> out = new LinkedHashMap<>();
    for (RecordComponent c : NodeSettings.class.getRecordComponents()) {
      out.put(c.getName(), c.getType().isRecord() ? c.getType() : String.class);
    }
    return out;
  }

  /** A section record's {@code DEFAULTS}. */
  private static Object defaults(Class<?> section) {
    try {
      return section.getField("DEFAULTS").get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(section.getSimpleName() + " declares no DEFAULTS", e);
    }
  }

  private static JsonObject section(JsonObject conf, String name) {
    Object v = conf.getValue(name);
    if (v == null || v instanceof JsonObject) {
      return (JsonObject) v;
    }
    throw new ConfigException(name, "expected an object (the " + name + " section), got " + v);
  }

  private static StateStoreOptions stateStore(JsonObject conf) {
    section(conf, "stateStore");
    try {
      return StateStoreOptions.fromJson(conf);
    } catch (IllegalArgumentException e) {
      throw ConfigBinder.keyed("stateStore", e);
    }
  }

  private static AdminOptions admin(JsonObject section) {
    try {
      return AdminOptions.fromJson(section);
    } catch (IllegalArgumentException e) {
      throw ConfigBinder.keyed("admin", e);
    }
  }

  private static AttestationOptions withRootDir(AttestationOptions a, Path dir) {
    return a.simulatedRootDir() != null ? a : a.withSimulatedRootDir(dir);
  }
}
