package org.privateprocessing.enclave;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import org.privateprocessing.core.ConfigBinder;
import org.privateprocessing.core.ConfigBinder.Key;
import org.privateprocessing.core.ConfigException;
import org.privateprocessing.core.Profile;

/**
 * How an enclave proves itself ({@code "attestation"} section of a role config).
 *
 * <pre>{@code
 * "attestation": {"provider": "configfs-tsm", "configfsPath": "/sys/kernel/config/tsm",
 *                 "evidenceRefresh": "60s", "tlsHost": "127.0.0.1", "tlsPort": 8443}
 * }</pre>
 *
 * @param provider {@value #CONFIGFS_TSM} (SEV-SNP hardware) or {@value #SIMULATED} (same report
 *     format, signed by a root made at start; only with {@code "profile": "demo"})
 * @param evidenceRefreshSeconds (key {@code evidenceRefresh}, a duration) how often the enclave
 *     makes a new report: clients refuse evidence older than their own bound (5 minutes by
 *     default), so this must stay well below it
 * @param tlsPort the RA-TLS listener's port; 0 takes a free port, -1 turns the listener off
 * @param simulatedRootDir where the demo keeps its simulated root (ARK and ASK), so the trust it
 *     hands out survives restarts ({@code <dataDir>/simulated-root}, set by the node); null makes
 *     one per process
 */
public record AttestationOptions(
    @Key(derived = true) String provider,
    Path configfsPath,
    @Key(
            name = "evidenceRefresh",
            unit = ChronoUnit.SECONDS,
            min = 1,
            max = 240,
            was = "evidenceRefreshSeconds")
        int evidenceRefreshSeconds,
    String tlsHost,
    @Key(min = -1, max = 65535) int tlsPort,
    Path simulatedRootDir) {
  public static final String SIMULATED = "simulated";
  public static final String CONFIGFS_TSM = "configfs-tsm";

  /** Every key's default; the provider depends on the profile. */
  public static final AttestationOptions DEFAULTS =
      new AttestationOptions(
          CONFIGFS_TSM, Path.of("/sys/kernel/config/tsm"), 60, "127.0.0.1", 8443, null);

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
          "attestation.evidenceRefresh: 1s to 240s "
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
    if (j.getValue("provider") == null) {
      j = j.copy().put("provider", profile == Profile.DEMO ? SIMULATED : CONFIGFS_TSM);
    }
    AttestationOptions options =
        ConfigBinder.bind("attestation", j, AttestationOptions.class, DEFAULTS);
    if (SIMULATED.equals(options.provider()) && profile != Profile.DEMO) {
      throw new ConfigException(
          "attestation.provider",
          "simulated attestation is allowed only with "
              + "\"profile\": \"demo\"; on SEV-SNP hardware use \""
              + CONFIGFS_TSM
              + "\"");
    }
    return options;
  }
}
