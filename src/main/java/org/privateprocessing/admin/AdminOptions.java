package org.privateprocessing.admin;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The admin listener's settings ({@code "admin"} section of a role config):
 *
 * <pre>{@code
 * "admin": {"host": "127.0.0.1", "port": 9090, "enabled": true}
 * }</pre>
 *
 * @param host the address it binds; loopback by default, since it tells whoever asks how busy the
 *     node is
 * @param port its port; 0 takes a free one (several nodes on one machine)
 * @param enabled false runs no admin listener (and no metrics)
 */
public record AdminOptions(String host, int port, boolean enabled) {
  /** The default port of the all-in-one node's admin listener. */
  public static final int DEFAULT_PORT = 9090;

  public static final AdminOptions DEFAULTS = new AdminOptions("127.0.0.1", DEFAULT_PORT, true);

  private static final Set<String> KEYS = Set.of("host", "port", "enabled", "_comment");

  public AdminOptions {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("admin.host: must be an address to bind, e.g. 127.0.0.1");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(
          "admin.port: must be from 0 (any free port) to 65535, not " + port);
    }
  }

  /**
   * Reads the section; missing keys take the defaults ({@link #DEFAULTS}).
   *
   * @throws IllegalArgumentException naming the key, what it must be and what it was
   */
  public static AdminOptions fromJson(JsonObject section) {
    if (section == null) {
      return DEFAULTS;
    }
    for (String key : section.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "admin." + key + ": unknown key (known: host, port, enabled)");
      }
    }
    Object host = section.getValue("host", DEFAULTS.host());
    if (!(host instanceof String h)) {
      throw new IllegalArgumentException(
          "admin.host: must be a string such as \"127.0.0.1\", not " + describe(host));
    }
    Object port = section.getValue("port", DEFAULTS.port());
    // A config file gives an Integer; a PP_ADMIN_PORT variable, typed by ConfigBinder, a Long.
    if (!(port instanceof Integer || port instanceof Long)
        || ((Number) port).longValue() != ((Number) port).intValue()) {
      throw new IllegalArgumentException(
          "admin.port: must be a whole number from 0 to 65535, not " + describe(port));
    }
    int p = ((Number) port).intValue();
    Object enabled = section.getValue("enabled", DEFAULTS.enabled());
    if (!(enabled instanceof Boolean e)) {
      throw new IllegalArgumentException(
          "admin.enabled: must be true or false, not " + describe(enabled));
    }
    return new AdminOptions(h, p, e);
  }

  /** A wrong value as the config wrote it, shortened: a config value, never request content. */
  private static String describe(Object value) {
    String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    return shown.length() > 40 ? shown.substring(0, 40) + "..." : shown;
  }
}
