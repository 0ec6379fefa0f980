package org.privateprocessing.ohttp;

import java.util.Arrays;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;

/**
 * The X-Wing KEM of draft-connolly-cfrg-xwing-kem (-06 onwards: SHAKE256 key expansion, label last
 * in the combiner; what BouncyCastle 1.87 implements) composed from BouncyCastle's ML-KEM-768,
 * libsodium's X25519 and BouncyCastle's SHA-3, so that the X25519 half runs in libsodium:
 * BouncyCastle's own X-Wing calls its Java X25519 directly ({@code XWingKEMGenerator.computeSSX})
 * and offers no way to plug another one in.
 *
 * <p>This is the draft's composition and nothing more (sections 5.2 to 5.5): the key expansion
 * SHAKE256(seed, 96), ML-KEM-768 KeyGen/EncapsDerand/Decaps from BouncyCastle, X25519 from
 * libsodium, and the combiner SHA3-256(ss_M || ss_X || ct_X || pk_X || XWingLabel). XWingVectorTest
 * runs the draft's test vectors (also those of its -08 Appendix C) on it and on BouncyCastle's
 * X-Wing; HpkeCrossCheckTest runs it against BouncyCastle's through HPKE.
 */
final class XWing {
  /** Encapsulation key (public key) length: pk_M (1184) || pk_X (32). */
  static final int PUBLIC_KEY_LENGTH = 1216;

  /** Ciphertext (HPKE enc) length: ct_M (1088) || ct_X (32). */
  static final int CIPHERTEXT_LENGTH = 1120;

  private static final int PK_M_LENGTH = 1184;
  private static final int CT_M_LENGTH = 1088;
  private static final int X = Libsodium.X25519_BYTES;

  /** "\./" || "/^\" (draft section 5.3). */
  private static final byte[] LABEL = {0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c};

  private XWing() {}

  /** An expanded decapsulation key (draft section 5.5.1): ML-KEM-768 key, X25519 scalar, pk. */
  static final class DecapsulationKey {
    final MLKEMPrivateKeyParameters mlkem;
    final Libsodium.Scalar x25519;
    final byte[] publicKeyX;
    final byte[] publicKey;

    private DecapsulationKey(
        MLKEMPrivateKeyParameters mlkem,
        Libsodium.Scalar x25519,
        byte[] publicKeyX,
        byte[] publicKey) {
      this.mlkem = mlkem;
      this.x25519 = x25519;
      this.publicKeyX = publicKeyX;
      this.publicKey = publicKey;
    }
  }

