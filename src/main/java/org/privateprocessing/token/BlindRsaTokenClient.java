package org.privateprocessing.token;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Client side of issuance for token type 0x0002, RFC 9578 section 6 (Blind RSA,
 * RSABSSA-SHA384-PSS-Deterministic, RFC 9474): {@link #begin} blinds the token input into a {@link
 * TokenRequest}; the returned single-use {@link Pending} turns the issuer's {@link TokenResponse}
 * into a verified {@link Token}.
 */
public final class BlindRsaTokenClient {
  /** Length of the client nonce, RFC 9578 section 6.1. */
  public static final int NONCE_LENGTH = 32;

  /** Length of the PSS salt, RFC 9474 section 5 (sLen = hLen = 48 for SHA-384). */
  public static final int SALT_LENGTH = BlindRsa.PSS_SALT_LENGTH;

  private BlindRsaTokenClient() {}

  /**
   * Starts issuance with fresh randomness: a 32-byte nonce, a 48-byte salt and a blind r drawn
   * uniformly from the invertible residues mod n.
   *
   * @throws TokenException UNSUPPORTED_TYPE when the challenge is not for token type 0x0002
   */
  public static Pending begin(RSAPublicKey issuerKey, TokenChallenge challenge, SecureRandom random)
      throws TokenException {
    Objects.requireNonNull(issuerKey, "issuerKey");
    Objects.requireNonNull(random, "random");
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    byte[] salt = new byte[SALT_LENGTH];
    random.nextBytes(salt);
    BigInteger r = BlindRsa.randomBlind(issuerKey.getModulus(), random);
    return start(issuerKey, challenge, nonce, salt, r);
  }

  /**
   * Starts issuance with fixed randomness, for test vectors.
   *
   * @param nonce the 32-byte client nonce (vector field {@code nonce})
   * @param salt the 48-byte PSS salt (vector field {@code salt})
   * @param blind the blind r itself, big-endian, 256 bytes: the RFC 9578 Appendix A.2 {@code blind}
   *     field. Note it is r, not inv = r^-1 mod n as the RFC 9474 vectors print; blinded_msg =
   *     encoded_msg * r^e mod n, and the response is unblinded with r^-1.
   * @throws TokenException UNSUPPORTED_TYPE when the challenge is not for token type 0x0002
   * @throws IllegalArgumentException for wrong lengths, or a blind not invertible mod n
   */
  public static Pending begin(
      RSAPublicKey issuerKey, TokenChallenge challenge, byte[] nonce, byte[] salt, byte[] blind)
      throws TokenException {
    Objects.requireNonNull(issuerKey, "issuerKey");
    Bytes.copyOf(nonce, NONCE_LENGTH, "nonce");
    Bytes.copyOf(salt, SALT_LENGTH, "salt");
    Objects.requireNonNull(blind, "blind");
    if (blind.length != BlindRsa.modulusLength(issuerKey)) {
      throw new IllegalArgumentException("blind must be as long as the modulus");
    }
    return start(issuerKey, challenge, nonce.clone(), salt.clone(), Bytes.os2ip(blind));
  }

  private static Pending start(
      RSAPublicKey issuerKey, TokenChallenge challenge, byte[] nonce, byte[] salt, BigInteger r)
      throws TokenException {
    Objects.requireNonNull(challenge, "challenge");
    BlindRsaKeys.requireTokenKeySize(issuerKey);
    if (challenge.tokenType() != TokenTypes.BLIND_RSA_2048) {
      throw new TokenException(
          TokenException.Reason.UNSUPPORTED_TYPE,
          "challenge is for token type " + TokenTypes.hex(challenge.tokenType()));
    }
    byte[] tokenKeyId = TokenKeyIds.tokenKeyId(BlindRsaKeys.encodeTokenKey(issuerKey));
    byte[] challengeDigest = challenge.digest();
    // token_input = token_type || nonce || challenge_digest || token_key_id (RFC 9578 section 6.1);
    // the Deterministic variant's Prepare is the identity (RFC 9474 section 4.1).
    byte[] tokenInput =
        new Token(
                TokenTypes.BLIND_RSA_2048,
                nonce,
                challengeDigest,
                tokenKeyId,
                new byte[TokenTypes.authenticatorLength(TokenTypes.BLIND_RSA_2048)])
            .authenticatorInput();
    BlindRsa.Blinded blinded = BlindRsa.blind(issuerKey, tokenInput, salt, r);
    TokenRequest request =
        new TokenRequest(
            TokenTypes.BLIND_RSA_2048, TokenKeyIds.truncated(tokenKeyId), blinded.blindedMsg());
    return new Pending(
        issuerKey, nonce, challengeDigest, tokenKeyId, tokenInput, blinded.inv(), request);
  }

  /**
   * An issuance in progress: the request to send and the state to finalize exactly one response.
   * Single use: {@link #finish} may be called once, whatever its outcome. Thread-safe.
   */
  public static final class Pending {
    private final RSAPublicKey issuerKey;
    private final byte[] nonce;
    private final byte[] challengeDigest;
    private final byte[] tokenKeyId;
    private final byte[] tokenInput;
    private final BigInteger inv;
    private final TokenRequest request;
    private final AtomicBoolean used = new AtomicBoolean();

    private Pending(
        RSAPublicKey issuerKey,
        byte[] nonce,
        byte[] challengeDigest,
        byte[] tokenKeyId,
        byte[] tokenInput,
        BigInteger inv,
        TokenRequest request) {
      this.issuerKey = issuerKey;
      this.nonce = nonce;
      this.challengeDigest = challengeDigest;
      this.tokenKeyId = tokenKeyId;
      this.tokenInput = tokenInput;
      this.inv = inv;
      this.request = request;
    }

    /** The TokenRequest to send to the issuer (media type {@link MediaTypes#TOKEN_REQUEST}). */
    public TokenRequest request() {
      return request;
    }

    /**
     * Finalize, RFC 9578 section 6.3 / RFC 9474 section 4.4: unblinds the signature, verifies it
     * under the issuer key and returns the token.
     *
     * @throws TokenException MALFORMED for a response of the wrong length, INVALID_SIGNATURE when
     *     the unblinded signature does not verify
     * @throws IllegalStateException when called a second time
     */
    public Token finish(TokenResponse response) throws TokenException {
      Objects.requireNonNull(response, "response");
      if (used.getAndSet(true)) {
        throw new IllegalStateException("an issuance is finished once");
      }
      byte[] blindSig = response.bodyView();
      if (blindSig.length != TokenTypes.responseLength(TokenTypes.BLIND_RSA_2048)) {
        throw new TokenException(
            TokenException.Reason.MALFORMED, "token response must be 256 bytes");
      }
      byte[] authenticator =
          BlindRsa.finalizeSignature(
              issuerKey, tokenInput, BlindRsa.PSS_SALT_LENGTH, blindSig, inv);
      return new Token(
          TokenTypes.BLIND_RSA_2048, nonce, challengeDigest, tokenKeyId, authenticator);
    }

    @Override
    public String toString() {
      return "BlindRsaTokenClient.Pending[" + request + (used.get() ? ", finished" : "") + "]";
    }
  }
}
