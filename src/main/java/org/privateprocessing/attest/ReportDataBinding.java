package org.privateprocessing.attest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * What an enclave's 64-byte REPORT_DATA commits to: its inner OHTTP key configs, its TLS public key
 * and the client's nonce. REPORT_DATA = SHA-512 over
 *
 * <pre>
 * "private-processing/v1/report-data" || 0x00
 * || u32be(len(keyConfigs)) || keyConfigs   (the RFC 9540 "application/ohttp-keys" list bytes)
 * || u32be(len(tlsSpki))    || tlsSpki      (SubjectPublicKeyInfo DER of the TLS key)
 * || u32be(len(nonce))      || nonce        (empty when the client sent none)
 * </pre>
 *
 * The label separates this use of SHA-512 from any other; length prefixes make the split between
 * items unambiguous. SHA-512's 64 bytes fill REPORT_DATA exactly. Stateless and thread-safe.
 */
public final class ReportDataBinding {
  /** Domain-separation label, followed on the wire by one zero byte. */
  public static final String LABEL = "private-processing/v1/report-data";

  /** Length of REPORT_DATA (AMD SEV-SNP ABI, ATTESTATION_REPORT offset 0x050). */
  public static final int LENGTH = 64;

  private ReportDataBinding() {}

  /**
   * The bytes hashed by {@link #compute}; exposed to tests so the encoding can be checked by hand.
   */
  static byte[] encoding(byte[] keyConfigs, byte[] tlsSpki, byte[] nonce) {
    Objects.requireNonNull(keyConfigs, "keyConfigs");
    Objects.requireNonNull(tlsSpki, "tlsSpki");
    Objects.requireNonNull(nonce, "nonce");
    byte[] label = LABEL.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b =
        ByteBuffer.allocate(
            label.length + 1 + 12 + keyConfigs.length + tlsSpki.length + nonce.length);
    b.put(label).put((byte) 0);
    for (byte[] item : new byte[][] {keyConfigs, tlsSpki, nonce}) {
      b.putInt(item.length).put(item);
    }
    return b.array();
  }

  /** The 64-byte REPORT_DATA for these keys and nonce ({@code nonce} empty when there is none). */
  public static byte[] compute(byte[] keyConfigs, byte[] tlsSpki, byte[] nonce) {
    try {
      return MessageDigest.getInstance("SHA-512").digest(encoding(keyConfigs, tlsSpki, nonce));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required of every Java platform", e);
    }
  }

  /**
   * {@link #compute(byte[], byte[], byte[])} with the TLS key's SubjectPublicKeyInfo DER ({@code
   * getEncoded()}).
   */
  public static byte[] compute(byte[] keyConfigs, java.security.PublicKey tlsKey, byte[] nonce) {
    Objects.requireNonNull(tlsKey, "tlsKey");
    if (!"X.509".equals(tlsKey.getFormat())) {
      throw new IllegalArgumentException(
          "TLS key must encode as X.509 SubjectPublicKeyInfo, not " + tlsKey.getFormat());
    }
    return compute(keyConfigs, tlsKey.getEncoded(), nonce);
  }

  /**
   * True when {@code report}'s REPORT_DATA is the binding of these keys and nonce (constant time).
   */
  public static boolean matches(SnpReport report, byte[] keyConfigs, byte[] tlsSpki, byte[] nonce) {
    Objects.requireNonNull(report, "report");
    return MessageDigest.isEqual(report.reportData(), compute(keyConfigs, tlsSpki, nonce));
  }
}
