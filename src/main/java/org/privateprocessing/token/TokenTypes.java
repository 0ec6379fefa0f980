package org.privateprocessing.token;

/**
 * Token type code points (RFC 9578 section 8.1, "Privacy Pass Token Types" registry) and the
 * per-type lengths every wire structure depends on.
 */
public final class TokenTypes {
  /** VOPRF(P-384, SHA-384), privately verifiable; RFC 9578 section 5. */
  public static final int VOPRF_P384 = 0x0001;

  /**
   * Blind RSA (2048-bit), RSABSSA-SHA384-PSS-Deterministic, publicly verifiable; RFC 9578 section
   * 6.
   */
  public static final int BLIND_RSA_2048 = 0x0002;

  /** Ne for type 1: a compressed P-384 element (RFC 9497 section 4.4). */
  static final int VOPRF_ELEMENT_LENGTH = 49;

  /** Ns for type 1: a P-384 scalar; the DLEQ proof is two of them (RFC 9497 section 2.2.1). */
  static final int VOPRF_SCALAR_LENGTH = 48;

  /**
   * Nk = Nh for type 1 (SHA-384 output) and the modulus length for type 2 (RFC 9578 section 8.1).
   */
  private static final int VOPRF_NK = 48;

  private static final int BLIND_RSA_NK = 256;

  private TokenTypes() {}

  /** Whether this package can frame messages of {@code type}. */
  public static boolean isSupported(int type) {
    return type == VOPRF_P384 || type == BLIND_RSA_2048;
  }

  /**
   * Nk, the length of a token's authenticator (RFC 9578 section 8.1): 48 for type 1, 256 for type
   * 2.
   *
   * @throws IllegalArgumentException for an unsupported type
   */
  public static int authenticatorLength(int type) {
    switch (type) {
      case VOPRF_P384:
        return VOPRF_NK;
      case BLIND_RSA_2048:
        return BLIND_RSA_NK;
      default:
        throw new IllegalArgumentException("unsupported token type " + hex(type));
    }
  }

  /**
   * Length of a TokenRequest's blinded_msg: Ne = 49 for type 1 (RFC 9578 section 5.1), Nk = 256 for
   * type 2 (section 6.1).
   *
   * @throws IllegalArgumentException for an unsupported type
   */
  public static int blindedMessageLength(int type) {
    switch (type) {
      case VOPRF_P384:
        return VOPRF_ELEMENT_LENGTH;
      case BLIND_RSA_2048:
        return BLIND_RSA_NK;
      default:
        throw new IllegalArgumentException("unsupported token type " + hex(type));
    }
  }

  /**
   * Length of a TokenResponse: evaluate_msg (Ne = 49) || evaluate_proof (2 * Ns = 96) for type 1
   * (RFC 9578 section 5.2), blind_sig (Nk = 256) for type 2 (section 6.2).
   *
   * @throws IllegalArgumentException for an unsupported type
   */
  public static int responseLength(int type) {
    switch (type) {
      case VOPRF_P384:
        return VOPRF_ELEMENT_LENGTH + 2 * VOPRF_SCALAR_LENGTH;
      case BLIND_RSA_2048:
        return BLIND_RSA_NK;
      default:
        throw new IllegalArgumentException("unsupported token type " + hex(type));
    }
  }

  /** "0x0002"-style rendering for messages. */
  static String hex(int type) {
    return String.format("0x%04x", type);
  }
}
