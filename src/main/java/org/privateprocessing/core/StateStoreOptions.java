package org.privateprocessing.core;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;
import org.privateprocessing.core.ConfigBinder.Key;

/**
 * Where a node keeps the state that must outlive it and be shared by its peers: spent tokens
 * (gateway, enclave RA-TLS listener) and the issuer's per-account issuance windows. The {@code
 * "stateStore"} section of a config:
 *
 * <pre>{@code
 * "stateStore": {
 *   "type": "file",            // file (default): <dataDir>/spent-tokens.log, issuance-windows.log
 *                              // redis: one Redis shared by every node of the fleet
 *                              // cluster: the Hazelcast cluster's memory (lost with the fleet)
 *                              // memory: this JVM only (tests; forgotten at exit)
 *   "maxEntries": 10000000,    // most spent tokens held at once (file, memory)
 *   "redis": {
 *     "url": "redis://127.0.0.1:6379",   // rediss:// for TLS; required for a non-loopback host
 *     "user": "pp",                      // ACL user (optional)
 *     "passwordFile": "/etc/pp/redis.pass", // owner-only file holding the password (optional)
 *     "trustFile": "/etc/pp/redis-ca.pem",  // CA of the Redis server's certificate (rediss://)
 *     "timeoutMs": 2000,                 // a command without an answer by then fails: 503
 *     "keyPrefix": "pp:"
 *   }
 * }
 * }</pre>
 *
 * When the section names no type, a clustered node uses {@code cluster} (as before this section
 * existed) and any other node {@code file}.
 *
 * @param type the store, or null when the config leaves it to the node ({@link #resolve})
 * @param maxEntries most spent tokens held at once by the file and memory stores
 * @param redis the Redis settings; null unless the type is redis (then its defaults when absent)
 */
public record StateStoreOptions(
    @Key(derived = true) Type type,
    @Key(min = 1) int maxEntries,
    @Key(derived = true) Redis redis) {
  /** Which store. */
  public enum Type {
    FILE,
    REDIS,
    CLUSTER,
    MEMORY;

    /** The config spelling. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The default Redis URL: loopback, the standard port. */
  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

  /** Every key's default: the node chooses the store, the memory bound of the in-memory store. */
  public static final StateStoreOptions DEFAULTS =
      new StateStoreOptions(null, InMemorySpentTokens.DEFAULT_MAX_ENTRIES, null);

  public StateStoreOptions {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("stateStore.maxEntries: at least 1");
    }
    if (redis != null && type != Type.REDIS) {
      throw new IllegalArgumentException(
          "stateStore.redis is set but stateStore.type is not redis: set \"type\": \"redis\" or"
              + " remove the redis section");
    }
    if (type == Type.REDIS && redis == null) {
      redis = Redis.DEFAULTS;
    }
  }

  /**
   * How to reach Redis.
   *
   * @param url {@code redis://host:port[/db]} or {@code rediss://} for TLS, without credentials
   * @param user the ACL user, or null for the default user
   * @param passwordFile an owner-only file holding the password on one line, or null
   * @param trustFile PEM CA certificates for the server's TLS certificate, or null for the JDK's
   * @param timeoutMs (key {@code timeout}, a duration) how long a command may take before it counts
   *     as failed
   * @param keyPrefix put before every key, so one Redis can serve several deployments
   */
  public record Redis(
      String url,
      String user,
      Path passwordFile,
      Path trustFile,
      @Key(name = "timeout", unit = ChronoUnit.MILLIS, min = 10, max = 60_000, was = "timeoutMs")
          long timeoutMs,
      String keyPrefix) {
    public static final Redis DEFAULTS =
        new Redis(DEFAULT_REDIS_URL, null, null, null, 2_000L, "pp:");

    public Redis {
      check(url, passwordFile, trustFile, timeoutMs, keyPrefix);
    }

    /** Whether the URL asks for TLS. */
    public boolean tls() {
      return url.startsWith("rediss://");
    }

    /** The password from {@link #passwordFile}, or null; read (and checked) when connecting. */
    public String password() {
      return passwordFile == null ? null : readPassword(passwordFile);
    }

    /** The URL without anything secret, for messages. */
    @Override
    public String toString() {
      return url;
    }
  }

  /**
   * The store a node uses: the configured one, or {@code cluster} on a clustered node and {@code
   * file} otherwise.
   */
  public Type resolve(boolean clustered) {
    return type != null ? type : clustered ? Type.CLUSTER : Type.FILE;
  }

  /**
   * Reads the {@code stateStore} section of {@code conf}.
   *
   * @throws ConfigException naming the setting and the fix
   */
  public static StateStoreOptions fromJson(JsonObject conf) {
    JsonObject section = conf == null ? null : conf.getJsonObject("stateStore");
    return ConfigBinder.bind("stateStore", section, StateStoreOptions.class, DEFAULTS);
  }

  private static void check(
      String url, Path passwordFile, Path trustFile, long timeoutMs, String keyPrefix) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException(
          "stateStore.redis.url: '" + url + "' is not a URL (redis://host:port)");
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException(
          "stateStore.redis.url: use redis://host:port, or rediss://host:port for TLS");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(
          "stateStore.redis.url: '" + url + "' names no host (redis://host:port)");
    }
    if (uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "stateStore.redis.url: no credentials in the URL (config files are not secret): set"
              + " stateStore.redis.user and stateStore.redis.passwordFile");
    }
    if (!"rediss".equals(scheme) && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException(
          "stateStore.redis.url: "
              + uri.getHost()
              + " is not on this machine; across hosts use TLS: rediss://"
              + uri.getHost()
              + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
              + " (and trustFile for its CA)");
    }
    if (passwordFile != null) {
      readPassword(passwordFile); // checked at start, so a bad file stops the node, not a request
    }
    if (trustFile != null && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException(
          "stateStore.redis.trustFile is for TLS: use a rediss:// url, or remove trustFile");
    }
    if (trustFile != null && !Files.isReadable(trustFile)) {
      throw new IllegalArgumentException(
          "stateStore.redis.trustFile: cannot read "
              + trustFile
              + " (a PEM file of CA certificates)");
    }
    if (timeoutMs < 10 || timeoutMs > 60_000) {
      throw new IllegalArgumentException("stateStore.redis.timeout: 10ms to 60s");
    }
    if (keyPrefix == null || !keyPrefix.matches("[A-Za-z0-9:._-]{0,64}")) {
      throw new IllegalArgumentException(
          "stateStore.redis.keyPrefix: up to 64 letters, digits and : . _ -");
    }
  }

  private static String readPassword(Path file) {
    try {
      try {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.OTHERS_READ)
            || perms.contains(PosixFilePermission.GROUP_READ)) {
          throw new IllegalArgumentException(
              "stateStore.redis.passwordFile: "
                  + file
                  + " is readable by others; make it owner-only: chmod 600 "
                  + file);
        }
      } catch (UnsupportedOperationException e) {
        // Not a POSIX filesystem: nothing to check.
      }
      String p = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (p.isEmpty() || p.contains("\n")) {
        throw new IllegalArgumentException(
            "stateStore.redis.passwordFile: " + file + " must hold the password on one line");
      }
      return p;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "stateStore.redis.passwordFile: cannot read " + file + " (" + e.getMessage() + ")");
    }
  }

  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false; // a name: never resolved here, so it cannot turn out to be loopback later
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
