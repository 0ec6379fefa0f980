package org.privateprocessing.core;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.TreeMap;

/**
 * What an enclave's measurement covers besides its code: shared by the enclave, which measures
 * itself at start, and the release tooling ({@code release publish}, {@code audit measurement}),
 * which predicts the same measurement from a jar and a config without starting anything.
 */
public final class MeasuredSettings {
  /** The model an enclave runs when its settings name none. */
  public static final String DEFAULT_MODEL = "embedded";

  private MeasuredSettings() {}

  /**
   * Where the enclave's code (this jar) was loaded from: the jar, or a class directory in
   * development.
   */
  public static Path codeLocation() throws IOException {
    try {
      return Path.of(
          MeasuredSettings.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new IOException("cannot locate the enclave's code to measure it", e);
    }
  }

  /**
   * The part of the enclave section that is measured: the settings that change what the enclave
   * does with content (which model, and how it reaches it), in canonical JSON. Left out: the id
   * (every instance of a release has its own), operational knobs (heartbeat, ttl, queue bound) that
   * differ per deployment without touching content, and an inline API key (a secret must not end up
   * in a public log).
   */
  public static byte[] of(JsonObject enclaveSection) {
    JsonObject section = enclaveSection == null ? new JsonObject() : enclaveSection;
    JsonObject measured = new JsonObject();
    // Absent and default must measure alike, or a config that spells out the default is a new
    // release.
    measured.put("model", section.getValue("model", DEFAULT_MODEL));
    Object openai = section.getValue("openai");
    if (openai instanceof JsonObject o) {
      JsonObject copy = o.copy();
      copy.remove("apiKey");
      measured.put("openai", copy);
    } else if (openai != null) {
      measured.put("openai", openai);
    }
    return canonical(measured).encode().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject canonical(JsonObject o) {
    JsonObject sorted = new JsonObject(new java.util.LinkedHashMap<>());
    for (String k : new TreeMap<>(o.getMap()).keySet()) {
      Object v = o.getValue(k);
      sorted.put(k, v instanceof JsonObject j ? canonical(j) : v);
    }
    return sorted;
  }
}
