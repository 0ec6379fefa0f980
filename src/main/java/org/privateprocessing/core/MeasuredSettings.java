package org.privateprocessing.core;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.TreeMap;

/**
 * What an enclave's measurement covers besides its code: the JVM that runs the code and the enclave
 * settings. Shared by the enclave, which measures itself at start, and the release tooling ({@code
 * release publish}, {@code audit measurement}), which predicts the same measurement from a jar, a
 * config and a JVM identity without starting anything (docs/ATTESTATION.md).
 */
public final class MeasuredSettings {
  /** The model an enclave runs when its settings name none. */
  public static final String DEFAULT_MODEL = "embedded";

  private MeasuredSettings() {}

  /**
   * The JVM that runs the enclave's code, as far as the measurement names it. The JVM executes
   * every byte of the jar, so a release is a jar <em>on</em> a JVM: the same jar on another JVM
   * build is another measurement. The auditor's JVM is not necessarily the enclave's, so the
   * release tooling takes this as an input and only defaults to its own.
   *
   * @param vendor {@code java.vm.vendor}, e.g. "Eclipse Adoptium"
   * @param version {@code java.runtime.version}: the full build of the class library and VM, e.g.
   *     "17.0.15+6"
   */
  public record Jvm(String vendor, String version) {
    public Jvm {
      if (vendor == null || vendor.isBlank() || version == null || version.isBlank()) {
        throw new IllegalArgumentException("a JVM is named by a non-empty vendor and version");
      }
    }

    /** The JVM this code runs on. */
    public static Jvm running() {
      return new Jvm(
          System.getProperty("java.vm.vendor", "unknown"),
          System.getProperty("java.runtime.version", System.getProperty("java.version")));
    }

    @Override
    public String toString() {
      return vendor + " " + version;
    }
  }

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
    return canonical(settings(enclaveSection)).encode().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The {@code config} part of the launch image: the measured settings ({@link #of}) plus the JVM
   * that runs the code, as member {@code jvm}, in canonical JSON, e.g. {@code
   * {"jvm":{"vendor":"Debian","version":"17.0.15+6-Debian-1deb12u1"},"model":"embedded"}}.
   */
  public static byte[] launchConfig(JsonObject enclaveSection, Jvm jvm) {
    JsonObject measured = settings(enclaveSection);
    measured.put("jvm", new JsonObject().put("vendor", jvm.vendor()).put("version", jvm.version()));
    return canonical(measured).encode().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject settings(JsonObject enclaveSection) {
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
    return measured;
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
