package org.privateprocessing.enclave;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.privateprocessing.attest.AttestationException;
import org.privateprocessing.attest.AttestationProvider;
import org.privateprocessing.attest.ConfigfsTsmProvider;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.LaunchImage;
import org.privateprocessing.attest.SimulatedSnpProvider;
import org.privateprocessing.attest.ratls.RaTlsCertificate;
import org.privateprocessing.attest.ratls.RaTlsSessionBinding;
import org.privateprocessing.core.BuildInfo;
import org.privateprocessing.core.MeasuredSettings;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.tlog.LogEntry;

/**
 * An enclave's attestation state: the provider (hardware or simulated), the TLS key made at start
 * (never written anywhere, like the OHTTP keys), and the current {@link EnclaveEvidence} binding
 * both keys, renewed every few seconds so clients can bound its age, and made anew for the new key
 * list each time the inner keys rotate ({@link #bind}). All methods here may block (reading the
 * jar, configfs I/O, RSA key generation): call them off the event loop.
 */
public final class EnclaveAttestation {
  private static final Logger LOG = Logger.getLogger(EnclaveAttestation.class.getName());

  private final AttestationProvider provider;
  private final Optional<X509Certificate> simulatedRoot;
  private final byte[] measurement;
  private final KeyPair tlsKey;
  private final AtomicReference<Snapshot> current = new AtomicReference<>();

  /**
   * The current evidence, the key configs it binds (in its order) and the RA-TLS certificate that
   * carries it: one value, so a reader never pairs a key list with evidence that binds another.
   */
  public record Snapshot(
      EnclaveEvidence evidence, List<KeyConfig> keyConfigs, X509Certificate certificate) {
    public Snapshot {
      keyConfigs = List.copyOf(keyConfigs);
    }
  }

  private EnclaveAttestation(
      AttestationProvider provider,
      Optional<X509Certificate> simulatedRoot,
      byte[] measurement,
      KeyPair tlsKey) {
    this.provider = provider;
    this.simulatedRoot = simulatedRoot;
    this.measurement = measurement;
    this.tlsKey = tlsKey;
  }

  /**
   * Sets up attestation for an enclave's keys and makes the first evidence. It takes the id and key
   * configs, not the enclave's identity: the identity holds the attestation made here, never the
   * other way round.
   *
   * @param enclaveId the enclave's id, named in the warning about simulated evidence
   * @param keyConfigs the enclave's inner-layer key configs, which the evidence binds
   * @param enclaveSection the enclave's config section: its measured part is part of the launch
   *     image
   * @throws AttestationException when no evidence can be made (no SEV-SNP here, say): the enclave
   *     must not start
   */
  public static EnclaveAttestation start(
      AttestationOptions options,
      String enclaveId,
      List<KeyConfig> keyConfigs,
      JsonObject enclaveSection,
      SecureRandom random,
      Instant now)
      throws AttestationException, IOException {
    KeyPair tls = tlsKey(random);
    EnclaveAttestation a;
    if (AttestationOptions.SIMULATED.equals(options.provider())) {
      byte[] measurement =
          LaunchImage.measure(
              MeasuredSettings.codeLocation(),
              MeasuredSettings.launchConfig(enclaveSection, MeasuredSettings.Jvm.running()));
      SimulatedSnpProvider simulated =
          options.simulatedRootDir() == null
              ? new SimulatedSnpProvider(measurement, random, now)
              : new SimulatedSnpProvider(
                  measurement,
                  random,
                  now,
                  SimulatedRootFile.readOrCreate(options.simulatedRootDir(), random, now));
      LOG.warning(
          "SIMULATED ATTESTATION (demo profile): enclave "
              + enclaveId
              + " reports are signed by a "
              + (options.simulatedRootDir() == null
                  ? "root made in this process"
                  : "root kept in " + options.simulatedRootDir())
              + ", not by AMD hardware. Clients accept them only if told to trust "
              + "this root explicitly; never use this profile for real data.");
      a = new EnclaveAttestation(simulated, Optional.of(simulated.ark()), measurement, tls);
    } else {
      ConfigfsTsmProvider hardware = new ConfigfsTsmProvider(options.configfsPath());
      a = new EnclaveAttestation(hardware, Optional.empty(), null, tls);
    }
    a.bind(keyConfigs, now);
    return a;
  }

