package org.privateprocessing.token;

import java.security.SecureRandom;

/** The client side of issuance for either token type, behind one single-use interface. */
public final class TokenIssuance {
  private TokenIssuance() {}

  /** A token request in flight: send {@link #request()} to the issuer, finish with its response. */
  public interface Pending {
    TokenRequest request();

    /** Checks the issuer's answer (signature or proof) and unblinds it into a token. */
    Token finish(TokenResponse response) throws TokenException;
  }

  /**
   * Blinds a fresh token for {@code challenge} under the issuer's {@code tokenKey} (as published in
   * its directory). Blinding happens here, on the client: the issuer never sees the token.
   */
  public static Pending begin(byte[] tokenKey, TokenChallenge challenge, SecureRandom random)
      throws TokenException {
    switch (challenge.tokenType()) {
      case TokenTypes.BLIND_RSA_2048:
        {
          BlindRsaTokenClient.Pending p =
              BlindRsaTokenClient.begin(BlindRsaKeys.parseTokenKey(tokenKey), challenge, random);
          return new Pending() {
            @Override
            public TokenRequest request() {
              return p.request();
            }

            @Override
            public Token finish(TokenResponse response) throws TokenException {
              return p.finish(response);
            }
          };
        }
      case TokenTypes.VOPRF_P384:
        {
          VoprfTokenClient.Pending p = VoprfTokenClient.begin(tokenKey, challenge, random);
          return new Pending() {
            @Override
            public TokenRequest request() {
              return p.request();
            }

            @Override
            public Token finish(TokenResponse response) throws TokenException {
              return p.finish(response);
            }
          };
        }
      default:
        throw new TokenException(
            TokenException.Reason.UNSUPPORTED_TYPE,
            "token type " + challenge.tokenType() + " is not supported");
    }
  }
}
