package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.prng.FixedSecureRandom;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMExtractor;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMGenerator;
import org.bouncycastle.pqc.crypto.xwing.XWingKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.xwing.XWingKeyPairGenerator;
import org.bouncycastle.pqc.crypto.xwing.XWingPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.xwing.XWingPublicKeyParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The X-Wing draft's test vectors (vectors/xwing) on the KEM both backends use: BouncyCastle's
 * X-Wing classes (under its HPKE) and {@link XWing}, the composition with libsodium's X25519; then
 * through the HPKE seam of each backend, where pk is the public key and ct the encapsulated key.
 */
class XWingVectorTest {
  static List<JsonNode> vectors() {
    List<JsonNode> out = new ArrayList<>();
    Vectors.load("xwing/draft-connolly-cfrg-xwing-kem.json").get("vectors").forEach(out::add);
    assertThat(out).hasSize(3);
    return out;
  }

  static Stream<Arguments> backendsAndVectors() {
    return HpkeBackends.stream()
        .flatMap(b -> vectors().stream().map(v -> Arguments.of(b.name(), b, v)));
  }

  @ParameterizedTest(name = "{index}: BouncyCastle's X-Wing derives pk, encapsulates to ct, ss")
  @MethodSource("vectors")
  void bouncyCastleXWing_matchesVector(JsonNode v) {
    XWingKeyPairGenerator gen = new XWingKeyPairGenerator();
    gen.init(new XWingKeyGenerationParameters(new FixedSecureRandom(hex(v.get("seed")))));
    AsymmetricCipherKeyPair kp = gen.generateKeyPair();
    assertThat(hex(((XWingPublicKeyParameters) kp.getPublic()).getEncoded()))
        .isEqualTo(v.get("pk").asText());

    SecretWithEncapsulation e =
        new XWingKEMGenerator(new FixedSecureRandom(hex(v.get("eseed"))))
            .generateEncapsulated(kp.getPublic());
    assertThat(hex(e.getEncapsulation())).isEqualTo(v.get("ct").asText());
    assertThat(hex(e.getSecret())).isEqualTo(v.get("ss").asText());
    assertThat(
            hex(
                new XWingKEMExtractor((XWingPrivateKeyParameters) kp.getPrivate())
                    .extractSecret(hex(v.get("ct")))))
        .isEqualTo(v.get("ss").asText());
  }

  @ParameterizedTest(
      name = "{index}: the libsodium composition derives pk, encapsulates to ct, decapsulates ss")
  @MethodSource("vectors")
  void libsodiumXWing_matchesVector(JsonNode v) {
    assumeThat(HpkeBackends.libsodium()).isNotNull();
    XWing.DecapsulationKey key = XWing.expand(hex(v.get("seed")));
    assertThat(hex(key.publicKey)).isEqualTo(v.get("pk").asText());

    XWing.Encapsulation e = XWing.encapsulate(hex(v.get("pk")), hex(v.get("eseed")));
    assertThat(hex(e.ciphertext())).isEqualTo(v.get("ct").asText());
    assertThat(hex(e.sharedSecret())).isEqualTo(v.get("ss").asText());
    assertThat(hex(XWing.decapsulate(key, hex(v.get("ct"))))).isEqualTo(v.get("ss").asText());
  }

  @ParameterizedTest(name = "{index} {0}: the HPKE key pair has pk and SetupBaseS sends enc = ct")
  @MethodSource("backendsAndVectors")
  void hpke_publicKeyAndEncMatchVector(String name, HpkeBackend backend, JsonNode v) {
    Hpke.KeyPair key = Hpke.keyPairFromPrivateKey(backend, HpkeIds.KEM_X_WING, hex(v.get("seed")));
    assertThat(hex(key.publicKey())).isEqualTo(v.get("pk").asText());

    byte[] info = {1, 2, 3};
    Hpke.Sender sender =
        Hpke.setupBaseSWithEphemeral(
            backend,
            HpkeIds.KEM_X_WING,
            HpkeIds.KDF_HKDF_SHA256,
            HpkeIds.AEAD_AES_128_GCM,
            hex(v.get("pk")),
            info,
            hex(v.get("eseed")));
    assertThat(hex(sender.enc)).isEqualTo(v.get("ct").asText());
    Hpke.Context receiver =
        Hpke.setupBaseR(
            HpkeIds.KDF_HKDF_SHA256, HpkeIds.AEAD_AES_128_GCM, key, hex(v.get("ct")), info);
    byte[] pt = {42};
    assertThat(receiver.open(new byte[0], sender.context.seal(new byte[0], pt))).isEqualTo(pt);
  }
}
