package org.privateprocessing.token;

import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import javax.crypto.Cipher;

/**
 * Issuer side of token type 0x0002, RFC 9578 section 6.2: signs blinded messages with one RSA-2048
 * key. Thread-safe (one initialised RSA cipher per thread).
 */
public final class BlindRsaIssuer {
  private final RSAPublicKey publicKey;
  private final byte[] tokenKey;
  private final byte[] tokenKeyId;
  private final int truncatedTokenKeyId;
  private final ThreadLocal<Cipher> rsa;

  /**
   * @param key an RSA-2048 key pair (a CRT private key keeps signing fast)
   * @throws IllegalArgumentException when the keys are not RSA, not 2048 bits or do not match
   */
  public BlindRsaIssuer(KeyPair key) {
    Objects.requireNonNull(key, "key");
    if (!(key.getPublic() instanceof RSAPublicKey pk)
        || !(key.getPrivate() instanceof RSAPrivateKey sk)) {
      throw new IllegalArgumentException("token type 0x0002 needs an RSA key pair");
    }
    BlindRsaKeys.requireTokenKeySize(pk);
    if (!pk.getModulus().equals(sk.getModulus())) {
      throw new IllegalArgumentException("public and private keys do not match");
    }
    this.publicKey = pk;
    this.tokenKey = BlindRsaKeys.encodeTokenKey(pk);
    this.tokenKeyId = TokenKeyIds.tokenKeyId(tokenKey);
    this.truncatedTokenKeyId = TokenKeyIds.truncated(tokenKeyId);
    this.rsa = ThreadLocal.withInitial(() -> BlindRsa.rsaPrivate(sk));
  }

  /**
   * The token key to publish (issuer directory, challenges): the RFC 9578 section 6.5 SPKI; a copy.
   */
  public byte[] tokenKey() {
    return tokenKey.clone();
  }

  /** SHA-256 of {@link #tokenKey()}; a copy. */
  public byte[] tokenKeyId() {
    return tokenKeyId.clone();
  }

  /** The last byte of the token key id, which requests name. */
  public int truncatedTokenKeyId() {
    return truncatedTokenKeyId;
  }

  /** The public key. */
  public RSAPublicKey publicKey() {
    return publicKey;
  }

  /**
   * BlindSign of the request's blinded message, RFC 9578 section 6.2.
   *
   * @throws TokenException UNSUPPORTED_TYPE for a request of another token type, UNKNOWN_KEY when
   *     its truncated token key id is not this key's, MALFORMED when the blinded message is not
   *     below the modulus
   */
  public TokenResponse issue(TokenRequest request) throws TokenException {
    Objects.requireNonNull(request, "request");
    if (request.tokenType() != TokenTypes.BLIND_RSA_2048) {
      throw new TokenException(
          TokenException.Reason.UNSUPPORTED_TYPE,
          "issuer signs token type 0x0002, not " + TokenTypes.hex(request.tokenType()));
    }
    if (request.truncatedTokenKeyId() != truncatedTokenKeyId) {
      throw new TokenException(
          TokenException.Reason.UNKNOWN_KEY, "request names another token key");
    }
    return new TokenResponse(BlindRsa.blindSign(rsa.get(), publicKey, request.blindedMsgView()));
  }

  @Override
  public String toString() {
    return "BlindRsaIssuer[truncatedTokenKeyId=" + truncatedTokenKeyId + "]";
  }
}
