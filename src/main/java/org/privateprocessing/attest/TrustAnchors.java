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

  private static final TrustAnchors AMD_ONLY = new TrustAnchors(java.util.List.of());

  private final java.util.List<X509Certificate> simulatedRoots;

  private TrustAnchors(java.util.List<X509Certificate> simulatedRoots) {
    this.simulatedRoots = java.util.List.copyOf(simulatedRoots);
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
    return new TrustAnchors(java.util.List.of(simulatedArk));
  }

  /**
   * AMD's roots and, explicitly, each of these simulated roots (a local cluster runs one simulated
   * enclave per JVM, each with its own root). Development only.
   */
  public static TrustAnchors trustSimulatedRoots(
      java.util.Collection<X509Certificate> simulatedArks) {
    return new TrustAnchors(java.util.List.copyOf(simulatedArks));
  }

  /** The explicitly trusted simulated root when exactly one is trusted. */
  public Optional<X509Certificate> simulatedRoot() {
    return simulatedRoots.size() == 1 ? Optional.of(simulatedRoots.get(0)) : Optional.empty();
  }

  /** Every explicitly trusted simulated root. */
  public java.util.List<X509Certificate> simulatedRoots() {
    return simulatedRoots;
  }

  boolean isSimulatedRoot(X509Certificate ark) {
    try {
      byte[] der = ark.getEncoded();
      for (X509Certificate root : simulatedRoots) {
        if (java.util.Arrays.equals(root.getEncoded(), der)) {
          return true;
        }
      }
      return false;
    } catch (CertificateEncodingException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return simulatedRoots.isEmpty()
        ? "TrustAnchors[AMD only]"
        : "TrustAnchors[AMD + " + simulatedRoots.size() + " SIMULATED root(s)]";
  }
}
