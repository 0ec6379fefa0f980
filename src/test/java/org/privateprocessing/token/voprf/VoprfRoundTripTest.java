package org.privateprocessing.token.voprf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Fresh keys and randomness: client and server agree, and the public API behaves as documented. */
class VoprfRoundTripTest {
  private final SecureRandom random = new SecureRandom();

  private static byte[] input(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("a random key, blind and proof: finalize verifies and equals the server's evaluate")
  void singleElement_roundTrips() throws Exception {
    VoprfP384.KeyPair key = VoprfP384.generateKeyPair(random);
    byte[] in = input("token input");
    VoprfP384.Blinded blinded = VoprfP384.blind(in, random);
    VoprfP384.Evaluation evaluation =
        VoprfP384.blindEvaluate(key, List.of(blinded.blindedElement()), random);

    assertThat(evaluation.evaluatedElements())
        .singleElement()
        .satisfies(e -> assertThat(e).hasSize(VoprfP384.ELEMENT_LENGTH));
    assertThat(evaluation.proof()).hasSize(VoprfP384.PROOF_LENGTH);
    List<byte[]> outputs =
        VoprfP384.finalize(key.publicKey(), List.of(in), List.of(blinded), evaluation);
    assertThat(outputs).singleElement().isEqualTo(VoprfP384.evaluate(key.secretKey(), in));
    assertThat(outputs.get(0)).hasSize(VoprfP384.OUTPUT_LENGTH);
  }

  @Test
  @DisplayName(
      "a batch of five (one empty input) verifies with one proof and matches evaluate per input")
  void batch_roundTrips() throws Exception {
    VoprfP384.KeyPair key = VoprfP384.deriveKeyPair(new byte[32], input("batch"));
    List<byte[]> inputs = List.of(new byte[0], input("a"), input("b"), input("a"), new byte[1000]);
    List<VoprfP384.Blinded> blinded = new ArrayList<>();
    List<byte[]> blindedElements = new ArrayList<>();
    for (byte[] in : inputs) {
      VoprfP384.Blinded b = VoprfP384.blind(in, random);
      blinded.add(b);
      blindedElements.add(b.blindedElement());
    }
    VoprfP384.Evaluation evaluation = VoprfP384.blindEvaluate(key, blindedElements, random);
    List<byte[]> outputs = VoprfP384.finalize(key.publicKey(), inputs, blinded, evaluation);
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(outputs.get(i)).isEqualTo(VoprfP384.evaluate(key.secretKey(), inputs.get(i)));
    }
    // Same input, different blinds: different blinded elements, same output (that is the PRF).
    assertThat(blindedElements.get(1)).isNotEqualTo(blindedElements.get(3));
    assertThat(outputs.get(1)).isEqualTo(outputs.get(3));
    assertThat(outputs.get(1)).isNotEqualTo(outputs.get(2));
  }

  @Test
  @DisplayName("outputs depend on the key: another key evaluates the same input differently")
  void outputs_dependOnKey() throws Exception {
    byte[] in = input("x");
    assertThat(VoprfP384.evaluate(VoprfP384.generateKeyPair(random).secretKey(), in))
        .isNotEqualTo(VoprfP384.evaluate(VoprfP384.generateKeyPair(random).secretKey(), in));
  }

  @Test
  @DisplayName("deriveKeyPair is deterministic and separates by seed and by info")
  void deriveKeyPair_isDeterministicAndSeparated() {
    byte[] seed = new byte[32];
    assertThat(VoprfP384.deriveKeyPair(seed, input("i")))
        .isEqualTo(VoprfP384.deriveKeyPair(seed, input("i")));
    assertThat(VoprfP384.deriveKeyPair(seed, input("i")))
        .isNotEqualTo(VoprfP384.deriveKeyPair(seed, input("j")));
    byte[] otherSeed = new byte[32];
    otherSeed[31] = 1;
    assertThat(VoprfP384.deriveKeyPair(seed, input("i")))
        .isNotEqualTo(VoprfP384.deriveKeyPair(otherSeed, input("i")));
  }

  @Test
  @DisplayName("fromSecretKey(serializedSecretKey()) restores the same key pair")
  void secretKey_roundTrips() throws Exception {
    VoprfP384.KeyPair key = VoprfP384.generateKeyPair(random);
    byte[] sk = key.serializedSecretKey();
    assertThat(sk).hasSize(VoprfP384.SCALAR_LENGTH);
    assertThat(VoprfP384.fromSecretKey(sk)).isEqualTo(key);
    assertThat(VoprfP384.deserializeScalar(VoprfP384.serializeScalar(key.secretKey())))
        .isEqualTo(key.secretKey());
    VoprfP384.checkElement(key.publicKey());
    assertThat(key.publicKey()).hasSize(VoprfP384.ELEMENT_LENGTH);
  }

  @Test
  @DisplayName("records copy their byte arrays in and out")
  void records_copyDefensively() throws Exception {
    VoprfP384.KeyPair key = VoprfP384.generateKeyPair(random);
    key.publicKey()[0] ^= 1;
    VoprfP384.checkElement(key.publicKey());

    byte[] element = VoprfP384.blind(input("x"), random).blindedElement();
    byte[] proof = new byte[96];
    List<byte[]> elements = new ArrayList<>(List.of(element));
    VoprfP384.Evaluation evaluation = new VoprfP384.Evaluation(elements, proof);
    elements.clear();
    element[0] = 0x7F;
    proof[0] = 1;
    evaluation.evaluatedElements().get(0)[1] ^= 1;
    assertThat(evaluation.evaluatedElements()).hasSize(1);
    assertThat(evaluation.evaluatedElements().get(0)[0]).isIn((byte) 2, (byte) 3);
    assertThat(evaluation.proof()).containsOnly(0);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  @DisplayName("concurrent use from eight threads gives the same results as sequential use")
  void concurrentUse_isThreadSafe() throws Exception {
    VoprfP384.KeyPair key = VoprfP384.generateKeyPair(random);
    int n = 64;
    List<byte[]> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(VoprfP384.evaluate(key.secretKey(), input("input " + i)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<byte[]>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] in = input("input " + i);
        futures.add(
            pool.submit(
                () -> {
                  SecureRandom r = new SecureRandom();
                  VoprfP384.Blinded b = VoprfP384.blind(in, r);
                  VoprfP384.Evaluation e =
                      VoprfP384.blindEvaluate(key, List.of(b.blindedElement()), r);
                  return VoprfP384.finalize(key.publicKey(), List.of(in), List.of(b), e).get(0);
                }));
      }
      for (int i = 0; i < n; i++) {
        assertThat(Arrays.equals(futures.get(i).get(), expected.get(i)))
            .as("output %d", i)
            .isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