  /** Makes new evidence for {@code now}, binding the same key configs, and makes it current. */
  public synchronized EnclaveEvidence refresh(Instant now) throws AttestationException {
    return bind(current.get().keyConfigs(), now);
  }

  /**
   * Makes new evidence for {@code now} binding exactly {@code keyConfigs} (in this order) and makes
   * it current: how a rotation of the inner keys is attested ({@link KeyRotation}). Serialised with
   * {@link #refresh}, so a refresh never puts back evidence for an older key list.
   */
  public synchronized EnclaveEvidence bind(List<KeyConfig> keyConfigs, Instant now)
      throws AttestationException {
    EnclaveEvidence e =
        EnclaveEvidence.produce(provider, KeyConfigs.encode(keyConfigs), tlsKey.getPublic(), now);
    // The RA-TLS certificate carries the same evidence; it lives a little longer than a refresh
    // period.
    X509Certificate cert = RaTlsCertificate.create(tlsKey, e, now, java.time.Duration.ofHours(1));
    current.set(new Snapshot(e, keyConfigs, cert));
    return e;
  }

  /** The current evidence with the key configs it binds and its RA-TLS certificate. */
  public Snapshot snapshot() {
    return current.get();
  }

  /**
   * Fresh session evidence binding one RA-TLS session: this enclave's current keys, {@code now},
   * the client's nonce and the session's channel binding ({@link RaTlsSessionBinding},
   * docs/RA-TLS.md). Blocks for a hardware report.
   */
  public EnclaveEvidence bindSession(byte[] clientNonce, byte[] channelBinding, Instant now)
      throws AttestationException {
    return RaTlsSessionBinding.produce(
        provider,
        KeyConfigs.encode(current.get().keyConfigs()),
        tlsKey.getPublic(),
        clientNonce,
        channelBinding,
        now);
  }

  /** The RA-TLS certificate carrying the current evidence (docs/RA-TLS.md). */
  public X509Certificate certificate() {
    return current.get().certificate();
  }

  public EnclaveEvidence evidence() {
    return current.get().evidence();
  }

  /** Hex MEASUREMENT, as the current report states it. */
  public String measurementHex() {
    try {
      return LaunchImage.hex(
          org.privateprocessing.attest.SnpReport.parse(evidence().report()).measurement());
    } catch (org.privateprocessing.attest.SnpFormatException e) {
      throw new IllegalStateException("the provider returned a report that does not parse", e);
    }
  }

  public KeyPair tlsKey() {
    return tlsKey;
  }

  /** The self-made root of simulated evidence, for the demo's explicit trust; empty on hardware. */
  public Optional<X509Certificate> simulatedRoot() {
    return simulatedRoot;
  }

  private static KeyPair tlsKey(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is required of every Java platform", e);
    }
  }

  /**
   * This enclave's own release, for the demo's log: its measurement, and the version, source commit
   * and build time the build wrote into the jar's manifest ({@link BuildInfo}), so every host that
   * builds the same commit publishes the same entry. Run from classes (a development build): "dev",
   * "unknown" and the code's modification time (stable across restarts of one build, so the entry
   * is appended once). Blocking (reads the jar).
   */
  public static LogEntry.EnclaveRelease demoRelease(String measurementHex) {
    BuildInfo build = BuildInfo.running();
    if (!build.development()) {
      return new LogEntry.EnclaveRelease(
          measurementHex, build.version(), build.sourceCommit(), build.buildTimestamp());
    }
    Instant built;
    try {
      built =
          Files.getLastModifiedTime(MeasuredSettings.codeLocation())
              .toInstant()
              .truncatedTo(ChronoUnit.SECONDS);
    } catch (IOException e) {
      built = Instant.EPOCH;
    }
    return new LogEntry.EnclaveRelease(
        measurementHex, build.version(), build.sourceCommit(), built);
  }
}
