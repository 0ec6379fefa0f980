package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code attest verify} on the real vectors: exit 0 only when accepted, the failed check named
 * otherwise.
 */
class AttestCommandTest {
  private static final String DIR = "src/test/resources/vectors/sevsnp/";
  private static final String AT = "2026-06-01T00:00:00Z";
  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    return cli.execute(args);
  }

  /** {@code attest verify --report DIR/REPORT --vcek DIR/VCEK MORE...}, its exit code. */
  private int verify(String report, String vcek, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("attest", "verify", "--report", DIR + report, "--vcek", DIR + vcek));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out.toString());
  }

  @Test
  @DisplayName(
      "the Milan debug guest is refused by default, naming DEBUG, and the report is still printed")
  void milanRefusedWithoutAllowDebug() throws Exception {
    assertThat(verify("milan-report.bin", "milan-vcek.der", "--at", AT))
        .isEqualTo(AttestCommand.EXIT_REFUSED);
    JsonNode j = json();
    assertThat(j.at("/verdict/accepted").asBoolean()).isFalse();
    assertThat(j.at("/verdict/failedCheck").asText()).isEqualTo("DEBUG");
    assertThat(j.at("/report/measurement").asText()).startsWith("b07af962");
    assertThat(j.at("/report/policy/debug_allowed").asBoolean()).isTrue();
    assertThat(err.toString()).contains("refused by DEBUG");
  }

  @Test
  @DisplayName(
      "with --allow-debug, the measurement and the REPORT_DATA prefix, the Milan report is accepted")
  void milanAcceptedWithAllowDebug() throws Exception {
    assertThat(
            verify(
                "milan-report.bin",
                "milan-vcek.pem",
                "--at",
                AT,
                "--allow-debug",
                "--report-data",
                "0102030405",
                "--measurement",
                "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01"))
        .isZero();
    assertThat(json().at("/verdict/accepted").asBoolean()).isTrue();
    assertThat(json().at("/report/reported_tcb/microcode").asInt()).isEqualTo(68);
  }

  @Test
  @DisplayName(
      "a v5 Google Cloud report verifies with an explicit AMD chain; a wrong measurement is refused")
  void teekitV5() throws Exception {
    assertThat(
            verify(
                "teekit-gcp-milan-v5-report.bin",
                "teekit-gcp-milan-vcek.pem",
                "--ask",
                DIR + "teekit-gcp-milan-ask.pem",
                "--ark",
                DIR + "teekit-gcp-milan-ark.pem",
                "--at",
                AT))
        .isZero();
    assertThat(json().at("/report/cpuid_fam_id").asInt()).isEqualTo(0x19);
    out.getBuffer().setLength(0);
    assertThat(
            verify(
                "teekit-gcp-milan-v5-report.bin",
                "teekit-gcp-milan-vcek.pem",
                "--at",
                AT,
                "--min-tcb",
                "4,0,28,0"))
        .isEqualTo(AttestCommand.EXIT_REFUSED);
    assertThat(json().at("/verdict/failedCheck").asText()).isEqualTo("TCB");
    out.getBuffer().setLength(0);
    assertThat(
            verify(
                "teekit-gcp-milan-v5-report.bin",
                "teekit-gcp-milan-vcek.pem",
                "--at",
                AT,
                "--measurement",
                "00".repeat(48)))
        .isEqualTo(AttestCommand.EXIT_REFUSED);
    assertThat(json().at("/verdict/failedCheck").asText()).isEqualTo("MEASUREMENT");
  }

  @Test
  @DisplayName(
      "Genoa roots for a Milan VCEK are refused as VCEK_CHAIN; an expired VCEK as CERT_VALIDITY")
  void wrongChainAndExpiry() throws Exception {
    assertThat(
            verify(
                "virtee-milan-report.bin",
                "virtee-milan-vcek.der",
                "--ask",
                DIR + "amd-ask-genoa.pem",
                "--ark",
                DIR + "amd-ark-genoa.pem",
                "--at",
                AT))
        .isEqualTo(AttestCommand.EXIT_REFUSED);
    assertThat(json().at("/verdict/failedCheck").asText()).isEqualTo("VCEK_CHAIN");
    out.getBuffer().setLength(0);
    assertThat(
            verify(
                "virtee-milan-report.bin", "virtee-milan-vcek.der", "--at", "2031-01-01T00:00:00Z"))
        .isEqualTo(AttestCommand.EXIT_REFUSED);
    assertThat(json().at("/verdict/failedCheck").asText()).isEqualTo("CERT_VALIDITY");
  }

  @Test
  @DisplayName(
      "a report that is not a report is refused as FORMAT; a VCEK that is not a certificate is one clear error")
  void badFiles() throws Exception {
    assertThat(verify("milan-vcek.der", "milan-vcek.der", "--at", AT))
        .isEqualTo(AttestCommand.EXIT_REFUSED);
    assertThat(json().at("/verdict/failedCheck").asText()).isEqualTo("FORMAT");
    assertThat(verify("milan-report.bin", "milan-report.bin")).isEqualTo(CliErrors.EXIT_FAILED);
    assertThat(err.toString()).contains("not an X.509 certificate").doesNotContain("\tat ");
  }

  @Test
  @DisplayName("--help explains the checks, the defaults and the exit status")
  void help() {
    assertThat(run("attest", "verify", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--report",
            "--vcek",
            "--allow-debug",
            "--measurement",
            "--report-data",
            "Exit status",
            "Example");
    out.getBuffer().setLength(0);
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("attest");
  }
}
