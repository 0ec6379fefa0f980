package org.privateprocessing.token;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.privateprocessing.token.voprf.VoprfException;
import org.privateprocessing.token.voprf.VoprfP384;

/** Client side of token type 0x0001 issuance (RFC 9578 section 5.1 and 5.3). */
public final class VoprfTokenClient {
  private VoprfTokenClient() {}

  public static Pending begin(byte[] issuerTokenKey, TokenChallenge challenge, SecureRandom random)
      throws TokenException {
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    try {
      return begin(
          issuerTokenKey,
          challenge,
          nonce,
          VoprfP384.blind(tokenInput(issuerTokenKey, challenge.digest(), nonce), random));
    } catch (VoprfException e) {
      throw new TokenException(
          TokenException.Reason.MALFORMED, "token input could not be blinded: " + e.reason());
    }
  }

  /** With a fixed nonce and blind scalar, for the RFC 9578 vectors. */
  public static Pending begin(
      byte[] issuerTokenKey, TokenChallenge challenge, byte[] nonce, byte[] blind)
      throws TokenException {
    try {
      return begin(
          issuerTokenKey,
          challenge,
          nonce,
          VoprfP384.blind(tokenInput(issuerTokenKey, challenge.digest(), nonce), blind));
    } catch (VoprfException e) {
      throw new TokenException(
          TokenException.Reason.MALFORMED, "token input could not be blinded: " + e.reason());
    }
  }

  private static Pending begin(
      byte[] tokenKey, TokenChallenge challenge, byte[] nonce, VoprfP384.Blinded blinded) {
    if (challenge.tokenType() != TokenTypes.VOPRF_P384) {
      throw new IllegalArgumentException("challenge is not for token type 0x0001");
    }
    return new Pending(tokenKey, challenge.digest(), nonce, blinded);
  }

  /** token_type || nonce || challenge_digest || token_key_id: what the authenticator covers. */
  static byte[] tokenInput(byte[] tokenKey, byte[] challengeDigest, byte[] nonce) {
    ByteArrayOutputStream in = new ByteArrayOutputStream(98);
    in.write(0);
    in.write(TokenTypes.VOPRF_P384);
    in.writeBytes(nonce);
    in.writeBytes(challengeDigest);
    in.writeBytes(TokenKeyIds.tokenKeyId(tokenKey));
    return in.toByteArray();
  }

  /** A request in flight; opens exactly one response. */
  public static final class Pending {
    private final byte[] tokenKey;
    private final byte[] challengeDigest;
    private final byte[] nonce;
    private final VoprfP384.Blinded blinded;
    private final AtomicBoolean used = new AtomicBoolean();

    private Pending(
        byte[] tokenKey, byte[] challengeDigest, byte[] nonce, VoprfP384.Blinded blinded) {
      this.tokenKey = tokenKey.clone();
      this.challengeDigest = challengeDigest;
      this.nonce = nonce.clone();
      this.blinded = blinded;
    }

    public TokenRequest request() {
      byte[] keyId = TokenKeyIds.tokenKeyId(tokenKey);
      return new TokenRequest(
          TokenTypes.VOPRF_P384, TokenKeyIds.truncated(keyId), blinded.blindedElement());
    }

    /** Verifies the issuer's proof and unblinds: the token, or INVALID_PROOF. */
    public Token finish(TokenResponse response) throws TokenException {
      if (!used.compareAndSet(false, true)) {
        throw new IllegalStateException("a token request finishes once");
      }
      byte[] body = response.encode();
      if (body.length != VoprfP384.ELEMENT_LENGTH + VoprfP384.PROOF_LENGTH) {
        throw new TokenException(
            TokenException.Reason.MALFORMED, "type 0x0001 response must be 145 bytes");
      }
      byte[] evaluated = Arrays.copyOfRange(body, 0, VoprfP384.ELEMENT_LENGTH);
      byte[] proof = Arrays.copyOfRange(body, VoprfP384.ELEMENT_LENGTH, body.length);
      byte[] input = tokenInput(tokenKey, challengeDigest, nonce);
      try {
        byte[] output =
            VoprfP384.finalize(
                    tokenKey,
                    List.of(input),
                    List.of(blinded),
                    new VoprfP384.Evaluation(List.of(evaluated), proof))
                .get(0);
        return new Token(
            TokenTypes.VOPRF_P384,
            nonce,
            challengeDigest,
            TokenKeyIds.tokenKeyId(tokenKey),
            output);
      } catch (VoprfException e) {
        throw new TokenException(
            e.reason() == VoprfException.Reason.INVALID_PROOF
                ? TokenException.Reason.INVALID_PROOF
                : TokenException.Reason.MALFORMED,
            "issuer response refused: " + e.reason());
      }
    }
  }
}
