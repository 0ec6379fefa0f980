package org.privateprocessing.token;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import org.privateprocessing.token.voprf.VoprfP384;

/**
 * One issuer key of either token type, as the issuer and a verifying gateway use it: what it
 * publishes (the token key and its id), how it signs a blinded request, and how it checks a
 * redeemed token. Type 0x0002 verifies with the public key alone; type 0x0001 needs the secret key,
 * so only a party holding it (the issuer, or a gateway it trusts with it) can verify.
 */
public interface IssuerKey {
  int tokenType();

  /** The token key as published in the issuer directory (RFC 9578 sections 5.5 and 6.5). */
  byte[] tokenKey();

  /** SHA-256 of {@link #tokenKey()}. */
  byte[] tokenKeyId();

  /**
   * Signs (type 2) or evaluates (type 1) a blinded request; refuses one for another type or key.
   */
  TokenResponse issue(TokenRequest request) throws TokenException;

  /**
   * Whether a token's authenticator is valid for this key; false, never an exception, otherwise.
   */
  boolean verify(Token token);

  static IssuerKey blindRsa(KeyPair keyPair) {
    return new BlindRsaIssuerKey(keyPair);
  }

  static IssuerKey voprf(VoprfP384.KeyPair keyPair) {
    return new VoprfIssuerKey(keyPair);
  }

  /** Type 2 with the public key only, for gateways that verify without the issuer's secrets. */
  static IssuerKey blindRsaVerifierOnly(RSAPublicKey key) {
    return new BlindRsaIssuerKey(key);
  }
}
