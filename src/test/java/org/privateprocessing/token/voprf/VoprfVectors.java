package org.privateprocessing.token.voprf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.privateprocessing.ohttp.Vectors;

/**
 * The P384-SHA384 vectors of RFC 9497 Appendix A from two transcriptions (the RFC markdown and
 * cloudflare/circl's JSON), normalised into one shape so the same tests run over both.
 */
final class VoprfVectors {
  static final String RFC = "voprf/rfc9497-p384-sha384.json";
  static final String CIRCL = "voprf/circl-rfc9497-p384-sha384.json";

  /**
   * One vector: key derivation inputs and outputs, then per-batch lists. pkSm and proof are null in
   * OPRF mode.
   */
  record Case(
      String source,
      String name,
      int mode,
      byte[] seed,
      byte[] keyInfo,
      byte[] skSm,
      byte[] pkSm,
      List<byte[]> inputs,
      List<byte[]> blinds,
      List<byte[]> blindedElements,
      List<byte[]> evaluationElements,
      byte[] proof,
      byte[] proofRandomScalar,
      List<byte[]> outputs) {
    @Override
    public String toString() {
      return source + " mode " + mode + ": " + name;
    }
  }

  private VoprfVectors() {}

  static List<Case> rfc(int mode) {
    JsonNode modes = Vectors.load(RFC).get("modes");
    List<Case> cases = new ArrayList<>();
    modes
        .fields()
        .forEachRemaining(
            entry -> {
              JsonNode m = entry.getValue();
              if (m.get("mode").asInt() != mode) {
                return;
              }
              for (JsonNode v : m.get("vectors")) {
                cases.add(
                    new Case(
                        "RFC 9497",
                        v.get("name").asText(),
                        mode,
                        hex(m.get("Seed")),
                        hex(m.get("KeyInfo")),
                        hex(m.get("skSm")),
                        m.has("pkSm") ? hex(m.get("pkSm")) : null,
                        list(v.get("Input")),
                        list(v.get("Blind")),
                        list(v.get("BlindedElement")),
                        list(v.get("EvaluationElement")),
                        v.has("Proof") ? hex(v.get("Proof")) : null,
                        v.has("ProofRandomScalar") ? hex(v.get("ProofRandomScalar")) : null,
                        list(v.get("Output"))));
              }
            });
    return cases;
  }

  static List<Case> circl(int mode) {
    List<Case> cases = new ArrayList<>();
    for (JsonNode s : Vectors.load(CIRCL).get("suites")) {
      if (s.get("mode").asInt() != mode || !"P384-SHA384".equals(s.get("identifier").asText())) {
        continue;
      }
      int n = 0;
      for (JsonNode v : s.get("vectors")) {
        n++;
        JsonNode proof = v.get("Proof");
        cases.add(
            new Case(
                "circl",
                "vector " + n + ", batch " + v.get("Batch").asInt(),
                mode,
                hex(s.get("seed")),
                hex(s.get("keyInfo")),
                hex(s.get("skSm")),
                s.has("pkSm") ? hex(s.get("pkSm")) : null,
                commaList(v.get("Input")),
                commaList(v.get("Blind")),
                commaList(v.get("BlindedElement")),
                commaList(v.get("EvaluationElement")),
                proof == null ? null : hex(proof.get("proof")),
                proof == null ? null : hex(proof.get("r")),
                commaList(v.get("Output"))));
      }
    }
    return cases;
  }

  static List<Case> both(int mode) {
    List<Case> all = new ArrayList<>(rfc(mode));
    all.addAll(circl(mode));
    return all;
  }

  static byte[] hex(JsonNode node) {
    return HexFormat.of().parseHex(node.asText());
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static List<String> hexAll(List<byte[]> list) {
    return list.stream().map(VoprfVectors::hex).toList();
  }

  private static List<byte[]> list(JsonNode array) {
    List<byte[]> out = new ArrayList<>();
    array.forEach(e -> out.add(hex(e)));
    return out;
  }

  private static List<byte[]> commaList(JsonNode node) {
    return Arrays.stream(node.asText().split(",", -1)).map(HexFormat.of()::parseHex).toList();
  }
}
