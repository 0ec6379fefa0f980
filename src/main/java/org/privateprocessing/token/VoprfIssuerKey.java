package org.privateprocessing.token;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import org.privateprocessing.token.voprf.VoprfException;
import org.privateprocessing.token.voprf.VoprfP384;

/**
 * Token type 0x0001 (RFC 9578 section 5), VOPRF(P-384, SHA-384): the issuer evaluates the blinded
 * token input and proves (DLEQ) it used the published key; a token is checked by evaluating the PRF
 * on its input with the secret key and comparing.
 */
final class VoprfIssuerKey implements IssuerKey {
  private final VoprfP384.KeyPair key;
  private final byte[] tokenKeyId;
  private final SecureRandom random = new SecureRandom();

  VoprfIssuerKey(VoprfP384.KeyPair key) {
    this.key = key;
    this.tokenKeyId = TokenKeyIds.tokenKeyId(key.publicKey());
  }

  @Override
  public int tokenType() {
    return TokenTypes.VOPRF_P384;
  }

  @Override
  public byte[] tokenKey() {
    return key.publicKey().clone();
  }

  @Override
  public byte[] tokenKeyId() {
    return tokenKeyId.clone();
  }

  /** RFC 9578 section 5.2: evaluate_msg || evaluate_proof. */
  @Override
  public TokenResponse issue(TokenRequest request) throws TokenException {
    if (request.tokenType() != TokenTypes.VOPRF_P384) {
      throw new TokenException(
          TokenException.Reason.UNSUPPORTED_TYPE, "request is not for token type 0x0001");
    }
    if (request.truncatedTokenKeyId() != TokenKeyIds.truncated(tokenKeyId)) {
      throw new TokenException(
          TokenException.Reason.UNKNOWN_KEY, "request is for another token key");
    }
    try {
      VoprfP384.Evaluation evaluation =
          VoprfP384.blindEvaluate(key, List.of(request.blindedMsg()), random);
      ByteArrayOutputStream body =
          new ByteArrayOutputStream(VoprfP384.ELEMENT_LENGTH + VoprfP384.PROOF_LENGTH);
      body.writeBytes(evaluation.evaluatedElements().get(0));
      body.writeBytes(evaluation.proof());
      return TokenResponse.parse(TokenTypes.VOPRF_P384, body.toByteArray());
    } catch (VoprfException e) {
      throw new TokenException(
          TokenException.Reason.MALFORMED, "blinded element refused: " + e.reason());
    }
  }

  @Override
  public boolean verify(Token token) {
    if (token.tokenType() != TokenTypes.VOPRF_P384
        || !MessageDigest.isEqual(token.tokenKeyId(), tokenKeyId)) {
      return false;
    }
    try {
      return MessageDigest.isEqual(
          VoprfP384.evaluate(key.secretKey(), token.authenticatorInput()), token.authenticator());
    } catch (VoprfException e) {
      return false;
    }
  }
}
