package org.privateprocessing.attest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of every real report, against the vectors' expected JSON, and the byte-exact round
 * trip.
 */
class SnpReportVectorTest {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<SnpVectors.Pair> reports() {
    return SnpVectors.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reports")
  @DisplayName("parse then encode reproduces the report byte for byte")
  void roundTrip(SnpVectors.Pair pair) throws Exception {
    byte[] bytes = SnpVectors.bytes(pair.report());
    JsonNode expected = SnpVectors.json(pair.expected());
    assertThat(bytes).hasSize(expected.get("report_size").asInt());
    assertThat(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
        .isEqualTo(expected.get("report_sha256").asText());
    SnpReport report = SnpReport.parse(bytes);
    assertThat(report.encode()).isEqualTo(bytes);
    assertThat(SnpReport.parse(report.encode())).isEqualTo(report);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reports")
  @DisplayName("every ABI field equals the expected JSON")
  void fields(SnpVectors.Pair pair) throws Exception {
    SnpReport r = SnpReport.parse(SnpVectors.bytes(pair.report()));
    JsonNode e = SnpVectors.json(pair.expected());
    JsonNode f = e.get("fields");
    assertThat(r.version()).isEqualTo(f.get("version").asInt());
    assertThat(r.guestSvn()).isEqualTo(f.get("guest_svn").asLong());
    assertThat(r.policy().raw()).isEqualTo(Long.decode(f.get("policy").asText()));
    assertThat(HEX.formatHex(r.familyId())).isEqualTo(f.get("family_id").asText());
    assertThat(HEX.formatHex(r.imageId())).isEqualTo(f.get("image_id").asText());
    assertThat(r.vmpl()).isEqualTo(f.get("vmpl").asLong());
    assertThat(r.signatureAlgo()).isEqualTo(f.get("signature_algo").asLong());
    tcb(r.currentTcb(), f.get("current_tcb"));
    assertThat(r.platformInfo()).isEqualTo(Long.decode(f.get("platform_info").asText()));
    assertThat(r.flags()).isEqualTo(Long.decode(f.get("flags_0x48").asText()));
    assertThat(HEX.formatHex(r.reportData())).isEqualTo(f.get("report_data").asText());
    assertThat(HEX.formatHex(r.measurement())).isEqualTo(f.get("measurement").asText());
    assertThat(HEX.formatHex(r.hostData())).isEqualTo(f.get("host_data").asText());
    assertThat(HEX.formatHex(r.idKeyDigest())).isEqualTo(f.get("id_key_digest").asText());
    assertThat(HEX.formatHex(r.authorKeyDigest())).isEqualTo(f.get("author_key_digest").asText());
    assertThat(HEX.formatHex(r.reportId())).isEqualTo(f.get("report_id").asText());
    assertThat(HEX.formatHex(r.reportIdMa())).isEqualTo(f.get("report_id_ma").asText());
    tcb(r.reportedTcb(), f.get("reported_tcb"));
    assertThat(HEX.formatHex(r.chipId())).isEqualTo(f.get("chip_id").asText());
    tcb(r.committedTcb(), f.get("committed_tcb"));
    assertThat(r.currentBuild()).isEqualTo(f.get("current_build").asInt());
    assertThat(r.currentMinor()).isEqualTo(f.get("current_minor").asInt());
    assertThat(r.currentMajor()).isEqualTo(f.get("current_major").asInt());
    assertThat(r.committedBuild()).isEqualTo(f.get("committed_build").asInt());
    assertThat(r.committedMinor()).isEqualTo(f.get("committed_minor").asInt());
    assertThat(r.committedMajor()).isEqualTo(f.get("committed_major").asInt());
    tcb(r.launchTcb(), f.get("launch_tcb"));
    assertThat(r.hasCpuid()).isEqualTo(f.has("cpuid_fam_id"));
    if (f.has("cpuid_fam_id")) {
      assertThat(r.cpuidFamId()).isEqualTo(f.get("cpuid_fam_id").asInt());
      assertThat(r.cpuidModId()).isEqualTo(f.get("cpuid_mod_id").asInt());
      assertThat(r.cpuidStep()).isEqualTo(f.get("cpuid_step").asInt());
    }
    assertThat(HEX.formatHex(r.signatureR())).isEqualTo(e.get("signature_r_le_hex").asText());
    assertThat(HEX.formatHex(r.signatureS())).isEqualTo(e.get("signature_s_le_hex").asText());
    assertThat(r.policy().debugAllowed())
        .isEqualTo(e.get("expected_results").get("debug_allowed_policy_bit19").asBoolean());
    assertThat(r.policy().reservedOne()).isTrue();
    assertThat(r.signingKey()).isEqualTo(SnpReport.SIGNING_KEY_VCEK);
    assertThat(r.maskChipKey()).isFalse();
    assertThat(r.reserved()).containsOnly(0);
  }

  private static void tcb(TcbVersion t, JsonNode e) {
    assertThat(t.rawHex()).isEqualTo(e.get("raw").asText());
    assertThat(t.bootLoader()).isEqualTo(e.get("boot_loader").asInt());
    assertThat(t.tee()).isEqualTo(e.get("tee").asInt());
    assertThat(t.snp()).isEqualTo(e.get("snp").asInt());
    assertThat(t.microcode()).isEqualTo(e.get("microcode").asInt());
    assertThat(t.milanGenoaReservedZero()).isTrue();
    assertThat(TcbVersion.ofMilanGenoa(t.bootLoader(), t.tee(), t.snp(), t.microcode()))
        .isEqualTo(t);
  }
}
