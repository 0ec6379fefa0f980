package org.privateprocessing.ohttp;

/**
 * A (KDF, AEAD) pair offered by a key configuration, RFC 9458 section 3.1 ("Symmetric Algorithms").
 * Identifiers are 16-bit; unknown ones may appear in parsed configurations and are simply never
 * selected.
 */
public record SymmetricSuite(int kdfId, int aeadId) {
  public static final SymmetricSuite HKDF_SHA256_AES_128_GCM =
      new SymmetricSuite(HpkeIds.KDF_HKDF_SHA256, HpkeIds.AEAD_AES_128_GCM);
  public static final SymmetricSuite HKDF_SHA256_CHACHA20_POLY1305 =
      new SymmetricSuite(HpkeIds.KDF_HKDF_SHA256, HpkeIds.AEAD_CHACHA20_POLY1305);

  public SymmetricSuite {
    if (kdfId < 0 || kdfId > 0xFFFF || aeadId < 0 || aeadId > 0xFFFF) {
      throw new IllegalArgumentException("KDF and AEAD ids are 16-bit values");
    }
  }

  /**
   * True when this package can run the suite (HKDF-SHA256 with AES-128-GCM or ChaCha20Poly1305).
   */
  public boolean isSupported() {
    return Hpke.isSupportedKdf(kdfId) && Hpke.isSupportedAead(aeadId);
  }

  @Override
  public String toString() {
    return HpkeIds.kdfName(kdfId) + "/" + HpkeIds.aeadName(aeadId);
  }
}
