package org.privateprocessing.enclave;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.function.Function;
import org.privateprocessing.core.ConfigBinder.Key;
import org.privateprocessing.core.ConfigException;
import org.privateprocessing.infer.OpenAiCompatibleModel;

/**
 * The {@code enclave.openai} section as written: how the enclave reaches an OpenAI-compatible
 * server inside it ({@link OpenAiCompatibleModel.Options} checks the values).
 *
 * @param apiKey the server's API key inline (never shown in errors); or
 * @param apiKeyEnv the environment variable that holds it (read at start)
 * @param timeout how long one answer may take (below the gateway's {@code enclaveTimeout}, so a
 *     hung model still leaves time for the fallback)
 * @param connectTimeout how long connecting may take
 * @param allowRemote whether {@code baseUrl} may name a host other than loopback (only a host that
 *     is part of the enclave)
 */
public record OpenAiSettings(
    String baseUrl,
    String model,
    @Key(secret = true) String apiKey,
    String apiKeyEnv,
    @Key(was = "timeoutMs") Duration timeout,
    @Key(was = "connectTimeoutMs") Duration connectTimeout,
    int maxTokens,
    int maxInputChars,
    boolean allowRemote) {
  /** Every key's default: a loopback server, {@code llama-3.1-8b-instruct}, no API key. */
  public static final OpenAiSettings DEFAULTS =
      new OpenAiSettings(
          OpenAiCompatibleModel.Options.DEFAULT_BASE_URL,
          OpenAiCompatibleModel.Options.DEFAULT_MODEL,
          null,
          null,
          Duration.ofMillis(OpenAiCompatibleModel.Options.DEFAULT_TIMEOUT_MS),
          Duration.ofMillis(OpenAiCompatibleModel.Options.DEFAULT_CONNECT_TIMEOUT_MS),
          OpenAiCompatibleModel.Options.DEFAULT_MAX_TOKENS,
          OpenAiCompatibleModel.Options.DEFAULT_MAX_INPUT_CHARS,
          false);

  public OpenAiSettings {
    if (apiKey != null && apiKeyEnv != null) {
      throw new IllegalArgumentException("enclave.openai: give apiKey or apiKeyEnv, not both");
    }
  }

  /**
   * These settings with the API key read from {@code apiKeyEnv}, if one is named.
   *
   * @throws ConfigException when the variable is not set
   */
  OpenAiSettings withKeyFrom(Function<String, String> env) {
    if (apiKeyEnv == null) {
      return this;
    }
    String key = env.apply(apiKeyEnv);
    if (key == null || key.isBlank()) {
      throw new ConfigException(
          "enclave.openai.apiKeyEnv", "environment variable '" + apiKeyEnv + "' is not set");
    }
    return new OpenAiSettings(
        baseUrl,
        model,
        key.strip(),
        null,
        timeout,
        connectTimeout,
        maxTokens,
        maxInputChars,
        allowRemote);
  }

  /**
   * The model client's options.
   *
   * @throws IllegalArgumentException naming the first bad setting (never the API key)
   */
  OpenAiCompatibleModel.Options options() {
    URI uri;
    try {
      uri = new URI(baseUrl);
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("baseUrl: not a URL");
    }
    return new OpenAiCompatibleModel.Options(
        uri, model, apiKey, connectTimeout, timeout, maxTokens, maxInputChars, allowRemote);
  }
}
