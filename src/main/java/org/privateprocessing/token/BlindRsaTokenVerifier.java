package org.privateprocessing.token;

import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;

/**
 * Redemption-side verification of token type 0x0002 (RFC 9578 section 6.4): the authenticator is an
 * RSASSA-PSS signature (SHA-384, MGF1-SHA-384, salt length 48) over the token's first 98 bytes,
 * under the key whose id the token names. Publicly verifiable: only the public key is needed.
 *
 * <p>Thread-safe: each thread keeps one initialised {@link Signature}, so the key is parsed and the
 * PSS parameters are set once per thread, not per token.
 */
public final class BlindRsaTokenVerifier {
  private final byte[] tokenKeyId;
  private final ThreadLocal<Signature> verifier;

  /**
   * @throws IllegalArgumentException when the key is not 2048 bits
   */
  public BlindRsaTokenVerifier(RSAPublicKey key) {
    Objects.requireNonNull(key, "key");
    BlindRsaKeys.requireTokenKeySize(key);
    this.tokenKeyId = TokenKeyIds.tokenKeyId(BlindRsaKeys.encodeTokenKey(key));
    this.verifier =
        ThreadLocal.withInitial(() -> BlindRsa.pssVerifier(key, BlindRsa.PSS_SALT_LENGTH));
  }

  /** SHA-256 of the key's token key encoding; a copy. */
  public byte[] tokenKeyId() {
    return tokenKeyId.clone();
  }

  /**
   * Whether the token is of type 0x0002, names this key and carries a valid signature. Never throws
   * for a bad token: any failure is {@code false}. Does not check the challenge; see {@link
   * #verify(Token, TokenChallenge)}.
   */
  public boolean verify(Token token) {
    if (token == null
        || token.tokenType() != TokenTypes.BLIND_RSA_2048
        || !MessageDigest.isEqual(token.tokenKeyIdView(), tokenKeyId)) {
      return false;
    }
    Signature s = verifier.get();
    try {
      return BlindRsa.verify(s, token.authenticatorInput(), token.authenticatorView());
    } catch (RuntimeException e) {
      // Leave no half-used verifier behind on an unexpected provider failure.
      verifier.remove();
      return false;
    }
  }

  /**
   * {@link #verify(Token)} plus the origin's check that the token answers {@code challenge} (RFC
   * 9577 section 2.2.2: the challenge digest matches and the types agree).
   */
  public boolean verify(Token token, TokenChallenge challenge) {
    return token != null && challenge != null && token.isFor(challenge) && verify(token);
  }
}
