package org.privateprocessing.enclave;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import org.privateprocessing.core.Profile;

/**
 * How an enclave proves itself ({@code "attestation"} section of a role config).
 *
 * <pre>{@code
 * "attestation": {"provider": "configfs-tsm", "configfsPath": "/sys/kernel/config/tsm",
 *                 "evidenceRefreshSeconds": 60, "tlsHost": "127.0.0.1", "tlsPort": 8443}
 * }</pre>
 *
 * @param provider {@value #CONFIGFS_TSM} (SEV-SNP hardware) or {@value #SIMULATED} (same report
 *     format, signed by a root made at start; only with {@code "profile": "demo"})
 * @param evidenceRefreshSeconds how often the enclave makes a new report: clients refuse evidence
 *     older than their own bound (5 minutes by default), so this must stay well below it
 * @param tlsPort the RA-TLS listener's port; 0 takes a free port, -1 turns the listener off
 * @param simulatedRootDir where the demo keeps its simulated root (ARK and ASK), so the trust it
 *     hands out survives restarts ({@code <dataDir>/simulated-root}, set by the node); null makes
 *     one per process
 */
public record AttestationOptions(
    String provider,
    Path configfsPath,
    int evidenceRefreshSeconds,
    String tlsHost,
    int tlsPort,
    Path simulatedRootDir) {
  public static final String SIMULATED = "simulated";
  public static final String CONFIGFS_TSM = "configfs-tsm";
  private static final Set<String> KEYS =
      Set.of("provider", "configfsPath", "evidenceRefreshSeconds", "tlsHost", "tlsPort");

  /** Settings with a simulated root made per process. */
  public AttestationOptions(
      String provider, Path configfsPath, int evidenceRefreshSeconds, String tlsHost, int tlsPort) {
    this(provider, configfsPath, evidenceRefreshSeconds, tlsHost, tlsPort, null);
  }

  /** The same settings with the simulated root kept in {@code dir}. */
  public AttestationOptions withSimulatedRootDir(Path dir) {
    return new AttestationOptions(
        provider, configfsPath, evidenceRefreshSeconds, tlsHost, tlsPort, dir);
  }

  public AttestationOptions {
    if (!SIMULATED.equals(provider) && !CONFIGFS_TSM.equals(provider)) {
      throw new IllegalArgumentException(
          "attestation.provider: '" + provider + "' is not " + CONFIGFS_TSM + " or " + SIMULATED);
    }
    if (evidenceRefreshSeconds < 1 || evidenceRefreshSeconds > 240) {
      throw new IllegalArgumentException(
          "attestation.evidenceRefreshSeconds: 1 to 240 "
              + "(clients refuse evidence older than 300 s by default)");
    }
    if (tlsPort < -1 || tlsPort > 65535) {
      throw new IllegalArgumentException(
          "attestation.tlsPort: -1 (off), 0 (any free port) or a port number");
    }
  }

  /**
   * Reads the section; the provider defaults to {@value #SIMULATED} in the demo profile and {@value
   * #CONFIGFS_TSM} otherwise, and {@value #SIMULATED} outside the demo profile is refused.
   */
  public static AttestationOptions fromJson(JsonObject json, Profile profile) {
    JsonObject j = json == null ? new JsonObject() : json;
    for (String key : j.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "attestation." + key + ": unknown setting (known: " + KEYS + ")");
      }
    }
    String provider = j.getString("provider", profile == Profile.DEMO ? SIMULATED : CONFIGFS_TSM);
    if (SIMULATED.equals(provider) && profile != Profile.DEMO) {
      throw new IllegalArgumentException(
          "attestation.provider: simulated attestation is allowed only with "
              + "\"profile\": \"demo\"; on SEV-SNP hardware use \""
              + CONFIGFS_TSM
              + "\"");
    }
    return new AttestationOptions(
        provider,
        Path.of(j.getString("configfsPath", "/sys/kernel/config/tsm")),
        j.getInteger("evidenceRefreshSeconds", 60),
        j.getString("tlsHost", "127.0.0.1"),
        j.getInteger("tlsPort", 8443));
  }
}
