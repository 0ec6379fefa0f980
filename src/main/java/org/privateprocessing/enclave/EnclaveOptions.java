package org.privateprocessing.enclave;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.privateprocessing.core.MeasuredSettings;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.infer.FallbackModel;
import org.privateprocessing.infer.Model;
import org.privateprocessing.infer.OpenAiCompatibleModel;

/**
 * Enclave settings ({@code "enclave"} section of a role config).
 *
 * <pre>{@code
 * "enclave": {
 *   "id": "5e1ec7ed00000001",
 *   "keyRotationSeconds": 3600, "keyGraceSeconds": 300,
 *   "model": "openai-compatible",
 *   "openai": {"baseUrl": "http://127.0.0.1:8000", "model": "llama-3.1-8b-instruct",
 *              "timeoutMs": 8000, "connectTimeoutMs": 2000, "maxTokens": 512,
 *              "maxInputChars": 24000, "apiKeyEnv": null, "apiKey": null, "allowRemote": false}
 * }
 * }</pre>
 *
 * @param id the enclave's id (hex); a random one when absent
 * @param model which model answers: {@value #EMBEDDED} (default) or {@value #OPENAI_COMPATIBLE} (an
 *     OpenAI-compatible server inside the enclave, falling back to the embedded model)
 * @param openai the server's settings when {@code model} is {@value #OPENAI_COMPATIBLE}, else null
 * @param maxQueued most requests waiting for or running on the worker pool at once; beyond it the
 *     enclave answers 503 {@code overloaded} with {@code Retry-After: 1} (default {@value
 *     #DEFAULT_MAX_QUEUED})
 * @param keyRotationSeconds how often the inner keys rotate ({@code enclave.keyRotationSeconds},
 *     default {@value #DEFAULT_KEY_ROTATION_SECONDS}, at most a day): a key stolen later opens
 *     nothing sent more than this plus the grace before
 * @param keyGraceSeconds how long a replaced key is still accepted before it is zeroed ({@code
 *     enclave.keyGraceSeconds}, default {@value #DEFAULT_KEY_GRACE_SECONDS} or half the rotation
 *     period if that is shorter; below the period): it must outlast the clients' cached listing (30
 *     s by default) and a request's time in flight
 */
