package org.privateprocessing.enclave;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.privateprocessing.core.ConfigBinder;
import org.privateprocessing.core.ConfigBinder.Key;
import org.privateprocessing.core.ConfigException;
import org.privateprocessing.core.Defaults;
import org.privateprocessing.core.MeasuredSettings;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.infer.FallbackModel;
import org.privateprocessing.infer.Model;
import org.privateprocessing.infer.OpenAiCompatibleModel;
import org.privateprocessing.ohttp.ResponsePadding;

/**
 * Enclave settings ({@code "enclave"} section of a role config).
 *
 * <pre>{@code
 * "enclave": {
 *   "id": "5e1ec7ed00000001",
 *   "keyRotation": "1h", "keyGrace": "5m", "heartbeat": "1s", "ttl": "3s",
 *   "model": "openai-compatible",
 *   "openai": {"baseUrl": "http://127.0.0.1:8000", "model": "llama-3.1-8b-instruct",
 *              "timeout": "8s", "connectTimeout": "2s", "maxTokens": 512,
 *              "maxInputChars": 24000, "apiKeyEnv": null, "apiKey": null, "allowRemote": false}
 * }
 * }</pre>
 *
 * @param id the enclave's id (hex); a random one when absent
 * @param model which model answers: {@value #EMBEDDED} (default) or {@value #OPENAI_COMPATIBLE} (an
 *     OpenAI-compatible server inside the enclave, falling back to the embedded model)
 * @param openaiSettings (key {@code openai}) the server's settings when {@code model} is {@value
 *     #OPENAI_COMPATIBLE}, else null
 * @param maxQueued most requests waiting for or running on the worker pool at once; beyond it the
 *     enclave answers 503 {@code overloaded} with {@code Retry-After: 1} (default {@value
 *     #DEFAULT_MAX_QUEUED})
 * @param keyRotationSeconds how often the inner keys rotate ({@code enclave.keyRotation}, default
 *     {@value #DEFAULT_KEY_ROTATION_SECONDS}, at most a day): a key stolen later opens nothing sent
 *     more than this plus the grace before
 * @param keyGraceSeconds how long a replaced key is still accepted before it is zeroed ({@code
 *     enclave.keyGrace}, default {@value #DEFAULT_KEY_GRACE_SECONDS} or half the rotation period if
 *     that is shorter; below the period): it must outlast the clients' cached listing (30 s by
 *     default) and a request's time in flight
 * @param heartbeatMs (key {@code heartbeat}) how often the enclave announces itself to gateways
 * @param ttlMs (key {@code ttl}) how long gateways trust one announcement: a few heartbeats
 * @param responsePadding how whole inner answers are padded before sealing, so the gateway (and the
 *     relay) see a few sizes: {@code default} = powers of two from 1k to 64k, {@code none}, or
 *     sizes such as {@code "1k,4k,16k,64k"} ({@link #padding()})
 */
