package org.privateprocessing.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.privateprocessing.ohttp.DecapsulatedRequest;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.ohttp.OhttpCrypto;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.OhttpKeyPair;
import org.privateprocessing.ohttp.RequestDecapsulator;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.SymmetricSuite;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;

/**
 * Server-side cryptography of one request through the system: the gateway removes the outer
 * Oblivious HTTP layer (X25519 or X-Wing), the enclave removes the inner layer (X25519), and each
 * seals one response. Client-side work is not measured. The request is a ~1 KiB Binary HTTP POST.
 *
 * <p>Decapsulation has no side effects, so the same pre-built request is decapsulated repeatedly;
 * sealers are single use, so the seal benchmark gets fresh ones per invocation (setup excluded).
 *
 * <p>{@code crypto} runs each benchmark on both HPKE backends in one run: {@code libsodium} (X25519
 * from libsodium, symmetric from the JDK) and {@code bouncycastle} (the fallback, the code path of
 * every release before issue #17). The backend is chosen once per JVM, so this needs JMH's forks
 * (the default); the setup fails if the fork ended up on another backend than asked for.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class CryptoPathBenchmark {
  private static final List<SymmetricSuite> SUITES =
      List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM);

  @Param({"libsodium", "bouncycastle"})
  public String crypto;

  private final SecureRandom random = new SecureRandom();
  private RequestDecapsulator outerX25519;
  private RequestDecapsulator outerXWing;
  private RequestDecapsulator inner;
  private RequestDecapsulator innerXWing;
  private byte[] outerRequestX25519;
  private byte[] outerRequestXWing;
  private byte[] innerRequest;
  private byte[] outerRequestBothXWing;
  private byte[] response;

  @Setup(Level.Trial)
  public void setUp() throws OhttpException {
    // Read by the ohttp package when it first does HPKE work, which is below.
    System.setProperty("pp.crypto", crypto);
    if (!OhttpCrypto.backend().equals(crypto)) {
      throw new IllegalStateException(
          "asked for the "
              + crypto
              + " backend but this JVM uses "
              + OhttpCrypto.description()
              + " (run with forks; for libsodium: apt-get install libsodium23)");
    }
    OhttpKeyPair outerKeyX25519 =
        OhttpKeyPair.generate(1, HpkeIds.KEM_X25519_HKDF_SHA256, SUITES, random);
    OhttpKeyPair outerKeyXWing = OhttpKeyPair.generate(2, HpkeIds.KEM_X_WING, SUITES, random);
    OhttpKeyPair innerKey =
        OhttpKeyPair.generate(3, HpkeIds.KEM_X25519_HKDF_SHA256, SUITES, random);
    outerX25519 = RequestDecapsulator.of(outerKeyX25519);
    outerXWing = RequestDecapsulator.of(outerKeyXWing);
    inner = RequestDecapsulator.of(innerKey);
    OhttpKeyPair innerKeyXWing = OhttpKeyPair.generate(4, HpkeIds.KEM_X_WING, SUITES, random);
    innerXWing = RequestDecapsulator.of(innerKeyXWing);

    byte[] body = new byte[900];
    Arrays.fill(body, (byte) 'a');
    byte[] bhttp =
        BinaryHttpRequest.of(
                "POST",
                "https",
                "inference.internal",
                "/v1/generate",
                List.of(
                    new Field("content-type", "application/json"),
                    new Field("accept", "application/json")),
                body)
            .encode();
    innerRequest = RequestEncapsulator.encapsulate(innerKey.config(), bhttp, random).bytes();
    outerRequestX25519 =
        RequestEncapsulator.encapsulate(outerKeyX25519.config(), innerRequest, random).bytes();
    outerRequestXWing =
        RequestEncapsulator.encapsulate(outerKeyXWing.config(), innerRequest, random).bytes();
    byte[] innerRequestXWing =
        RequestEncapsulator.encapsulate(innerKeyXWing.config(), bhttp, random).bytes();
    outerRequestBothXWing =
        RequestEncapsulator.encapsulate(outerKeyXWing.config(), innerRequestXWing, random).bytes();
    response =
        BinaryHttpResponse.of(
                200,
                List.of(new Field("content-type", "application/json")),
                "{\"answer\":\"ok\"}".getBytes(StandardCharsets.UTF_8))
            .encode();
  }

  /**
   * Fresh single-use sealers (outer and inner) for each invocation of {@link #sealTwoResponses}.
   */
  @State(Scope.Thread)
  public static class Sealers {
    DecapsulatedRequest outer;
    DecapsulatedRequest inner;

    @Setup(Level.Invocation)
    public void setUp(CryptoPathBenchmark b) throws OhttpException {
      outer = b.outerXWing.decapsulate(b.outerRequestXWing);
      inner = b.inner.decapsulate(outer.content());
    }
  }

  @Benchmark
  public DecapsulatedRequest outerDecapsulateX25519() throws OhttpException {
    return outerX25519.decapsulate(outerRequestX25519);
  }

  @Benchmark
  public DecapsulatedRequest outerDecapsulateXWing() throws OhttpException {
    return outerXWing.decapsulate(outerRequestXWing);
  }

  @Benchmark
  public DecapsulatedRequest innerDecapsulate() throws OhttpException {
    return inner.decapsulate(innerRequest);
  }

  @Benchmark
  public byte[] sealTwoResponses(Sealers s) {
    byte[] innerSealed = s.inner.sealer().seal(response, random);
    return s.outer.sealer().seal(innerSealed, random);
  }

  /** All four steps with the outer layer on X-Wing, the key clients prefer. */
  @Benchmark
  public byte[] fullPath() throws OhttpException {
    return fullPath(outerXWing, outerRequestXWing);
  }

  /** All four steps with the outer layer on X25519, for comparison. */
  @Benchmark
  public byte[] fullPathX25519() throws OhttpException {
    return fullPath(outerX25519, outerRequestX25519);
  }

  /**
   * All four steps with both layers on X-Wing: what the SDK does by default (it prefers X-Wing for
   * the gateway and for the enclave), so this is the baseline for the end-to-end ratio.
   */
  @Benchmark
  public byte[] fullPathBothXWing() throws OhttpException {
    return fullPath(outerXWing, outerRequestBothXWing, innerXWing);
  }

  private byte[] fullPath(RequestDecapsulator outer, byte[] request) throws OhttpException {
    return fullPath(outer, request, inner);
  }

  private byte[] fullPath(RequestDecapsulator outer, byte[] request, RequestDecapsulator innerLayer)
      throws OhttpException {
    DecapsulatedRequest o = outer.decapsulate(request);
    DecapsulatedRequest i = innerLayer.decapsulate(o.content());
    byte[] innerSealed = i.sealer().seal(response, random);
    return o.sealer().seal(innerSealed, random);
  }
}
