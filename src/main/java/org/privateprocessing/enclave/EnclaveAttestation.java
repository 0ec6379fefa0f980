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
import org.privateprocessing.core.MeasuredSettings;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.tlog.LogEntry;

/**
 * An enclave's attestation state: the provider (hardware or simulated), the TLS key made at start
 * (never written anywhere, like the OHTTP keys), and the current {@link EnclaveEvidence} binding
 * both keys, renewed every few seconds so clients can bound its age. All methods here may block
 * (reading the jar, configfs I/O, RSA key generation): call them off the event loop.
 */
public final class EnclaveAttestation {
  private static final Logger LOG = Logger.getLogger(EnclaveAttestation.class.getName());

  private final AttestationProvider provider;
  private final Optional<X509Certificate> simulatedRoot;
  private final byte[] measurement;
  private final KeyPair tlsKey;
  private final byte[] keyConfigs;
  private final AtomicReference<EnclaveEvidence> current = new AtomicReference<>();
  private final AtomicReference<X509Certificate> certificate = new AtomicReference<>();

  private EnclaveAttestation(
      AttestationProvider provider,
      Optional<X509Certificate> simulatedRoot,
      byte[] measurement,
      KeyPair tlsKey,
      byte[] keyConfigs) {
    this.provider = provider;
    this.simulatedRoot = simulatedRoot;
    this.measurement = measurement;
    this.tlsKey = tlsKey;
    this.keyConfigs = keyConfigs;
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
    byte[] configs = KeyConfigs.encode(keyConfigs);
    EnclaveAttestation a;
    if (AttestationOptions.SIMULATED.equals(options.provider())) {
      byte[] measurement =
          LaunchImage.measure(MeasuredSettings.codeLocation(), MeasuredSettings.of(enclaveSection));
      SimulatedSnpProvider simulated = new SimulatedSnpProvider(measurement, random, now);
      LOG.warning(
          "SIMULATED ATTESTATION (demo profile): enclave "
              + enclaveId
              + " reports are signed by a "
              + "root made in this process, not by AMD hardware. Clients accept them only if told to trust "
              + "this root explicitly; never use this profile for real data.");
      a =
          new EnclaveAttestation(
              simulated, Optional.of(simulated.ark()), measurement, tls, configs);
    } else {
      ConfigfsTsmProvider hardware = new ConfigfsTsmProvider(options.configfsPath());
      a = new EnclaveAttestation(hardware, Optional.empty(), null, tls, configs);
    }
    a.refresh(now);
    return a;
  }

  /** Makes new evidence for {@code now} and makes it current. */
  public EnclaveEvidence refresh(Instant now) throws AttestationException {
    EnclaveEvidence e = EnclaveEvidence.produce(provider, keyConfigs, tlsKey.getPublic(), now);
    // The RA-TLS certificate carries the same evidence; it lives a little longer than a refresh
    // period.
    certificate.set(RaTlsCertificate.create(tlsKey, e, now, java.time.Duration.ofHours(1)));
    current.set(e);
    return e;
  }

  /**
   * Fresh session evidence binding one RA-TLS session: this enclave's keys, {@code now}, the
   * client's nonce and the session's channel binding ({@link RaTlsSessionBinding}, docs/RA-TLS.md).
   * Blocks for a hardware report.
   */
  public EnclaveEvidence bindSession(byte[] clientNonce, byte[] channelBinding, Instant now)
      throws AttestationException {
    return RaTlsSessionBinding.produce(
        provider, keyConfigs, tlsKey.getPublic(), clientNonce, channelBinding, now);
  }

  /** The RA-TLS certificate carrying the current evidence (docs/RA-TLS.md). */
  public X509Certificate certificate() {
    return certificate.get();
  }

  public EnclaveEvidence evidence() {
    return current.get();
  }

  /** Hex MEASUREMENT, as the current report states it. */
  public String measurementHex() {
    try {
      return LaunchImage.hex(
          org.privateprocessing.attest.SnpReport.parse(current.get().report()).measurement());
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
   * This enclave's own release, for the demo's log: its measurement, the jar's version ("dev"
   * without a manifest) and the code's modification time as build time (stable across restarts of
   * one build, so the entry is appended once). Blocking (reads the file time).
   */
  public static LogEntry.EnclaveRelease demoRelease(String measurementHex) {
    String version = EnclaveAttestation.class.getPackage().getImplementationVersion();
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
        measurementHex, version == null ? "dev" : version, "unknown", built);
  }
}
