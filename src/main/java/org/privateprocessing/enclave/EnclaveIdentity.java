package org.privateprocessing.enclave;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.privateprocessing.ohttp.KeyConfig;

/**
 * Who an enclave is: its id and its inner-layer OHTTP keys ({@link InnerKeys}: generated when it
 * started, then rotated by {@link KeyRotation}). The private keys live only in this process's
 * memory: they are never written, logged or sent, so a restarted enclave is a new enclave with new
 * keys, and a retired key is zeroed.
 */
public final class EnclaveIdentity {
  private final String id;
  private final String measurement;
  private final InnerKeys keys;
  private final EnclaveAttestation attestation;

  private EnclaveIdentity(
      String id, String measurement, InnerKeys keys, EnclaveAttestation attestation) {
    this.id = Objects.requireNonNull(id, "id");
    this.measurement = measurement;
    this.keys = keys;
    this.attestation = attestation;
  }

  /** This identity, attested: the same keys, with the evidence that binds them. */
  public EnclaveIdentity withAttestation(EnclaveAttestation attestation) {
    Objects.requireNonNull(attestation, "attestation");
    return new EnclaveIdentity(id, attestation.measurementHex(), keys, attestation);
  }

  /** The attestation state, or null for an identity made without one (unit tests of the stages). */
  public EnclaveAttestation attestation() {
    return attestation;
  }

  /**
   * Generates fresh keys for an enclave. {@code measurement} is null until attestation provides one
   * (hex of the launch measurement).
   */
  public static EnclaveIdentity generate(String id, String measurement, SecureRandom random) {
    if (!id.matches("[0-9a-f]{2,64}")) {
      throw new IllegalArgumentException("enclave id must be 2 to 64 lower-case hex digits");
    }
    return new EnclaveIdentity(id, measurement, InnerKeys.generate(random), null);
  }

  /** A random 16-hex-digit id, for enclaves whose id is not set in config. */
  public static String randomId(SecureRandom random) {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  public String id() {
    return id;
  }

  /** Hex launch measurement, or null while the enclave is not attested. */
  public String measurement() {
    return measurement;
  }

  /** The inner keys, which rotate; shared by every copy of this identity. */
  public InnerKeys keys() {
    return keys;
  }

  /**
   * The public key configs accepted now, newest generation first and within one the preferred
   * (post-quantum) first.
   */
  public List<KeyConfig> keyConfigs() {
    return keys.configs();
  }

  @Override
  public String toString() {
    return "EnclaveIdentity[" + id + "]";
  }
}
