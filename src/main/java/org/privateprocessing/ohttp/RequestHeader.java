package org.privateprocessing.ohttp;

import java.util.Objects;

/**
 * The clear header that starts every encapsulated request, RFC 9458 section 4.3:
 *
 * <pre>
 * hdr = concat(encode(1, key_id), encode(2, kem_id), encode(2, kdf_id), encode(2, aead_id))
 * </pre>
 *
 * <p>The one parser of these 7 bytes: the gateway's and the enclave's decapsulation, the enclave's
 * check before decryption and the client's encapsulation all read or write it here. It names the
 * key and the algorithms and nothing else, so it is safe to inspect (and to name in errors) before
 * any decryption.
 *
 * @param keyId the key configuration's identifier, 0..255
 * @param kemId the HPKE KEM identifier, 16 bits
 * @param kdfId the HPKE KDF identifier, 16 bits
 * @param aeadId the HPKE AEAD identifier, 16 bits
 */
public record RequestHeader(int keyId, int kemId, int kdfId, int aeadId) {
  /** Key id (1), KEM id (2), KDF id (2), AEAD id (2). */
  public static final int LENGTH = 7;

  public RequestHeader {
    if (keyId < 0 || keyId > 0xFF) {
      throw new IllegalArgumentException("key id is an 8-bit value");
    }
    if (kemId < 0
        || kemId > 0xFFFF
        || kdfId < 0
        || kdfId > 0xFFFF
        || aeadId < 0
        || aeadId > 0xFFFF) {
      throw new IllegalArgumentException("KEM, KDF and AEAD ids are 16-bit values");
    }
  }

  /** The header of a request sealed to {@code config} with {@code suite}. */
  public static RequestHeader of(KeyConfig config, SymmetricSuite suite) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(suite, "suite");
    return new RequestHeader(config.keyId(), config.kemId(), suite.kdfId(), suite.aeadId());
  }

  /**
   * Parses exactly one header: {@code header} must be {@value #LENGTH} bytes.
   *
   * @throws OhttpException {@code TRUNCATED} if shorter, {@code MALFORMED} if longer
   */
  public static RequestHeader parse(byte[] header) throws OhttpException {
    Objects.requireNonNull(header, "header");
    if (header.length > LENGTH) {
      throw new OhttpException(
          OhttpException.Reason.MALFORMED,
          "request header is " + LENGTH + " bytes, not " + header.length);
    }
    return read(header);
  }

  /**
   * Reads the header at the start of an encapsulated request ({@code hdr || enc || ct}); the bytes
   * after it are not looked at.
   *
   * @throws OhttpException {@code TRUNCATED} if the request is shorter than {@value #LENGTH} bytes
   */
  public static RequestHeader read(byte[] encapsulatedRequest) throws OhttpException {
    Objects.requireNonNull(encapsulatedRequest, "encapsulatedRequest");
    if (encapsulatedRequest.length < LENGTH) {
      throw new OhttpException(
          OhttpException.Reason.TRUNCATED, "encapsulated request header needs 7 bytes");
    }
    return new RequestHeader(
        encapsulatedRequest[0] & 0xFF,
        KeyConfig.u16(encapsulatedRequest, 1),
        KeyConfig.u16(encapsulatedRequest, 3),
        KeyConfig.u16(encapsulatedRequest, 5));
  }

  /** The {@value #LENGTH} wire bytes; also the tail of the HPKE info string (section 4.3). */
  public byte[] encode() {
    return new byte[] {
      (byte) keyId,
      (byte) (kemId >>> 8),
      (byte) kemId,
      (byte) (kdfId >>> 8),
      (byte) kdfId,
      (byte) (aeadId >>> 8),
      (byte) aeadId
    };
  }

  /** The (KDF, AEAD) pair the client chose. */
  public SymmetricSuite suite() {
    return new SymmetricSuite(kdfId, aeadId);
  }

  /**
   * Refuses a header that {@code config} cannot open: another key id, another KEM, or a suite this
   * package cannot run or the configuration does not offer. The checks a gateway makes before it
   * spends any work on decryption (RFC 9458 section 4.3).
   *
   * @throws OhttpException {@code UNKNOWN_KEY_ID}, {@code UNSUPPORTED_KEM} or {@code
   *     UNSUPPORTED_SUITE}
   */
  public void requireMatches(KeyConfig config) throws OhttpException {
    Objects.requireNonNull(config, "config");
    if (keyId != config.keyId()) {
      throw new OhttpException(
          OhttpException.Reason.UNKNOWN_KEY_ID,
          "request is sealed to key id " + keyId + ", not " + config.keyId());
    }
    if (kemId != config.kemId()) {
      throw new OhttpException(
          OhttpException.Reason.UNSUPPORTED_KEM,
          "request uses "
              + HpkeIds.kemName(kemId)
              + " but key "
              + keyId
              + " is "
              + HpkeIds.kemName(config.kemId()));
    }
    SymmetricSuite suite = suite();
    if (!suite.isSupported() || !config.offers(suite)) {
      throw new OhttpException(
          OhttpException.Reason.UNSUPPORTED_SUITE,
          "suite " + suite + " not offered by key " + keyId);
    }
  }

  @Override
  public String toString() {
    return "RequestHeader[keyId=" + keyId + ", " + HpkeIds.kemName(kemId) + ", " + suite() + "]";
  }
}