  /**
   * expandDecapsulationKey(seed): SHAKE256(seed, 96) gives the ML-KEM-768 seed d || z (64 bytes)
   * and sk_X (32 bytes); pk = pk_M || X25519(sk_X, 9).
   */
  static DecapsulationKey expand(byte[] seed) {
    byte[] expanded = new byte[96];
    SHAKEDigest shake = new SHAKEDigest(256);
    shake.update(seed, 0, seed.length);
    shake.doFinal(expanded, 0, expanded.length);
    byte[] mlkemSeed = Arrays.copyOfRange(expanded, 0, 64);
    byte[] skX = Arrays.copyOfRange(expanded, 64, 96);
    Arrays.fill(expanded, (byte) 0);
    try {
      MLKEMPrivateKeyParameters mlkem =
          new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, mlkemSeed);
      byte[] pkX = Libsodium.x25519Base(skX);
      byte[] pkM = mlkem.getPublicKeyParameters().getEncoded();
      byte[] pk = new byte[PUBLIC_KEY_LENGTH];
      System.arraycopy(pkM, 0, pk, 0, PK_M_LENGTH);
      System.arraycopy(pkX, 0, pk, PK_M_LENGTH, X);
      return new DecapsulationKey(mlkem, new Libsodium.Scalar(skX), pkX, pk);
    } finally {
      Arrays.fill(mlkemSeed, (byte) 0);
      Arrays.fill(skX, (byte) 0);
    }
  }

  /** The shared secret and ciphertext of one encapsulation. */
  record Encapsulation(byte[] sharedSecret, byte[] ciphertext) {}

  /**
   * EncapsulateDerand(pk, eseed) (draft section 5.4.1): ML-KEM-768 with m = eseed[0:32], X25519
   * with the ephemeral scalar eseed[32:64].
   *
   * @throws IllegalStateException when pk_X is a point of small order
   */
  static Encapsulation encapsulate(byte[] pk, byte[] eseed) {
    MLKEMPublicKeyParameters pkM =
        new MLKEMPublicKeyParameters(
            MLKEMParameters.ml_kem_768, Arrays.copyOfRange(pk, 0, PK_M_LENGTH));
    byte[] pkX = Arrays.copyOfRange(pk, PK_M_LENGTH, PUBLIC_KEY_LENGTH);
    byte[] m = Arrays.copyOfRange(eseed, 0, 32);
    byte[] ekX = Arrays.copyOfRange(eseed, 32, 64);
    byte[] ssX = new byte[X];
    byte[] ssM = null;
    try {
      byte[] ctX = Libsodium.x25519Base(ekX);
      if (!Libsodium.x25519(ssX, ekX, pkX)) {
        throw new IllegalStateException("X-Wing: X25519 public key of small order");
      }
      SecretWithEncapsulation mlkem = MLKEMGenerator.internalGenerateEncapsulated(pkM, m);
      ssM = mlkem.getSecret();
      byte[] ctM = mlkem.getEncapsulation();
      byte[] ct = new byte[CIPHERTEXT_LENGTH];
      System.arraycopy(ctM, 0, ct, 0, CT_M_LENGTH);
      System.arraycopy(ctX, 0, ct, CT_M_LENGTH, X);
      return new Encapsulation(combine(ssM, ssX, ctX, pkX), ct);
    } finally {
      Arrays.fill(m, (byte) 0);
      Arrays.fill(ekX, (byte) 0);
      Arrays.fill(ssX, (byte) 0);
      if (ssM != null) {
        Arrays.fill(ssM, (byte) 0);
      }
    }
  }

  /**
   * Decapsulate(ct, sk) (draft section 5.5) with the expanded key. ML-KEM's implicit rejection
   * turns a tampered ct_M into an unrelated secret, so that case fails later at the AEAD.
   *
   * @throws IllegalStateException when ct_X is a point of small order
   */
  static byte[] decapsulate(DecapsulationKey key, byte[] ct) {
    byte[] ctM = Arrays.copyOfRange(ct, 0, CT_M_LENGTH);
    byte[] ctX = Arrays.copyOfRange(ct, CT_M_LENGTH, CIPHERTEXT_LENGTH);
    byte[] ssX = new byte[X];
    byte[] ssM = null;
    try {
      if (!Libsodium.x25519(ssX, key.x25519, ctX)) {
        throw new IllegalStateException("X-Wing: X25519 ciphertext of small order");
      }
      ssM = new MLKEMExtractor(key.mlkem).extractSecret(ctM);
      return combine(ssM, ssX, ctX, key.publicKeyX);
    } finally {
      Arrays.fill(ssX, (byte) 0);
      if (ssM != null) {
        Arrays.fill(ssM, (byte) 0);
      }
    }
  }

  /** Combiner(ss_M, ss_X, ct_X, pk_X) (draft section 5.3). */
  private static byte[] combine(byte[] ssM, byte[] ssX, byte[] ctX, byte[] pkX) {
    SHA3Digest sha3 = new SHA3Digest(256);
    sha3.update(ssM, 0, ssM.length);
    sha3.update(ssX, 0, ssX.length);
    sha3.update(ctX, 0, ctX.length);
    sha3.update(pkX, 0, pkX.length);
    sha3.update(LABEL, 0, LABEL.length);
    byte[] ss = new byte[32];
    sha3.doFinal(ss, 0);
    return ss;
  }
}
