package org.privateprocessing.bench;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.privateprocessing.token.voprf.VoprfException;
import org.privateprocessing.token.voprf.VoprfP384;

/**
 * Server-side cost of Privacy Pass token type 0x0001 (VOPRF(P-384, SHA-384), RFC 9497): issuing one
 * token (BlindEvaluate of one element plus its DLEQ proof) and verifying a redeemed one (Evaluate
 * of the 98-byte token input), against the bare primitive, one P-384 scalar multiplication of an
 * arbitrary point, so the ratios can be stated. Client-side finalize is measured too for
 * completeness.
 *
 * <p>BouncyCastle caches window precomputations on an {@link ECPoint} object, so the primitive
 * benchmark multiplies a freshly created point each time, as the protocol does (every hashed or
 * received element is a new point).
 *
 * <p>Run: {@code scripts/bench-crypto.sh -f 1 -wi 5 -i 5 -w 3s -r 3s VoprfBenchmark}; with only
 * 2x2s warm-up the hash-to-curve path is still being compiled during measurement.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class VoprfBenchmark {
  /**
   * token_type(2) || nonce(32) || challenge_digest(32) || token_key_id(32), RFC 9578 section 5.1.
   */
  private static final int TOKEN_INPUT_LENGTH = 98;

  private final SecureRandom random = new SecureRandom();
  private VoprfP384.KeyPair key;
  private byte[] tokenInput;
  private VoprfP384.Blinded blinded;
  private List<byte[]> blindedElements;
  private VoprfP384.Evaluation evaluation;
  private ECCurve curve;
  private ECCurve genericCurve;
  private BigInteger pointX;
  private BigInteger pointY;
  private BigInteger scalar;

  @Setup(Level.Trial)
  public void setUp() throws VoprfException {
    key = VoprfP384.generateKeyPair(random);
    tokenInput = new byte[TOKEN_INPUT_LENGTH];
    random.nextBytes(tokenInput);
    tokenInput[0] = 0x00;
    tokenInput[1] = 0x01;
    blinded = VoprfP384.blind(tokenInput, random);
    blindedElements = List.of(blinded.blindedElement());
    evaluation = VoprfP384.blindEvaluate(key, blindedElements, random);

    X9ECParameters p384 = CustomNamedCurves.getByName("P-384");
    curve = p384.getCurve();
    genericCurve = NISTNamedCurves.getByName("P-384").getCurve();
    BigInteger order = p384.getN();
    ECPoint point =
        p384.getG()
            .multiply(new BigInteger(order.bitLength() - 1, random).add(BigInteger.ONE))
            .normalize();
    pointX = point.getAffineXCoord().toBigInteger();
    pointY = point.getAffineYCoord().toBigInteger();
    scalar = new BigInteger(order.bitLength() - 1, random).add(BigInteger.ONE);
  }

  /**
   * Redemption check: Evaluate(skS, token_input), one hash-to-curve and one scalar multiplication.
   */
  @Benchmark
  public byte[] evaluateToken() throws VoprfException {
    return VoprfP384.evaluate(key.secretKey(), tokenInput);
  }

  /** Issuance: BlindEvaluate of one blinded element with a batched DLEQ proof. */
  @Benchmark
  public VoprfP384.Evaluation issueToken() throws VoprfException {
    return VoprfP384.blindEvaluate(key, blindedElements, random);
  }

  /** Client side, for completeness: VerifyProof then unblind and hash. */
  @Benchmark
  public List<byte[]> finalizeToken() throws VoprfException {
    return VoprfP384.finalize(key.publicKey(), List.of(tokenInput), List.of(blinded), evaluation);
  }

  /**
   * The primitive: k * P for an arbitrary (not precomputed) P-384 point, in BouncyCastle's
   * specialised curve ({@code CustomNamedCurves}, as the VOPRF code uses).
   */
  @Benchmark
  public ECPoint scalarMultiply() {
    return curve.createPoint(pointX, pointY).multiply(scalar).normalize();
  }

  /**
   * The same on the generic BigInteger curve that {@code NISTNamedCurves} returns, for contrast.
   */
  @Benchmark
  public ECPoint scalarMultiplyGenericCurve() {
    return genericCurve.createPoint(pointX, pointY).multiply(scalar).normalize();
  }
}
