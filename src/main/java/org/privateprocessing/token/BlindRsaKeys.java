package org.privateprocessing.token;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Issuer keys of token type 0x0002 (RFC 9578 section 6): RSA 2048 with e = 65537, and their
 * encoding as the token key that clients fetch and hash into the token key id.
 */
public final class BlindRsaKeys {
  /** Modulus size of token type 0x0002, RFC 9578 section 6. */
  public static final int MODULUS_BITS = 2048;

  /**
   * AlgorithmIdentifier { id-RSASSA-PSS, RSASSA-PSS-params { hashAlgorithm sha384, maskGenAlgorithm
   * mgf1(sha384), saltLength 48 } }, DER, as RFC 9578 section 6.5 fixes it (hash
   * AlgorithmIdentifiers without NULL parameters; trailerField left at its default).
   */
  private static final byte[] PSS_ALGORITHM_IDENTIFIER =
      HexFormat.of()
          .parseHex(
              "303d06092a864886f70d01010a3030a00d300b0609608648016503040202a11a301806092a864886f70d010108"
                  + "300b0609608648016503040202a203020130");

  private BlindRsaKeys() {}

  /** A fresh 2048-bit RSA key pair with e = 65537. */
  public static KeyPair generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(new RSAKeyGenParameterSpec(MODULUS_BITS, RSAKeyGenParameterSpec.F4), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation is a mandatory JDK algorithm", e);
    }
  }

  /**
   * A key pair from a PEM "PRIVATE KEY" (PKCS#8, rsaEncryption), as in the RFC 9578 vectors' {@code
   * skS}; the public key is derived from the CRT private key.
   *
   * @throws IllegalArgumentException when the text is not such a key (the message names no key
   *     bytes)
   */
  public static KeyPair fromPkcs8Pem(String pem) {
    Objects.requireNonNull(pem, "pem");
    String begin = "-----BEGIN PRIVATE KEY-----";
    String end = "-----END PRIVATE KEY-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end);
    if (b < 0 || e < b) {
      throw new IllegalArgumentException("not a PEM PRIVATE KEY");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
      KeyFactory kf = KeyFactory.getInstance("RSA");
      if (!(kf.generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof RSAPrivateCrtKey sk)) {
        throw new IllegalArgumentException("PKCS#8 key lacks the CRT parameters");
      }
      RSAPublicKey pk =
          (RSAPublicKey)
              kf.generatePublic(new RSAPublicKeySpec(sk.getModulus(), sk.getPublicExponent()));
      return new KeyPair(pk, sk);
    } catch (GeneralSecurityException | IllegalArgumentException ex) {
      throw new IllegalArgumentException("not an RSA PKCS#8 private key");
    }
  }

  /**
   * The RFC 9578 token key: DER SubjectPublicKeyInfo with the id-RSASSA-PSS OID and SHA-384 /
   * MGF1-SHA-384 / salt 48 parameters (RFC 9578 section 6.5), exactly as the vectors' pkS.
   */
  public static byte[] encodeTokenKey(RSAPublicKey key) {
    Objects.requireNonNull(key, "key");
    byte[] rsaPublicKey =
        der(0x30, concat(integer(key.getModulus()), integer(key.getPublicExponent())));
    byte[] bitString = der(0x03, concat(new byte[] {0}, rsaPublicKey));
    return der(0x30, concat(PSS_ALGORITHM_IDENTIFIER, bitString));
  }

  /**
   * Parses a token key of type 0x0002: exactly the {@link #encodeTokenKey} encoding (canonical DER,
   * the PSS parameters above) of a 2048-bit modulus with an odd exponent above 1. A key under the
   * plain rsaEncryption OID is refused: RFC 9578 section 6.5 binds the key to PSS with these
   * parameters, and the token key id is the hash of these exact bytes.
   *
   * @throws TokenException MALFORMED otherwise
   */
  public static RSAPublicKey parseTokenKey(byte[] spki) throws TokenException {
    Objects.requireNonNull(spki, "spki");
    BigInteger n;
    BigInteger e;
    try {
      SubjectPublicKeyInfo info =
          SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(spki));
      if (!MessageDigest.isEqual(
          info.getAlgorithm().getEncoded(ASN1Encoding.DER), PSS_ALGORITHM_IDENTIFIER)) {
        throw malformed("token key is not an RSASSA-PSS SHA-384 key with salt length 48");
      }
      org.bouncycastle.asn1.pkcs.RSAPublicKey rsa =
          org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(info.parsePublicKey());
      n = rsa.getModulus();
      e = rsa.getPublicExponent();
    } catch (TokenException ex) {
      throw ex;
    } catch (Exception ex) {
      // BouncyCastle reports bad DER with IOException, IllegalArgumentException or others.
      throw malformed("token key is not a DER SubjectPublicKeyInfo");
    }
    if (n.bitLength() != MODULUS_BITS) {
      throw malformed("token key modulus must be " + MODULUS_BITS + " bits");
    }
    if (!n.testBit(0)) {
      // A product of two odd primes is odd; blinding relies on it (odd-modulus inversion).
      throw malformed("token key modulus is even, so not an RSA modulus");
    }
    if (!e.testBit(0) || e.compareTo(BigInteger.ONE) <= 0 || e.compareTo(n) >= 0) {
      throw malformed("token key exponent is not valid");
    }
    RSAPublicKey key;
    try {
      key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    } catch (GeneralSecurityException ex) {
      throw malformed("token key rejected by the JDK");
    }
    if (!MessageDigest.isEqual(encodeTokenKey(key), spki)) {
      throw malformed("token key is not in canonical DER");
    }
    return key;
  }

  /** Throws IllegalArgumentException unless the key has the type-2 modulus size. */
  static void requireTokenKeySize(RSAPublicKey key) {
    if (key.getModulus().bitLength() != MODULUS_BITS) {
      throw new IllegalArgumentException(
          "token type 0x0002 needs a " + MODULUS_BITS + "-bit RSA key");
    }
  }

  private static TokenException malformed(String what) {
    return new TokenException(TokenException.Reason.MALFORMED, what);
  }

  private static byte[] integer(BigInteger v) {
    return der(0x02, v.toByteArray()); // two's complement, minimal: what DER INTEGER wants
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 4);
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >>> 8);
      out.write(len);
    } else {
      out.write(0x83);
      out.write(len >>> 16);
      out.write(len >>> 8);
      out.write(len);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return Bytes.concat(a, b);
  }
}
