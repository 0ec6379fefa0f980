package org.privateprocessing.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.privateprocessing.ohttp.DecapsulatedRequest;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.ohttp.OhttpException;
import org.privateprocessing.ohttp.OhttpKeyPair;
import org.privateprocessing.ohttp.RequestDecapsulator;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.SymmetricSuite;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.token.BlindRsaIssuer;
import org.privateprocessing.token.BlindRsaKeys;
import org.privateprocessing.token.BlindRsaTokenClient;
import org.privateprocessing.token.BlindRsaTokenVerifier;
import org.privateprocessing.token.PrivateTokenAuthorization;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenException;
import org.privateprocessing.token.TokenRequest;
import org.privateprocessing.token.TokenTypes;

/**
 * The cryptography an all-in-one node does for one request of the load test, and nothing else: the
 * baseline that {@code scripts/ratio.sh} divides the node's measured throughput by.
 *
 * <p>Per load-test request the node (issuer, gateway and enclave in one JVM) signs one blinded
 * token request (the issuer's RSA-2048 private-key operation and its fault check), opens the outer
 * X-Wing layer, verifies the token's RSA-PSS signature, opens the inner X-Wing layer, and seals the
 * answer twice. The request is the quick start's sample chat as a Binary HTTP POST inside the outer
 * Binary HTTP request, as the SDK sends it; the answer is a 600-byte JSON body, about the size of
 * that chat's summary. HTTP, the event bus, JSON, Binary HTTP parsing, the model and the
 * double-spend check are left out on purpose: they are the overhead the ratio is about.
 *
 * <p>Signing, decapsulation and verification have no side effects, so the same pre-built request,
 * token and encapsulations are used repeatedly (a fresh HPKE context is still set up each time).
 *
 * <p>HPKE runs on the JVM's backend, as in the node: libsodium with the JDK when libsodium loads;
 * {@code -jvmArgsAppend -Dpp.crypto=bouncycastle} measures the BouncyCastle fallback.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class AllInOneCryptoBenchmark {
  private static final List<SymmetricSuite> SUITES =
      List.of(SymmetricSuite.HKDF_SHA256_AES_128_GCM);
  private static final int PADDING_BLOCK = 256;

  private final SecureRandom random = new SecureRandom();
  private BlindRsaIssuer issuer;
  private BlindRsaTokenVerifier verifier;
  private TokenRequest tokenRequest;
  private Token token;
  private RequestDecapsulator gateway;
  private RequestDecapsulator enclave;
  private byte[] outerRequest;
  private byte[] innerRequest;
  private byte[] answer;

  @Setup(Level.Trial)
  public void setUp() throws TokenException, OhttpException, IOException {
    issuer = new BlindRsaIssuer(BlindRsaKeys.generate(random));
    verifier = new BlindRsaTokenVerifier(issuer.publicKey());
    TokenChallenge challenge =
        new TokenChallenge(
            TokenTypes.BLIND_RSA_2048, "issuer.example", new byte[32], List.of("gateway.example"));
    BlindRsaTokenClient.Pending pending =
        BlindRsaTokenClient.begin(issuer.publicKey(), challenge, random);
    tokenRequest = pending.request();
    token = pending.finish(issuer.issue(tokenRequest));

    OhttpKeyPair gatewayKey = OhttpKeyPair.generate(1, HpkeIds.KEM_X_WING, SUITES, random);
    OhttpKeyPair enclaveKey = OhttpKeyPair.generate(2, HpkeIds.KEM_X_WING, SUITES, random);
    gateway = RequestDecapsulator.of(gatewayKey);
    enclave = RequestDecapsulator.of(enclaveKey);
    byte[] chat;
    try (InputStream in =
        AllInOneCryptoBenchmark.class.getResourceAsStream("/examples/chat.json")) {
      chat = in.readAllBytes();
    }
    byte[] inner =
        padded(
            BinaryHttpRequest.of(
                "POST",
                "https",
                "enclave.internal",
                "/v1/summarize",
                List.of(new Field("content-type", "application/json")),
                chat));
    innerRequest = RequestEncapsulator.encapsulate(enclaveKey.config(), inner, random).bytes();
    // What the gateway opens: the enclave's ciphertext inside a request to the enclave, with the
    // token.
    byte[] outer =
        padded(
            BinaryHttpRequest.of(
                "POST",
                "https",
                "gateway",
                "/v1/enclave/5e1ec7ed00000001",
                List.of(
                    new Field("content-type", "message/ohttp-req"),
                    new Field("authorization", PrivateTokenAuthorization.header(token))),
                innerRequest));
    outerRequest = RequestEncapsulator.encapsulate(gatewayKey.config(), outer, random).bytes();
    answer =
        BinaryHttpResponse.of(
                200,
                List.of(new Field("content-type", "application/json")),
                "{\"summary\":\""
                    .concat("x".repeat(580))
                    .concat("\"}")
                    .getBytes(StandardCharsets.UTF_8))
            .encode();
    if (!verifier.verify(token)) {
      throw new IllegalStateException("benchmark token does not verify");
    }
  }

  /** Padded to a multiple of 256 bytes, as the SDK does by default. */
  private static byte[] padded(BinaryHttpRequest request) {
    int plain = request.encode().length;
    return request.encode((PADDING_BLOCK - plain % PADDING_BLOCK) % PADDING_BLOCK);
  }

  /**
   * Everything above, once: the all-in-one node's cryptography for one request. The inner layer is
   * opened from the ciphertext the gateway found in the outer plaintext (not parsed again here),
   * and the outer layer seals the inner answer without its Binary HTTP framing (40 bytes less).
   */
  @Benchmark
  public byte[] serverPerRequest() throws TokenException, OhttpException {
    byte[] signed = issuer.issue(tokenRequest).body();
    DecapsulatedRequest outer = gateway.decapsulate(outerRequest);
    if (!verifier.verify(token)) {
      throw new IllegalStateException("token does not verify");
    }
    DecapsulatedRequest inner = enclave.decapsulate(innerRequest);
    byte[] innerSealed = inner.sealer().seal(answer, random);
    byte[] sealed = outer.sealer().seal(innerSealed, random);
    return signed.length > 0 && outer.content().length > 0 ? sealed : null;
  }
}
