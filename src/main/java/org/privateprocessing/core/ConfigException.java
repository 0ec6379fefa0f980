package org.privateprocessing.core;

/**
 * A config setting that cannot be used, with the key it is about ({@code gateway.port}, {@code
 * issuer.accounts[0].id}) so that the caller can say where the value came from: the file, or the
 * environment variable that set it ({@link ConfigBinder}).
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * @param key the dotted path of the setting, e.g. {@code gateway.port}
   * @param problem what is wrong and what would be right, e.g. {@code expected an integer, got
   *     "abc"}
   */
  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The dotted path of the setting, e.g. {@code gateway.port}. */
  public String key() {
    return key;
  }
}
