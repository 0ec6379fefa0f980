package org.privateprocessing.attest;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * The roots a {@link SnpVerifier} accepts a VCEK chain from. {@link #amdOnly()} (the default of
 * every {@code SnpVerifier.verify} overload without this argument) accepts only AMD's shipped ARKs
 * ({@link AmdProduct}). {@link #trustSimulatedRoot(X509Certificate)} additionally accepts one
 * explicitly named, locally generated root, such as the one of a {@link SimulatedSnpProvider}:
 * evidence chained to it proves nothing about hardware and must only be trusted in development.
 * Without that explicit setting simulated evidence is refused with {@link Check#SIMULATED_ROOT}.
 * Immutable.
 */
public final class TrustAnchors {
  /** CN of the ASK that issues simulated VCEKs; never an AMD name. */
  public static final String SIMULATED_ASK_CN = "SEV-SIMULATED";
  /** CN of the simulated root. */
  public static final String SIMULATED_ARK_CN = "SIMULATED-ARK";

  private static final TrustAnchors AMD_ONLY = new TrustAnchors(null);

  private final X509Certificate simulatedRoot;

  private TrustAnchors(X509Certificate simulatedRoot) {
    this.simulatedRoot = simulatedRoot;
  }

  /** Only AMD's shipped roots: the production setting. */
  public static TrustAnchors amdOnly() {
    return AMD_ONLY;
  }

  /**
   * AMD's roots and, explicitly, this simulated root. Development only: whoever holds the root's
   * key can sign any report.
   */
  public static TrustAnchors trustSimulatedRoot(X509Certificate simulatedArk) {
    Objects.requireNonNull(simulatedArk, "simulatedArk");
    return new TrustAnchors(simulatedArk);
  }

  /** The explicitly trusted simulated root, if any. */
  public Optional<X509Certificate> simulatedRoot() {
    return Optional.ofNullable(simulatedRoot);
  }

  boolean isSimulatedRoot(X509Certificate ark) {
    try {
      return simulatedRoot != null && java.util.Arrays.equals(simulatedRoot.getEncoded(), ark.getEncoded());
    } catch (CertificateEncodingException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return simulatedRoot == null ? "TrustAnchors[AMD only]"
        : "TrustAnchors[AMD + SIMULATED root " + simulatedRoot.getSubjectX500Principal().getName() + "]";
  }
}
