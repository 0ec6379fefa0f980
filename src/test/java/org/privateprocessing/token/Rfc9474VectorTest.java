package org.privateprocessing.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.ohttp.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.privateprocessing.ohttp.Vectors;

/**
 * RFC 9474 Appendix A, all four RSABSSA-SHA384 variants, from two transcriptions (the RFC markdown
 * and circl's JSON, which differ in the PSSZERO-Deterministic blind; both sets are
 * self-consistent).
 */
class Rfc9474VectorTest {
  static Stream<Arguments> vectors() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode v : Vectors.load("blindrsa/rfc9474.json").get("vectors")) {
      out.add(Arguments.of("rfc " + v.get("variant").asText(), v));
    }
    for (JsonNode v : Vectors.load("blindrsa/circl-rfc9474.json").get("vectors")) {
      out.add(Arguments.of("circl " + v.get("name").asText(), v));
    }
    return out.stream();
  }

  private static BigInteger integer(JsonNode v, String field) {
    String s = v.get(field).asText();
    return new BigInteger(s.startsWith("0x") ? s.substring(2) : s, 16);
  }

  private static byte[] bytes(JsonNode v, String field) {
    return hex(v.get(field).asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @DisplayName(
      "prepare, blind with the vector's salt and inv, blind-sign and finalize reproduce every field")
  void blindSignature_reproducesVector(String name, JsonNode v) throws Exception {
    BigInteger p = integer(v, "p");
    BigInteger q = integer(v, "q");
    BigInteger n = integer(v, "n");
    BigInteger e = integer(v, "e");
    BigInteger d = integer(v, "d");
    assertThat(p.multiply(q)).isEqualTo(n);
    KeyFactory kf = KeyFactory.getInstance("RSA");
    RSAPublicKey pk = (RSAPublicKey) kf.generatePublic(new RSAPublicKeySpec(n, e));
    RSAPrivateKey sk =
        (RSAPrivateKey)
            kf.generatePrivate(
                new RSAPrivateCrtKeySpec(
                    n,
                    e,
                    d,
                    p,
                    q,
                    d.mod(p.subtract(BigInteger.ONE)),
                    d.mod(q.subtract(BigInteger.ONE)),
                    q.modInverse(p)));

    // Prepare (RFC 9474 section 4.1): Randomized prepends the 32-byte prefix, Deterministic is the
    // identity.
    byte[] preparedMsg = Bytes.concat(bytes(v, "msg_prefix"), bytes(v, "msg"));
    byte[] expectedPrepared = bytes(v, v.has("prepared_msg") ? "prepared_msg" : "input_msg");
    assertThat(preparedMsg).isEqualTo(expectedPrepared);

    byte[] salt = bytes(v, "salt");
    BigInteger inv = integer(v, "inv");
    BlindRsa.Blinded blinded = BlindRsa.blind(pk, preparedMsg, salt, inv.modInverse(n));
    if (v.has("encoded_msg")) {
      assertThat(hex(blinded.encodedMsg())).isEqualTo(v.get("encoded_msg").asText());
    }
    assertThat(blinded.inv()).isEqualTo(inv);
    assertThat(hex(blinded.blindedMsg())).isEqualTo(v.get("blinded_msg").asText());

    byte[] blindSig = BlindRsa.blindSign(BlindRsa.rsaPrivate(sk), pk, blinded.blindedMsg());
    assertThat(hex(blindSig)).isEqualTo(v.get("blind_sig").asText());

    byte[] sig = BlindRsa.finalizeSignature(pk, preparedMsg, salt.length, blindSig, blinded.inv());
    assertThat(hex(sig)).isEqualTo(v.get("sig").asText());
    assertThat(BlindRsa.verify(BlindRsa.pssVerifier(pk, salt.length), preparedMsg, sig)).isTrue();
  }
}
