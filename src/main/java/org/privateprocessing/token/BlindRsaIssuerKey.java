package org.privateprocessing.token;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;

/** Token type 0x0002 (RFC 9578 section 6) as an {@link IssuerKey}. */
final class BlindRsaIssuerKey implements IssuerKey {
  private final BlindRsaIssuer issuer;
  private final BlindRsaTokenVerifier verifier;
  private final byte[] tokenKey;
  private final byte[] tokenKeyId;

  BlindRsaIssuerKey(KeyPair keyPair) {
    this.issuer = new BlindRsaIssuer(keyPair);
    RSAPublicKey pub = (RSAPublicKey) keyPair.getPublic();
    this.verifier = new BlindRsaTokenVerifier(pub);
    this.tokenKey = BlindRsaKeys.encodeTokenKey(pub);
    this.tokenKeyId = TokenKeyIds.tokenKeyId(tokenKey);
  }

  BlindRsaIssuerKey(RSAPublicKey publicKey) {
    this.issuer = null;
    this.verifier = new BlindRsaTokenVerifier(publicKey);
    this.tokenKey = BlindRsaKeys.encodeTokenKey(publicKey);
    this.tokenKeyId = TokenKeyIds.tokenKeyId(tokenKey);
  }

  @Override
  public int tokenType() {
    return TokenTypes.BLIND_RSA_2048;
  }

  @Override
  public byte[] tokenKey() {
    return tokenKey.clone();
  }

  @Override
  public byte[] tokenKeyId() {
    return tokenKeyId.clone();
  }

  @Override
  public TokenResponse issue(TokenRequest request) throws TokenException {
    if (issuer == null) {
      throw new TokenException(
          TokenException.Reason.UNKNOWN_KEY, "this key can verify but not issue");
    }
    return issuer.issue(request);
  }

  @Override
  public boolean verify(Token token) {
    return token.tokenType() == TokenTypes.BLIND_RSA_2048
        && java.security.MessageDigest.isEqual(token.tokenKeyId(), tokenKeyId)
        && verifier.verify(token);
  }
}
