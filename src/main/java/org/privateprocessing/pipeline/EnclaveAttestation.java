package org.privateprocessing.pipeline;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.privateprocessing.attest.AttestationException;
import org.privateprocessing.attest.AttestationProvider;
import org.privateprocessing.attest.ConfigfsTsmProvider;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.LaunchImage;
import org.privateprocessing.attest.SimulatedSnpProvider;
import org.privateprocessing.attest.ratls.RaTlsCertificate;
import org.privateprocessing.ohttp.KeyConfigs;

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

  private EnclaveAttestation(AttestationProvider provider, Optional<X509Certificate> simulatedRoot,
      byte[] measurement, KeyPair tlsKey, byte[] keyConfigs) {
    this.provider = provider;
    this.simulatedRoot = simulatedRoot;
    this.measurement = measurement;
    this.tlsKey = tlsKey;
    this.keyConfigs = keyConfigs;
  }

  /**
   * Sets up attestation for {@code identity} and makes the first evidence.
   *
   * @param enclaveSection the enclave's config section: its measured part is part of the launch image
   * @throws AttestationException when no evidence can be made (no SEV-SNP here, say): the enclave must not start
   */
  public static EnclaveAttestation start(AttestationOptions options, EnclaveIdentity identity,
      JsonObject enclaveSection, SecureRandom random, Instant now) throws AttestationException, IOException {
    KeyPair tls = tlsKey(random);
    byte[] configs = KeyConfigs.encode(identity.keyConfigs());
    EnclaveAttestation a;
    if (AttestationOptions.SIMULATED.equals(options.provider())) {
      byte[] measurement = LaunchImage.measure(codeLocation(), measuredConfig(enclaveSection));
      SimulatedSnpProvider simulated = new SimulatedSnpProvider(measurement, random, now);
      LOG.warning("SIMULATED ATTESTATION (demo profile): enclave " + identity.id() + " reports are signed by a "
          + "root made in this process, not by AMD hardware. Clients accept them only if told to trust "
          + "this root explicitly; never use this profile for real data.");
      a = new EnclaveAttestation(simulated, Optional.of(simulated.ark()), measurement, tls, configs);
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
    // The RA-TLS certificate carries the same evidence; it lives a little longer than a refresh period.
    certificate.set(RaTlsCertificate.create(tlsKey, e, now, java.time.Duration.ofHours(1)));
    current.set(e);
    return e;
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
      return LaunchImage.hex(org.privateprocessing.attest.SnpReport.parse(current.get().report()).measurement());
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

  /** Where this enclave's code was loaded from: the jar, or a class directory in development. */
  public static Path codeLocation() throws IOException {
    try {
      return Path.of(EnclaveAttestation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
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
  public static byte[] measuredConfig(JsonObject enclaveSection) {
    JsonObject section = enclaveSection == null ? new JsonObject() : enclaveSection;
    JsonObject measured = new JsonObject();
    // Absent and default must measure alike, or a config that spells out the default is a new release.
    measured.put("model", section.getValue("model", EnclaveOptions.EMBEDDED));
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

  private static KeyPair tlsKey(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is required of every Java platform", e);
    }
  }
}