public record EnclaveOptions(
    String id,
    String model,
    OpenAiCompatibleModel.Options openai,
    int maxQueued,
    int keyRotationSeconds,
    int keyGraceSeconds) {
  public static final int DEFAULT_MAX_QUEUED = 64;
  public static final int DEFAULT_KEY_ROTATION_SECONDS = 3600;
  public static final int DEFAULT_KEY_GRACE_SECONDS = 300;

  /** Longest rotation period: no setting keeps a key for longer than a day. */
  public static final int MAX_KEY_ROTATION_SECONDS = 86_400;

  public static final String EMBEDDED = MeasuredSettings.DEFAULT_MODEL;
  public static final String OPENAI_COMPATIBLE = "openai-compatible";

  /** Model names {@code enclave.model} accepts. */
  public static final List<String> MODELS = List.of(EMBEDDED, OPENAI_COMPATIBLE);

  private static final Set<String> OPENAI_KEYS =
      Set.of(
          "baseUrl",
          "model",
          "apiKey",
          "apiKeyEnv",
          "timeoutMs",
          "connectTimeoutMs",
          "maxTokens",
          "maxInputChars",
          "allowRemote");

  public EnclaveOptions {
    if (OPENAI_COMPATIBLE.equals(model) && openai == null) {
      throw new IllegalArgumentException("enclave.openai: required for model " + OPENAI_COMPATIBLE);
    }
    if (maxQueued < 1) {
      throw new IllegalArgumentException("enclave.maxQueued: must be at least 1");
    }
    if (keyRotationSeconds < 2 || keyRotationSeconds > MAX_KEY_ROTATION_SECONDS) {
      throw new IllegalArgumentException(
          "enclave.keyRotationSeconds: 2 to " + MAX_KEY_ROTATION_SECONDS + " (a day)");
    }
    if (keyGraceSeconds < 1 || keyGraceSeconds >= keyRotationSeconds) {
      throw new IllegalArgumentException(
          "enclave.keyGraceSeconds: at least 1 and below enclave.keyRotationSeconds ("
              + keyRotationSeconds
              + ")");
    }
  }

  /** Settings without a queue bound given: the default one. */
  public EnclaveOptions(String id, String model, OpenAiCompatibleModel.Options openai) {
    this(id, model, openai, DEFAULT_MAX_QUEUED);
  }

  /** Settings with the default key rotation. */
  public EnclaveOptions(
      String id, String model, OpenAiCompatibleModel.Options openai, int maxQueued) {
    this(
        id,
        model,
        openai,
        maxQueued,
        DEFAULT_KEY_ROTATION_SECONDS,
        defaultGraceSeconds(DEFAULT_KEY_ROTATION_SECONDS));
  }

  /** The grace when none is set: {@value #DEFAULT_KEY_GRACE_SECONDS} s, or half the period. */
  public static int defaultGraceSeconds(int keyRotationSeconds) {
    return Math.min(DEFAULT_KEY_GRACE_SECONDS, keyRotationSeconds / 2);
  }

  /** How often the inner keys rotate. */
  public Duration keyRotation() {
    return Duration.ofSeconds(keyRotationSeconds);
  }

  /** How long a replaced inner key is still accepted. */
  public Duration keyGrace() {
    return Duration.ofSeconds(keyGraceSeconds);
  }

  public static EnclaveOptions fromJson(JsonObject json) {
    return fromJson(json, System::getenv);
  }

  /**
   * As {@link #fromJson(JsonObject)}, reading environment variables through {@code env}.
   *
   * @throws IllegalArgumentException naming the bad key (never an API key's value)
   */
  public static EnclaveOptions fromJson(JsonObject json, Function<String, String> env) {
    JsonObject j = json == null ? new JsonObject() : json;
    Object m = j.getValue("model", EMBEDDED);
    if (!(m instanceof String model) || !MODELS.contains(model)) {
      throw new IllegalArgumentException(
          "enclave.model: unknown model '" + m + "' (known: " + String.join(", ", MODELS) + ")");
    }
    OpenAiCompatibleModel.Options openai = null;
    if (OPENAI_COMPATIBLE.equals(model)) {
      Object o = j.getValue("openai", new JsonObject());
      if (!(o instanceof JsonObject section)) {
        throw new IllegalArgumentException("enclave.openai: must be an object");
      }
      openai = openAi(section, env);
    }
    Object q = j.getValue("maxQueued", DEFAULT_MAX_QUEUED);
    if (!(q instanceof Integer maxQueued)) {
      throw new IllegalArgumentException("enclave.maxQueued: must be a whole number");
    }
    Object r = j.getValue("keyRotationSeconds", DEFAULT_KEY_ROTATION_SECONDS);
    if (!(r instanceof Integer rotation)) {
      throw new IllegalArgumentException("enclave.keyRotationSeconds: must be a whole number");
    }
    Object g = j.getValue("keyGraceSeconds", defaultGraceSeconds(rotation));
    if (!(g instanceof Integer grace)) {
      throw new IllegalArgumentException("enclave.keyGraceSeconds: must be a whole number");
    }
    return new EnclaveOptions(j.getString("id"), model, openai, maxQueued, rotation, grace);
  }

  /** The model these settings name, ready to answer. */
  public Model createModel() {
    if (OPENAI_COMPATIBLE.equals(model)) {
      return new FallbackModel(new OpenAiCompatibleModel(openai), new EmbeddedModel());
    }
    return new EmbeddedModel();
  }

  private static OpenAiCompatibleModel.Options openAi(JsonObject o, Function<String, String> env) {
    for (String key : o.fieldNames()) {
      if (!OPENAI_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "enclave.openai: unknown key '"
                + key
                + "' (known: "
                + String.join(", ", OPENAI_KEYS.stream().sorted().toList())
                + ")");
      }
    }
    String apiKey = string(o, "apiKey", null);
    String apiKeyEnv = string(o, "apiKeyEnv", null);
    if (apiKey != null && apiKeyEnv != null) {
      throw new IllegalArgumentException("enclave.openai: give apiKey or apiKeyEnv, not both");
    }
    if (apiKeyEnv != null) {
      apiKey = env.apply(apiKeyEnv);
      if (apiKey == null || apiKey.isBlank()) {
        throw new IllegalArgumentException(
            "enclave.openai.apiKeyEnv: environment variable '" + apiKeyEnv + "' is not set");
      }
      apiKey = apiKey.strip();
    }
    URI baseUrl;
    try {
      baseUrl = new URI(string(o, "baseUrl", OpenAiCompatibleModel.Options.DEFAULT_BASE_URL));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("enclave.openai.baseUrl: not a URL");
    }
    try {
      return new OpenAiCompatibleModel.Options(
          baseUrl,
          string(o, "model", OpenAiCompatibleModel.Options.DEFAULT_MODEL),
          apiKey,
          Duration.ofMillis(
              number(
                  o, "connectTimeoutMs", OpenAiCompatibleModel.Options.DEFAULT_CONNECT_TIMEOUT_MS)),
          Duration.ofMillis(
              number(o, "timeoutMs", OpenAiCompatibleModel.Options.DEFAULT_TIMEOUT_MS)),
          (int) number(o, "maxTokens", OpenAiCompatibleModel.Options.DEFAULT_MAX_TOKENS),
          (int) number(o, "maxInputChars", OpenAiCompatibleModel.Options.DEFAULT_MAX_INPUT_CHARS),
          bool(o, "allowRemote", false));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("enclave.openai: " + e.getMessage(), e);
    }
  }

  private static String string(JsonObject o, String key, String dflt) {
    Object v = o.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("enclave.openai." + key + ": must be a string");
    }
    return s;
  }

  private static long number(JsonObject o, String key, long dflt) {
    Object v = o.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number n)
        || n.doubleValue() != Math.rint(n.doubleValue())
        || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("enclave.openai." + key + ": must be a whole number");
    }
    return n.longValue();
  }

  private static boolean bool(JsonObject o, String key, boolean dflt) {
    Object v = o.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Boolean b)) {
      throw new IllegalArgumentException("enclave.openai." + key + ": must be true or false");
    }
    return b;
  }
}
