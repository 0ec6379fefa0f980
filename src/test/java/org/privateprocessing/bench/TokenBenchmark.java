package org.privateprocessing.bench;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.privateprocessing.token.BlindRsaIssuer;
import org.privateprocessing.token.BlindRsaKeys;
import org.privateprocessing.token.BlindRsaTokenClient;
import org.privateprocessing.token.BlindRsaTokenVerifier;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenException;
import org.privateprocessing.token.TokenRequest;
import org.privateprocessing.token.TokenResponse;
import org.privateprocessing.token.TokenTypes;

/**
 * Server-side Privacy Pass work per request, each next to the bare primitive it is built on, so the
 * protocol overhead is the difference:
 *
 * <ul>
 *   <li>type 2 {@code verifyToken} (origin / redemption) vs {@code rsaPssVerify}: a JDK RSASSA-PSS
 *       SHA-384 verification of the same 98-byte message with the same key;
 *   <li>type 2 {@code issueToken} (issuer) vs {@code rsaSign}: the raw RSA-2048 private-key
 *       operation (m^d mod n, CRT, through the JDK's RSA cipher without padding) on the same
 *       blinded message.
 * </ul>
 *
 * Issuance and verification have no side effects, so the same pre-built request and token are used
 * repeatedly.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class TokenBenchmark {
  private final SecureRandom random = new SecureRandom();
  private KeyPair rsaKey;
  private BlindRsaIssuer rsaIssuer;
  private BlindRsaTokenVerifier rsaVerifier;
  private TokenRequest rsaRequest;
  private Token rsaToken;
  private byte[] rsaTokenInput;
  private byte[] rsaAuthenticator;

  @Setup(Level.Trial)
  public void setUp() throws TokenException {
    rsaKey = BlindRsaKeys.generate(random);
    rsaIssuer = new BlindRsaIssuer(rsaKey);
    rsaVerifier = new BlindRsaTokenVerifier(rsaIssuer.publicKey());
    TokenChallenge challenge =
        new TokenChallenge(
            TokenTypes.BLIND_RSA_2048, "issuer.example", new byte[32], List.of("origin.example"));
    BlindRsaTokenClient.Pending pending =
        BlindRsaTokenClient.begin(rsaIssuer.publicKey(), challenge, random);
    rsaRequest = pending.request();
    rsaToken = pending.finish(rsaIssuer.issue(rsaRequest));
    rsaTokenInput = rsaToken.authenticatorInput();
    rsaAuthenticator = rsaToken.authenticator();
    if (!rsaVerifier.verify(rsaToken)) {
      throw new IllegalStateException("benchmark token does not verify");
    }
  }

  /** JCA objects are not thread-safe: one set per benchmark thread. */
  @State(Scope.Thread)
  public static class Bare {
    Signature pssVerifier;
    Cipher rsaPrivate;
    byte[] blindedMsg;

    @Setup(Level.Trial)
    public void setUp(TokenBenchmark b) throws GeneralSecurityException {
      pssVerifier = Signature.getInstance("RSASSA-PSS");
      pssVerifier.setParameter(
          new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1));
      pssVerifier.initVerify(b.rsaKey.getPublic());
      rsaPrivate = Cipher.getInstance("RSA/ECB/NoPadding");
      rsaPrivate.init(Cipher.DECRYPT_MODE, b.rsaKey.getPrivate());
      blindedMsg = b.rsaRequest.blindedMsg();
    }
  }

  @Benchmark
  public boolean verifyToken() {
    return rsaVerifier.verify(rsaToken);
  }

  @Benchmark
  public boolean rsaPssVerify(Bare bare) throws GeneralSecurityException {
    bare.pssVerifier.update(rsaTokenInput);
    return bare.pssVerifier.verify(rsaAuthenticator);
  }

  @Benchmark
  public TokenResponse issueToken() throws TokenException {
    return rsaIssuer.issue(rsaRequest);
  }

  @Benchmark
  public byte[] rsaSign(Bare bare) throws GeneralSecurityException {
    return bare.rsaPrivate.doFinal(bare.blindedMsg);
  }
}