public record EnclaveOptions(
    String id,
    String model,
    @Key(name = "openai") OpenAiSettings openaiSettings,
    @Key(min = 1) int maxQueued,
    @Key(
            name = "keyRotation",
            unit = ChronoUnit.SECONDS,
            min = 2,
            max = MAX_KEY_ROTATION_SECONDS,
            was = "keyRotationSeconds")
        int keyRotationSeconds,
    @Key(
            name = "keyGrace",
            unit = ChronoUnit.SECONDS,
            min = 1,
            derived = true,
            was = "keyGraceSeconds")
        Integer keyGraceSeconds,
    @Key(name = "heartbeat", unit = ChronoUnit.MILLIS, min = 1, was = "heartbeatMs")
        long heartbeatMs,
    @Key(name = "ttl", unit = ChronoUnit.MILLIS, min = 1, was = "ttlMs") long ttlMs,
    String responsePadding) {
  public static final int DEFAULT_MAX_QUEUED = 64;
  public static final int DEFAULT_KEY_ROTATION_SECONDS = 3600;
  public static final int DEFAULT_KEY_GRACE_SECONDS = 300;
  public static final long DEFAULT_HEARTBEAT_MS = 1_000;

  /** Longest rotation period: no setting keeps a key for longer than a day. */
  public static final int MAX_KEY_ROTATION_SECONDS = 86_400;

  public static final String EMBEDDED = MeasuredSettings.DEFAULT_MODEL;
  public static final String OPENAI_COMPATIBLE = "openai-compatible";

  /** Model names {@code enclave.model} accepts. */
  public static final List<String> MODELS = List.of(EMBEDDED, OPENAI_COMPATIBLE);

  /** Every key's default: a random id, the embedded model. */
  public static final EnclaveOptions DEFAULTS =
      new EnclaveOptions(
          null,
          EMBEDDED,
          null,
          DEFAULT_MAX_QUEUED,
          DEFAULT_KEY_ROTATION_SECONDS,
          null,
          DEFAULT_HEARTBEAT_MS,
          Defaults.ANNOUNCE_TTL_MS,
          "default");

  /** An absent {@code keyGrace} is {@link #defaultGraceSeconds} of the rotation period. */
  public EnclaveOptions {
    if (!MODELS.contains(model)) {
      throw new IllegalArgumentException(
          "enclave.model: unknown model '"
              + model
              + "' (known: "
              + String.join(", ", MODELS)
              + ")");
    }
    if (OPENAI_COMPATIBLE.equals(model) && openaiSettings == null) {
      throw new IllegalArgumentException("enclave.openai: required for model " + OPENAI_COMPATIBLE);
    }
    if (maxQueued < 1) {
      throw new IllegalArgumentException("enclave.maxQueued: must be at least 1");
    }
    if (keyRotationSeconds < 2 || keyRotationSeconds > MAX_KEY_ROTATION_SECONDS) {
      throw new IllegalArgumentException(
          "enclave.keyRotation: 2s to " + MAX_KEY_ROTATION_SECONDS + "s (a day)");
    }
    if (keyGraceSeconds == null) {
      keyGraceSeconds = defaultGraceSeconds(keyRotationSeconds);
    }
    if (keyGraceSeconds < 1 || keyGraceSeconds >= keyRotationSeconds) {
      throw new IllegalArgumentException(
          "enclave.keyGrace: at least 1s and below enclave.keyRotation ("
              + keyRotationSeconds
              + "s)");
    }
    if (heartbeatMs <= 0 || ttlMs <= heartbeatMs) {
      throw new IllegalArgumentException(
          "enclave.ttl: must be longer than enclave.heartbeat, which must be positive");
    }
    Objects.requireNonNull(responsePadding, "responsePadding");
    try {
      ResponsePadding.parse(responsePadding);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "enclave.responsePadding: " + e.getMessage().replace("response padding: ", ""), e);
    }
  }

  /** {@link #responsePadding} parsed (checked when the options were made). */
  public ResponsePadding padding() {
    return ResponsePadding.parse(responsePadding);
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

  /**
   * The OpenAI-compatible server's settings when {@code model} is {@value #OPENAI_COMPATIBLE}, else
   * null.
   */
  public OpenAiCompatibleModel.Options openai() {
    return openaiSettings == null ? null : openaiSettings.options();
  }

  public static EnclaveOptions fromJson(JsonObject json) {
    return fromJson(json, System::getenv);
  }

  /**
   * As {@link #fromJson(JsonObject)}, reading environment variables through {@code env} (for {@code
   * openai.apiKeyEnv}). The {@code openai} section is read only for the {@value #OPENAI_COMPATIBLE}
   * model.
   *
   * @throws IllegalArgumentException naming the bad key (never an API key's value)
   */
  public static EnclaveOptions fromJson(JsonObject json, Function<String, String> env) {
    JsonObject j = json == null ? new JsonObject() : json.copy();
    Object m = j.getValue("model", EMBEDDED);
    if (!(m instanceof String model) || !MODELS.contains(model)) {
      throw new ConfigException(
          "enclave.model", "unknown model '" + m + "' (known: " + String.join(", ", MODELS) + ")");
    }
    if (OPENAI_COMPATIBLE.equals(model)) {
      Object o = j.getValue("openai", new JsonObject());
      if (!(o instanceof JsonObject)) {
        throw new ConfigException("enclave.openai", "must be an object, got " + o);
      }
      j.put("openai", o);
    } else {
      j.remove("openai");
    }
    EnclaveOptions options = ConfigBinder.bind("enclave", j, EnclaveOptions.class, DEFAULTS);
    if (options.openaiSettings() == null) {
      return options;
    }
    OpenAiSettings resolved = options.openaiSettings().withKeyFrom(env);
    try {
      resolved.options();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("enclave.openai", e.getMessage());
    }
    return new EnclaveOptions(
        options.id,
        options.model,
        resolved,
        options.maxQueued,
        options.keyRotationSeconds,
        options.keyGraceSeconds,
        options.heartbeatMs,
        options.ttlMs,
        options.responsePadding);
  }

  /** The model these settings name, ready to answer. */
  public Model createModel() {
    if (OPENAI_COMPATIBLE.equals(model)) {
      return new FallbackModel(new OpenAiCompatibleModel(openai()), new EmbeddedModel());
    }
    return new EmbeddedModel();
  }
}
