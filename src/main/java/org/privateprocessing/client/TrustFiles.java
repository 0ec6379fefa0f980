package org.privateprocessing.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.privateprocessing.attest.Certificates;
import org.privateprocessing.attest.TrustAnchors;

/**
 * Reads a client's trust settings from a JSON file, or from every {@code *.json} file of a
 * directory (merged), so that each local demo JVM can drop its own fragment:
 *
 * <pre>{@code
 * {"measurements": ["<96 hex digits>", ...],
 *  "simulatedRoots": ["-----BEGIN CERTIFICATE-----..."],   // demo only: trusting them is loud
 *  "maxEvidenceAgeSeconds": 300,
 *  "logKeys": ["<log name>+<hash>+<base64 key>"],          // require the transparency log
 *  "witnesses": {"keys": ["<cosigner vkey>", ...], "threshold": 1}}
 * }</pre>
 *
 * A file is the out-of-band channel: it is never fetched from the servers it vouches for.
 */
public final class TrustFiles {
  private static final Set<String> KEYS =
      Set.of(
          "measurements",
          "simulatedRoots",
          "maxEvidenceAgeSeconds",
          "_comment",
          "logKeys",
          "witnesses");

  private TrustFiles() {}

  /**
   * What was read: the trust, and whether it includes simulated roots (callers must say so loudly).
   */
  public record Loaded(EnclaveTrust trust, int simulatedRoots, List<Path> files, LogTrust log) {
    /** These settings applied to {@code options}. */
    public ClientOptions applyTo(ClientOptions options) {
      return options.withTrust(trust).withLog(log);
    }
  }

  public static Loaded load(Path path) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> list = Files.list(path)) {
        list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
      }
      if (files.isEmpty()) {
        throw new IOException("trust directory " + path + " has no *.json file");
      }
    } else if (Files.isRegularFile(path)) {
      files.add(path);
    } else {
      throw new IOException("trust settings not found at " + path);
    }
    List<String> measurements = new ArrayList<>();
    List<X509Certificate> roots = new ArrayList<>();
    Duration maxAge = EnclaveTrust.DEFAULT_MAX_AGE;
    List<String> logKeys = new ArrayList<>();
    List<String> witnessKeys = new ArrayList<>();
    int threshold = 0;
    for (Path f : files) {
      JsonObject j;
      try {
        j = new JsonObject(Files.readString(f, StandardCharsets.UTF_8));
      } catch (DecodeException e) {
        throw new IOException("trust file " + f + " is not a JSON object");
      }
      for (String k : j.fieldNames()) {
        if (!KEYS.contains(k)) {
          throw new IOException(
              "trust file " + f + ": unknown key '" + k + "' (known: " + KEYS + ")");
        }
      }
      try {
        for (Object m : j.getJsonArray("measurements", new JsonArray())) {
          measurements.add((String) m);
        }
        for (Object pem : j.getJsonArray("simulatedRoots", new JsonArray())) {
          roots.add(Certificates.parse(((String) pem).getBytes(StandardCharsets.US_ASCII)));
        }
        for (Object k : j.getJsonArray("logKeys", new JsonArray())) {
          logKeys.add((String) k);
        }
        JsonObject w = j.getJsonObject("witnesses");
        if (w != null) {
          for (Object k : w.getJsonArray("keys", new JsonArray())) {
            witnessKeys.add((String) k);
          }
          threshold = Math.max(threshold, w.getInteger("threshold", 0));
        }
        if (j.containsKey("maxEvidenceAgeSeconds")) {
          Duration age = Duration.ofSeconds(j.getInteger("maxEvidenceAgeSeconds"));
          maxAge = age.compareTo(maxAge) < 0 ? age : maxAge;
        }
      } catch (ClassCastException | CertificateException | NullPointerException e) {
        throw new IOException(
            "trust file "
                + f
                + ": measurements must be hex strings, simulatedRoots PEM "
                + "certificates, maxEvidenceAgeSeconds a number");
      }
    }
    EnclaveTrust base =
        roots.isEmpty()
            ? EnclaveTrust.amd(measurements)
            : EnclaveTrust.simulated(TrustAnchors.trustSimulatedRoots(roots), measurements);
    try {
      LogTrust log = null;
      if (!logKeys.isEmpty()) {
        List<org.privateprocessing.tlog.CosignatureVerifier> witnesses = new ArrayList<>();
        for (String k : witnessKeys) {
          witnesses.add(org.privateprocessing.tlog.CosignatureVerifier.parse(k));
        }
        log =
            LogTrust.of(
                logKeys, new org.privateprocessing.tlog.WitnessPolicy(witnesses, threshold));
        // Beside the trust settings: the newest log checkpoint this machine's client has accepted.
        log.rememberingIn(stateDir(path).resolve("log-checkpoint"));
      }
      return new Loaded(base.withMaxAge(maxAge), roots.size(), files, log);
    } catch (IllegalArgumentException | org.privateprocessing.tlog.TlogException e) {
      throw new IOException("trust settings in " + path + ": " + e.getMessage());
    }
  }

  /**
   * The client state directory of the trust settings at {@code path}: {@code client-state} beside
   * the trust directory (or beside the directory of a trust file). It holds the newest log
   * checkpoint the client accepted and its unspent tokens ({@link TokenStore}).
   */
  public static Path stateDir(Path path) {
    Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
    return dir.resolveSibling("client-state");
  }

  /**
   * A trust fragment naming one simulated enclave's root and measurement (what a demo JVM writes).
   */
  public static JsonObject simulatedFragment(X509Certificate root, String measurementHex) {
    try {
      String pem =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(root.getEncoded())
              + "\n-----END CERTIFICATE-----\n";
      return new JsonObject()
          .put(
              "_comment",
              "DEMO ONLY: a simulated enclave's self-made root; whoever has its key can forge evidence")
          .put("measurements", new JsonArray().add(measurementHex))
          .put("simulatedRoots", new JsonArray().add(pem));
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
