package org.privateprocessing.ohttp;

/**
 * Which HPKE backend this JVM chose (once, when the package first did HPKE work): for benchmarks
 * and diagnostics that must know whether they measured libsodium or the BouncyCastle fallback. The
 * choice itself is made and logged by the package; see {@code -Dpp.crypto} in docs/PERFORMANCE.md.
 */
public final class OhttpCrypto {
  private OhttpCrypto() {}

  /** {@code libsodium} (X25519 from libsodium, symmetric from the JDK) or {@code bouncycastle}. */
  public static String backend() {
    return Hpke.backend().name();
  }

  /** One line: the backend and, for libsodium, its version and file. */
  public static String description() {
    return Hpke.backend().toString();
  }
}
