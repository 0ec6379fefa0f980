package org.privateprocessing.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.privateprocessing.attest.SnpVectors.VALID_AT;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real reports verify against AMD's roots; the Milan debug guest only when debugging is
 * allowed.
 */
class SnpVerifierTest {

  static Stream<SnpVectors.Pair> reports() {
    return SnpVectors.all().stream();
  }

  static Verdict verify(SnpVectors.Pair pair, AttestationPolicy policy) {
    return SnpVerifier.verify(
        SnpVectors.bytes(pair.report()),
        SnpVectors.cert(pair.vcek()),
        Optional.empty(),
        Optional.empty(),
        policy,
        VALID_AT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reports")
  @DisplayName("every real report verifies with its VCEK and the shipped AMD Milan roots")
  void realReportsVerify(SnpVectors.Pair pair) {
    Verdict v = verify(pair, AttestationPolicy.auditAnyMeasurement().allowingDebug());
    assertThat(v).isInstanceOf(Verdict.Accepted.class);
    assertThat(((Verdict.Accepted) v).report().encode()).isEqualTo(SnpVectors.bytes(pair.report()));
  }

  @Test
  @DisplayName(
      "the chains shipped with the vectors (virtee, teekit) are accepted as explicit ASK/ARK")
  void explicitChainsVerify() {
    Verdict v =
        SnpVerifier.verify(
            SnpVectors.bytes(SnpVectors.VIRTEE.report()),
            SnpVectors.cert(SnpVectors.VIRTEE.vcek()),
            Optional.of(SnpVectors.cert("virtee-milan-ask.pem")),
            Optional.of(SnpVectors.cert("virtee-milan-ark.pem")),
            AttestationPolicy.auditAnyMeasurement(),
            VALID_AT);
    assertThat(v).isInstanceOf(Verdict.Accepted.class);
    v =
        SnpVerifier.verify(
            SnpVectors.bytes(SnpVectors.TEEKIT.report()),
            SnpVectors.cert(SnpVectors.TEEKIT.vcek()),
            Optional.of(SnpVectors.cert("teekit-gcp-milan-ask.pem")),
            Optional.of(SnpVectors.cert("teekit-gcp-milan-ark.pem")),
            AttestationPolicy.auditAnyMeasurement(),
            VALID_AT);
    assertThat(v).isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  @DisplayName("the Milan vector guest allows DEBUG, so it is refused by default")
  void debugGuestRefusedByDefault() {
    Verdict v = verify(SnpVectors.MILAN, AttestationPolicy.auditAnyMeasurement());
    assertThat(v).isInstanceOf(Verdict.Refused.class);
    assertThat(((Verdict.Refused) v).failed()).isEqualTo(Check.DEBUG);
  }

  @Test
  @DisplayName("a policy naming the measurement, TCB and REPORT_DATA accepts the matching report")
  void strictPolicyAccepts() throws Exception {
    SnpReport r = SnpReport.parse(SnpVectors.bytes(SnpVectors.VIRTEE.report()));
    AttestationPolicy policy =
        AttestationPolicy.requireMeasurements(List.of(r.measurement()))
            .withMinimumTcb(TcbVersion.ofMilanGenoa(3, 0, 8, 115))
            .withReportData(r.reportData());
    assertThat(verify(SnpVectors.VIRTEE, policy)).isEqualTo(new Verdict.Accepted(r));
  }

  @Test
  @DisplayName("the Turin VCEK chains to the shipped Turin roots")
  void turinChain() {
    assertThat(
            SnpVerifier.verifyChain(
                SnpVectors.cert("virtee-turin-vcek.der"),
                Optional.empty(),
                Optional.empty(),
                VALID_AT))
        .isEmpty();
    assertThat(
            SnpVerifier.verifyChain(
                SnpVectors.cert("virtee-turin-vcek.der"),
                Optional.of(SnpVectors.cert("virtee-turin-ask.pem")),
                Optional.of(SnpVectors.cert("virtee-turin-ark.pem")),
                VALID_AT))
        .isEmpty();
  }

  @Test
  @DisplayName("the shipped ARK/ASK of each product line chain at any time in their validity")
  void shippedRootsChain() {
    for (AmdProduct p : AmdProduct.values()) {
      assertThat(p.ark().getSubjectX500Principal().getName()).contains("CN=" + p.arkCommonName());
      assertThat(p.ask().getSubjectX500Principal().getName()).contains("CN=" + p.askCommonName());
    }
    assertThat(AmdProduct.ofVcek(SnpVectors.cert("milan-vcek.der"))).contains(AmdProduct.MILAN);
    assertThat(AmdProduct.ofVcek(SnpVectors.cert("virtee-turin-vcek.der")))
        .contains(AmdProduct.TURIN);
  }
}
