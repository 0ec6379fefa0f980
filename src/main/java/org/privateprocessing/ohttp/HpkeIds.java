package org.privateprocessing.ohttp;

/**
 * HPKE algorithm identifiers used by this package (RFC 9180 section 7, IANA "HPKE" registry).
 *
 * <p>X-Wing (0x647A) is the hybrid ML-KEM-768 + X25519 KEM from draft-connolly-cfrg-xwing-kem,
 * registered for HPKE; it is offered so that request confidentiality survives a future quantum
 * adversary that records traffic today.
 */
public final class HpkeIds {
  /** DHKEM(X25519, HKDF-SHA256), RFC 9180 section 7.1. */
  public static final int KEM_X25519_HKDF_SHA256 = 0x0020;

  /** X-Wing hybrid post-quantum KEM. */
  public static final int KEM_X_WING = 0x647A;

  /** HKDF-SHA256, RFC 9180 section 7.2. */
  public static final int KDF_HKDF_SHA256 = 0x0001;

  /** AES-128-GCM, RFC 9180 section 7.3. */
  public static final int AEAD_AES_128_GCM = 0x0001;

  /** ChaCha20Poly1305, RFC 9180 section 7.3. */
  public static final int AEAD_CHACHA20_POLY1305 = 0x0003;

  private HpkeIds() {}

  /** Human-readable KEM name for diagnostics; unknown ids are shown in hex. */
  public static String kemName(int kemId) {
    switch (kemId) {
      case KEM_X25519_HKDF_SHA256:
        return "DHKEM(X25519, HKDF-SHA256)";
      case KEM_X_WING:
        return "X-Wing";
      default:
        return String.format("KEM(0x%04X)", kemId);
    }
  }

  /** Human-readable AEAD name for diagnostics; unknown ids are shown in hex. */
  public static String aeadName(int aeadId) {
    switch (aeadId) {
      case AEAD_AES_128_GCM:
        return "AES-128-GCM";
      case AEAD_CHACHA20_POLY1305:
        return "ChaCha20Poly1305";
      default:
        return String.format("AEAD(0x%04X)", aeadId);
    }
  }

  /** Human-readable KDF name for diagnostics; unknown ids are shown in hex. */
  public static String kdfName(int kdfId) {
    return kdfId == KDF_HKDF_SHA256 ? "HKDF-SHA256" : String.format("KDF(0x%04X)", kdfId);
  }
}
