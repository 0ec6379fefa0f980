package org.privateprocessing.ohttp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 9180's labeled HKDF and base-mode key schedule (sections 4 and 5.1) and the resulting context
 * (section 5.2), composed on {@link JdkSymmetric}. The RFC 9180 vector tests run it byte for byte;
 * the cross-check test runs it against BouncyCastle's.
 */
final class HpkeKeySchedule {
  private static final byte[] HPKE_V1 = ascii("HPKE-v1");
  private static final byte[] EMPTY = new byte[0];
  private static final byte[] MODE_BASE = {0x00};
  private static final byte[] LABEL_EAE_PRK = ascii("eae_prk");
  private static final byte[] LABEL_SHARED_SECRET = ascii("shared_secret");
  private static final byte[] LABEL_PSK_ID_HASH = ascii("psk_id_hash");
  private static final byte[] LABEL_INFO_HASH = ascii("info_hash");
  private static final byte[] LABEL_SECRET = ascii("secret");
  private static final byte[] LABEL_KEY = ascii("key");
  private static final byte[] LABEL_BASE_NONCE = ascii("base_nonce");
  private static final byte[] LABEL_EXP = ascii("exp");
  private static final byte[] LABEL_SEC = ascii("sec");

  private final JdkSymmetric jdk;

  HpkeKeySchedule(JdkSymmetric jdk) {
    this.jdk = jdk;
  }

  /** suite_id of a KEM: "KEM" || I2OSP(kem_id, 2) (RFC 9180 section 4.1). */
  static byte[] kemSuiteId(int kemId) {
    return new byte[] {'K', 'E', 'M', (byte) (kemId >>> 8), (byte) kemId};
  }

  /** suite_id of HPKE: "HPKE" || kem_id || kdf_id || aead_id (RFC 9180 section 5.1). */
  static byte[] hpkeSuiteId(int kemId, int kdfId, int aeadId) {
    return new byte[] {
      'H',
      'P',
      'K',
      'E',
      (byte) (kemId >>> 8),
      (byte) kemId,
      (byte) (kdfId >>> 8),
      (byte) kdfId,
      (byte) (aeadId >>> 8),
      (byte) aeadId
    };
  }

  /** LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite_id || label || ikm). */
  static byte[] labeledExtract(Mac mac, byte[] suiteId, byte[] salt, byte[] label, byte[] ikm) {
    return JdkSymmetric.extract(mac, salt, HPKE_V1, suiteId, label, ikm);
  }

  /**
   * LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label
   * || info, L).
   */
  static byte[] labeledExpand(
      Mac mac, byte[] suiteId, byte[] prk, byte[] label, byte[] info, int length) {
    byte[] l = {(byte) (length >>> 8), (byte) length};
    return JdkSymmetric.expand(mac, prk, length, l, HPKE_V1, suiteId, label, info);
  }

  /**
   * DHKEM's ExtractAndExpand(dh, kem_context) (RFC 9180 section 4.1) for DHKEM(X25519,
   * HKDF-SHA256): the 32-byte shared secret. {@code kemContext} is enc || pkR, in two parts.
   */
  byte[] dhkemSharedSecret(Mac mac, byte[] dh, byte[] enc, byte[] pkR) {
    byte[] suiteId = kemSuiteId(HpkeIds.KEM_X25519_HKDF_SHA256);
    byte[] eaePrk = labeledExtract(mac, suiteId, EMPTY, LABEL_EAE_PRK, dh);
    try {
      byte[] kemContext = new byte[enc.length + pkR.length];
      System.arraycopy(enc, 0, kemContext, 0, enc.length);
      System.arraycopy(pkR, 0, kemContext, enc.length, pkR.length);
      return labeledExpand(mac, suiteId, eaePrk, LABEL_SHARED_SECRET, kemContext, 32);
    } finally {
      Arrays.fill(eaePrk, (byte) 0);
    }
  }

  /**
   * KeySchedule(mode_base, shared_secret, info, default_psk, default_psk_id) (RFC 9180 section
   * 5.1): the context's key, base nonce and exporter secret. Zeroes {@code sharedSecret}.
   */
  Context keySchedule(Mac mac, int kemId, int kdfId, int aeadId, byte[] sharedSecret, byte[] info) {
    byte[] suiteId = hpkeSuiteId(kemId, kdfId, aeadId);
    byte[] secret = null;
    byte[] key = null;
    try {
      byte[] pskIdHash = labeledExtract(mac, suiteId, EMPTY, LABEL_PSK_ID_HASH, EMPTY);
      byte[] infoHash = labeledExtract(mac, suiteId, EMPTY, LABEL_INFO_HASH, info);
      byte[] context = new byte[1 + pskIdHash.length + infoHash.length];
      context[0] = MODE_BASE[0];
      System.arraycopy(pskIdHash, 0, context, 1, pskIdHash.length);
      System.arraycopy(infoHash, 0, context, 1 + pskIdHash.length, infoHash.length);
      secret = labeledExtract(mac, suiteId, sharedSecret, LABEL_SECRET, EMPTY);
      key = labeledExpand(mac, suiteId, secret, LABEL_KEY, context, Hpke.aeadKeyLength(aeadId));
      byte[] baseNonce = labeledExpand(mac, suiteId, secret, LABEL_BASE_NONCE, context, Hpke.NN);
      byte[] exporterSecret =
          labeledExpand(mac, suiteId, secret, LABEL_EXP, context, JdkSymmetric.NH);
      return new Context(aeadId, suiteId, jdk.aeadKey(aeadId, key), baseNonce, exporterSecret);
    } finally {
      Arrays.fill(sharedSecret, (byte) 0);
      if (secret != null) {
        Arrays.fill(secret, (byte) 0);
      }
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  /** The encryption context of RFC 9180 section 5.2 on the JDK's AEADs. */
  final class Context extends Hpke.Context {
    private final int aeadId;
    private final byte[] suiteId;
    private final SecretKeySpec key;
    private final byte[] baseNonce;
    private final byte[] exporterSecret;
    private long seq;

    private Context(
        int aeadId, byte[] suiteId, SecretKeySpec key, byte[] baseNonce, byte[] exporterSecret) {
      this.aeadId = aeadId;
      this.suiteId = suiteId;
      this.key = key;
      this.baseNonce = baseNonce;
      this.exporterSecret = exporterSecret;
    }

    // ComputeNonce(seq) = base_nonce XOR I2OSP(seq, Nn); seq < 2^63 here, far below 2^96 - 1.
    private byte[] nonce() {
      if (seq == Long.MAX_VALUE) {
        throw new IllegalStateException("message limit reached");
      }
      byte[] nonce = baseNonce.clone();
      for (int i = 0; i < 8; i++) {
        nonce[Hpke.NN - 1 - i] ^= (byte) (seq >>> (8 * i));
      }
      return nonce;
    }

    @Override
    synchronized byte[] seal(byte[] aad, byte[] plaintext) {
      byte[] ct = jdk.seal(aeadId, key, nonce(), aad, plaintext);
      seq++;
      return ct;
    }

    @Override
    synchronized byte[] open(byte[] aad, byte[] ciphertext) {
      if (ciphertext.length < Hpke.NT) {
        return null;
      }
      byte[] pt;
      try {
        pt = jdk.open(aeadId, key, nonce(), aad, ciphertext);
      } catch (RuntimeException e) {
        return null;
      }
      if (pt != null) {
        seq++;
      }
      return pt;
    }

    @Override
    byte[] export(byte[] exporterContext, int length) {
      return labeledExpand(
          jdk.newMac(), suiteId, exporterSecret, LABEL_SEC, exporterContext, length);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
