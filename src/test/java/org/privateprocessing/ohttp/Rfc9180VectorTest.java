package org.privateprocessing.ohttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9180 Appendix A.1 and A.2 base-mode vectors through the {@code Hpke} seam, on each backend
 * ({@link HpkeBackends#all()}: BouncyCastle and libsodium with the JDK).
 *
 * <p>Skipped: the P-256 suite (A.3; not a KEM this package offers) and PSK mode (mode 1; Oblivious
 * HTTP uses base mode only, and BouncyCastle's SetupPSKS has no fixed-ephemeral-key variant).
 * DeriveKeyPair is not needed: skEm and skRm are imported directly.
 */
class Rfc9180VectorTest {
  static Stream<JsonNode> baseModeX25519Vectors() {
    List<JsonNode> out = new ArrayList<>();
    Vectors.load("hpke/rfc9180-selected.json")
        .get("vectors")
        .forEach(
            v -> {
              if (v.get("mode").asInt() == 0
                  && v.get("kem_id").asInt() == HpkeIds.KEM_X25519_HKDF_SHA256) {
                out.add(v);
              }
            });
    assertThat(out).hasSize(2);
    return out.stream();
  }

  static Stream<Arguments> backendsAndVectors() {
    return HpkeBackends.stream()
        .flatMap(b -> baseModeX25519Vectors().map(v -> Arguments.of(b.name(), b, v)));
  }

  @ParameterizedTest(
      name = "{index} {0}: sender reproduces enc, every listed ciphertext and every export")
  @MethodSource("backendsAndVectors")
  void sender_reproducesEncCiphertextsAndExports(String name, HpkeBackend backend, JsonNode v) {
    int kdf = v.get("kdf_id").asInt();
    int aead = v.get("aead_id").asInt();
    Hpke.KeyPair receiver =
        Hpke.keyPairFromPrivateKey(backend, HpkeIds.KEM_X25519_HKDF_SHA256, hex(v.get("skRm")));
    assertThat(receiver.backend()).isSameAs(backend);
    assertThat(hex(receiver.publicKey())).isEqualTo(v.get("pkRm").asText());

    Hpke.Sender sender =
        Hpke.setupBaseSWithEphemeral(
            backend,
            HpkeIds.KEM_X25519_HKDF_SHA256,
            kdf,
            aead,
            hex(v.get("pkRm")),
            hex(v.get("info")),
            hex(v.get("skEm")));
    assertThat(hex(sender.enc)).isEqualTo(v.get("enc").asText());

    // The vectors list sequence numbers 0,1,2,4,255,256: seal throwaway messages to skip ahead.
    int seq = 0;
    for (JsonNode e : v.get("encryptions")) {
      int target = e.get("sequence_number").asInt();
      for (; seq < target; seq++) {
        sender.context.seal(new byte[0], new byte[0]);
      }
      byte[] ct = sender.context.seal(hex(e.get("aad")), hex(e.get("pt")));
      seq++;
      assertThat(hex(ct)).as("sequence %d", target).isEqualTo(e.get("ct").asText());
    }
    for (JsonNode x : v.get("exports")) {
      assertThat(hex(sender.context.export(hex(x.get("exporter_context")), x.get("L").asInt())))
          .isEqualTo(x.get("exported_value").asText());
    }
  }

  @ParameterizedTest(
      name =
          "{index} {0}: receiver opens the first ciphertexts in order and exports the same values")
  @MethodSource("backendsAndVectors")
  void receiver_opensInOrderAndExports(String name, HpkeBackend backend, JsonNode v) {
    Hpke.KeyPair receiver =
        Hpke.keyPairFromPrivateKey(backend, HpkeIds.KEM_X25519_HKDF_SHA256, hex(v.get("skRm")));
    Hpke.Context ctx =
        Hpke.setupBaseR(
            v.get("kdf_id").asInt(),
            v.get("aead_id").asInt(),
            receiver,
            hex(v.get("enc")),
            hex(v.get("info")));
    assertThat(ctx).isNotNull();
    // Sequence numbers 0, 1, 2 are consecutive, so they open without skipping.
    for (int i = 0; i < 3; i++) {
      JsonNode e = v.get("encryptions").get(i);
      assertThat(hex(ctx.open(hex(e.get("aad")), hex(e.get("ct")))))
          .isEqualTo(e.get("pt").asText());
    }
    for (JsonNode x : v.get("exports")) {
      assertThat(hex(ctx.export(hex(x.get("exporter_context")), x.get("L").asInt())))
          .isEqualTo(x.get("exported_value").asText());
    }
  }
}
