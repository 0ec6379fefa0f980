package org.privateprocessing.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.privateprocessing.ohttp.Vectors.hex;
import static org.privateprocessing.token.Rfc9577VectorTest.catchReason;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.ohttp.Vectors;

/** Token type 0x0002 with generated keys: round trip, tampering, wrong keys, misuse. */
class BlindRsaTokenTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final TokenChallenge CHALLENGE =
      new TokenChallenge(
          TokenTypes.BLIND_RSA_2048, "issuer.example", new byte[32], List.of("origin.example"));
  private static KeyPair key;
  private static KeyPair otherKey;
  private static BlindRsaIssuer issuer;
  private static RSAPublicKey publicKey;

  @BeforeAll
  static void keys() {
    key = BlindRsaKeys.generate(RANDOM);
    otherKey = BlindRsaKeys.generate(RANDOM);
    issuer = new BlindRsaIssuer(key);
    publicKey = (RSAPublicKey) key.getPublic();
  }

  private static Token issueOne() throws TokenException {
    BlindRsaTokenClient.Pending pending = BlindRsaTokenClient.begin(publicKey, CHALLENGE, RANDOM);
    return pending.finish(issuer.issue(pending.request()));
  }

  @Test
  @DisplayName("a generated key issues tokens that verify, and the key is RSA-2048 with e = 65537")
  void roundTrip_verifies() throws Exception {
    assertThat(publicKey.getModulus().bitLength()).isEqualTo(2048);
    assertThat(publicKey.getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
    Token token = issueOne();
    BlindRsaTokenVerifier verifier =
        new BlindRsaTokenVerifier(BlindRsaKeys.parseTokenKey(issuer.tokenKey()));
    assertThat(verifier.verify(token)).isTrue();
    assertThat(verifier.verify(token, CHALLENGE)).isTrue();
    assertThat(verifier.verify(Token.parse(token.encode()))).isTrue();
    assertThat(PrivateTokenAuthorization.parse(PrivateTokenAuthorization.header(token)))
        .isEqualTo(token);
    assertThat(token.tokenKeyId()).isEqualTo(issuer.tokenKeyId()).isEqualTo(verifier.tokenKeyId());
  }

  @Test
  @DisplayName(
      "a token with any one bit flipped fails verification, and the verifier keeps working afterwards")
  void flippedBit_failsVerification() throws Exception {
    Token token = issueOne();
    BlindRsaTokenVerifier verifier = new BlindRsaTokenVerifier(publicKey);
    byte[] bytes = token.encode();
    // Every bit of the 98-byte input and a spread of authenticator bits.
    List<Integer> bits = new ArrayList<>();
    for (int i = 0; i < 98 * 8; i++) {
      bits.add(i);
    }
    for (int i = 98 * 8; i < bytes.length * 8; i += 13) {
      bits.add(i);
    }
    for (int bit : bits) {
      byte[] tampered = bytes.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      Token t;
      try {
        t = Token.parse(tampered);
      } catch (TokenException e) {
        continue; // a flipped type bit: no longer a type-2 token at all
      }
      assertThat(verifier.verify(t)).as("bit %d", bit).isFalse();
    }
    assertThat(verifier.verify(token)).isTrue();
    // An authenticator above the modulus is refused early by the provider; the next token still
    // verifies.
    byte[] high = new byte[256];
    Arrays.fill(high, (byte) 0xFF);
    assertThat(
            verifier.verify(
                new Token(2, token.nonce(), token.challengeDigest(), token.tokenKeyId(), high)))
        .isFalse();
    assertThat(verifier.verify(token)).isTrue();
  }

  @Test
  @DisplayName("a token does not verify under another key, for another challenge, or as null")
  void wrongKeyOrChallenge_failsVerification() throws Exception {
    Token token = issueOne();
    assertThat(new BlindRsaTokenVerifier((RSAPublicKey) otherKey.getPublic()).verify(token))
        .isFalse();
    BlindRsaTokenVerifier verifier = new BlindRsaTokenVerifier(publicKey);
    assertThat(verifier.verify(token, TokenChallenge.of(2, "other.example"))).isFalse();
    assertThat(verifier.verify(null)).isFalse();
    // Same signature, key id swapped to the verifier's: signature is over the original key id.
    Token relabelled =
        new Token(
            2,
            token.nonce(),
            token.challengeDigest(),
            TokenKeyIds.tokenKeyId(
                BlindRsaKeys.encodeTokenKey((RSAPublicKey) otherKey.getPublic())),
            token.authenticator());
    assertThat(new BlindRsaTokenVerifier((RSAPublicKey) otherKey.getPublic()).verify(relabelled))
        .isFalse();
  }

  @Test
  @DisplayName("the issuer refuses a request for another truncated key id or another token type")
  void issuer_refusesForeignRequests() throws Exception {
    TokenRequest request = BlindRsaTokenClient.begin(publicKey, CHALLENGE, RANDOM).request();
    TokenRequest otherId =
        new TokenRequest(2, (request.truncatedTokenKeyId() + 1) & 0xFF, request.blindedMsg());
    assertThat(catchReason(() -> issuer.issue(otherId)))
        .isEqualTo(TokenException.Reason.UNKNOWN_KEY);
    TokenRequest type1 = new TokenRequest(1, request.truncatedTokenKeyId(), new byte[49]);
    assertThat(catchReason(() -> issuer.issue(type1)))
        .isEqualTo(TokenException.Reason.UNSUPPORTED_TYPE);
    byte[] aboveModulus = new byte[256];
    Arrays.fill(aboveModulus, (byte) 0xFF);
    TokenRequest tooBig = new TokenRequest(2, request.truncatedTokenKeyId(), aboveModulus);
    assertThat(catchReason(() -> issuer.issue(tooBig))).isEqualTo(TokenException.Reason.MALFORMED);
  }

  @Test
  @DisplayName(
      "a response signed by another key, or garbage, fails finalization with INVALID_SIGNATURE")
  void badResponse_failsFinalization() throws Exception {
    BlindRsaTokenClient.Pending pending = BlindRsaTokenClient.begin(publicKey, CHALLENGE, RANDOM);
    BlindRsaIssuer other = new BlindRsaIssuer(otherKey);
    // Reduced modulo the other key's modulus so the other issuer accepts it (it may be the smaller
    // one).
    byte[] reduced =
        Bytes.i2osp(
            Bytes.os2ip(pending.request().blindedMsg()).mod(other.publicKey().getModulus()), 256);
    TokenRequest forOther = new TokenRequest(2, other.truncatedTokenKeyId(), reduced);
    TokenResponse wrong = other.issue(forOther);
    assertThat(catchReason(() -> pending.finish(wrong)))
        .isEqualTo(TokenException.Reason.INVALID_SIGNATURE);

    BlindRsaTokenClient.Pending second = BlindRsaTokenClient.begin(publicKey, CHALLENGE, RANDOM);
    byte[] flipped = issuer.issue(second.request()).encode();
    flipped[100] ^= 1;
    assertThat(catchReason(() -> second.finish(new TokenResponse(flipped))))
        .isEqualTo(TokenException.Reason.INVALID_SIGNATURE);

    BlindRsaTokenClient.Pending third = BlindRsaTokenClient.begin(publicKey, CHALLENGE, RANDOM);
    assertThat(catchReason(() -> third.finish(new TokenResponse(new byte[255]))))
        .isEqualTo(TokenException.Reason.MALFORMED);
  }

  @Test
  @DisplayName("a pending issuance finishes once: a second finish is an IllegalStateException")
  void pending_isSingleUse() throws Exception {
    BlindRsaTokenClient.Pending pending = BlindRsaTokenClient.begin(publicKey, CHALLENGE, RANDOM);
    TokenResponse response = issuer.issue(pending.request());
    pending.finish(response);
    assertThatThrownBy(() -> pending.finish(response)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName(
      "fresh randomness gives unlinkable requests and distinct tokens for the same challenge")
  void randomness_isFresh() throws Exception {
    BlindRsaTokenClient.Pending a = BlindRsaTokenClient.begin(publicKey, CHALLENGE, RANDOM);
    BlindRsaTokenClient.Pending b = BlindRsaTokenClient.begin(publicKey, CHALLENGE, RANDOM);
    assertThat(a.request().blindedMsg()).isNotEqualTo(b.request().blindedMsg());
    Token ta = a.finish(issuer.issue(a.request()));
    Token tb = b.finish(issuer.issue(b.request()));
    assertThat(ta.nonce()).isNotEqualTo(tb.nonce());
    assertThat(ta.authenticator()).isNotEqualTo(tb.authenticator());
  }

  @Test
  @DisplayName("the client refuses challenges of other types, wrong-size keys and bad fixed inputs")
  void client_checksInputs() throws Exception {
    assertThat(
            catchReason(
                () ->
                    BlindRsaTokenClient.begin(
                        publicKey, TokenChallenge.of(1, "issuer.example"), RANDOM)))
        .isEqualTo(TokenException.Reason.UNSUPPORTED_TYPE);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024, RANDOM);
    RSAPublicKey small = (RSAPublicKey) g.generateKeyPair().getPublic();
    assertThatThrownBy(() -> BlindRsaTokenClient.begin(small, CHALLENGE, RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BlindRsaTokenVerifier(small))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] nonce = new byte[32];
    byte[] salt = new byte[48];
    assertThatThrownBy(
            () ->
                BlindRsaTokenClient.begin(publicKey, CHALLENGE, new byte[31], salt, new byte[256]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                BlindRsaTokenClient.begin(publicKey, CHALLENGE, nonce, new byte[32], new byte[256]))
        .isInstanceOf(IllegalArgumentException.class);
    // r = 0 is not invertible; r = n is out of range.
    assertThatThrownBy(
            () -> BlindRsaTokenClient.begin(publicKey, CHALLENGE, nonce, salt, new byte[256]))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] n = Bytes.i2osp(publicKey.getModulus(), 256);
    assertThatThrownBy(() -> BlindRsaTokenClient.begin(publicKey, CHALLENGE, nonce, salt, n))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new BlindRsaIssuer(new KeyPair(otherKey.getPublic(), key.getPrivate())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "token keys: rsaEncryption SPKI, other sizes, even modulus, trailing bytes, truncation and non-DER are MALFORMED")
  void parseTokenKey_rejectsOtherEncodings() throws Exception {
    byte[] good = issuer.tokenKey();
    assertThat(BlindRsaKeys.parseTokenKey(good)).isEqualTo(publicKey);
    assertThat(catchReason(() -> BlindRsaKeys.parseTokenKey(publicKey.getEncoded())))
        .isEqualTo(TokenException.Reason.MALFORMED);
    assertThat(catchReason(() -> BlindRsaKeys.parseTokenKey(Arrays.copyOf(good, good.length + 1))))
        .isEqualTo(TokenException.Reason.MALFORMED);
    for (int len = 0; len < good.length; len += 7) {
      byte[] prefix = Arrays.copyOf(good, len);
      assertThat(catchReason(() -> BlindRsaKeys.parseTokenKey(prefix)))
          .as("length %d", len)
          .isEqualTo(TokenException.Reason.MALFORMED);
    }
    byte[] saltChanged = good.clone();
    saltChanged[62] = 32; // saltLength 48 -> 32 (last byte of the AlgorithmIdentifier)
    assertThat(catchReason(() -> BlindRsaKeys.parseTokenKey(saltChanged)))
        .isEqualTo(TokenException.Reason.MALFORMED);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(3072, RANDOM);
    byte[] big = BlindRsaKeys.encodeTokenKey((RSAPublicKey) g.generateKeyPair().getPublic());
    assertThat(catchReason(() -> BlindRsaKeys.parseTokenKey(big)))
        .isEqualTo(TokenException.Reason.MALFORMED);
    RSAPublicKey evenExponent =
        (RSAPublicKey)
            KeyFactory.getInstance("RSA")
                .generatePublic(
                    new RSAPublicKeySpec(publicKey.getModulus(), BigInteger.valueOf(65536)));
    assertThat(
            catchReason(
                () -> BlindRsaKeys.parseTokenKey(BlindRsaKeys.encodeTokenKey(evenExponent))))
        .isEqualTo(TokenException.Reason.MALFORMED);
    assertThat(
            catchReason(
                () -> BlindRsaKeys.parseTokenKey("not DER".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo(TokenException.Reason.MALFORMED);
    RSAPublicKey evenModulus =
        (RSAPublicKey)
            KeyFactory.getInstance("RSA")
                .generatePublic(
                    new RSAPublicKeySpec(
                        publicKey.getModulus().clearBit(0), publicKey.getPublicExponent()));
    assertThat(
            catchReason(() -> BlindRsaKeys.parseTokenKey(BlindRsaKeys.encodeTokenKey(evenModulus))))
        .as("an even modulus cannot be RSA, and odd-modulus blinding would fail on it")
        .isEqualTo(TokenException.Reason.MALFORMED);
  }

  @Test
  @DisplayName("fromPkcs8Pem reads the vector key and refuses other text")
  void fromPkcs8Pem_readsVectorKey() {
    String pem =
        Vectors.load("privacypass/rfc9578-issuance.json")
            .get("token_type_0x0002")
            .get(0)
            .get("skS_pem")
            .asText();
    KeyPair pair = BlindRsaKeys.fromPkcs8Pem(pem);
    assertThat(BlindRsaKeys.encodeTokenKey((RSAPublicKey) pair.getPublic()))
        .isEqualTo(
            hex(
                Vectors.load("privacypass/rfc9578-issuance.json")
                    .get("token_type_0x0002")
                    .get(0)
                    .get("pkS")
                    .asText()));
    assertThatThrownBy(
            () ->
                BlindRsaKeys.fromPkcs8Pem(
                    "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BlindRsaKeys.fromPkcs8Pem("hello"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("one issuer and one verifier serve many threads at once")
  void issuerAndVerifier_areThreadSafe() throws Exception {
    BlindRsaTokenVerifier verifier = new BlindRsaTokenVerifier(publicKey);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        boolean forge = i % 3 == 0;
        results.add(
            pool.submit(
                () -> {
                  Token t = issueOne();
                  if (forge) {
                    byte[] auth = t.authenticator();
                    auth[5] ^= 1;
                    t = new Token(2, t.nonce(), t.challengeDigest(), t.tokenKeyId(), auth);
                  }
                  return verifier.verify(t) != forge;
                }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
