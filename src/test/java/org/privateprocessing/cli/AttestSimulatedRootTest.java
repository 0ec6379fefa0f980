package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.client.TrustFiles;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.PrivatePathTest;
import org.privateprocessing.node.Role;

/**
 * {@code attest verify} against a running demo enclave: its simulated evidence is refused unless
 * the simulated root is given explicitly, and then accepted with a loud warning.
 */
class AttestSimulatedRootTest {
  private static Vertx vertx;
  private static Node.Running node;
  private static Path dir;
  private static Path trustFile;
  private static Path rootPem;

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  @BeforeAll
  static void startDemoEnclave() throws Exception {
    vertx = Vertx.vertx();
    dir = Files.createTempDirectory("pp-attest");
    JsonObject conf =
        new JsonObject()
            .put("profile", "demo")
            // Its own data directory, not ./run of whoever runs the tests.
            .put("dataDir", dir.resolve("data").toString())
            .put("attestation", new JsonObject().put("tlsPort", 0))
            .put("enclave", new JsonObject().put("id", "a77e570000000001"));
    node = PrivatePathTest.await(Node.start(vertx, Role.ENCLAVE, conf));
    // What serve writes for local clients in the demo profile: root + measurement.
    JsonObject fragment =
        TrustFiles.simulatedFragment(node.simulatedRoot().orElseThrow(), node.measurementHex());
    trustFile = dir.resolve("enclave-" + node.enclaveId() + ".json");
    Files.writeString(trustFile, fragment.encodePrettily());
    rootPem = dir.resolve("root.pem");
    Files.writeString(rootPem, fragment.getJsonArray("simulatedRoots").getString(0));
  }

  @AfterAll
  static void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
  }

  private int run(String... args) {
    picocli.CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    return cli.execute(args);
  }

  private JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out.toString());
  }

  /** {@code attest verify --ratls HOST:PORT MORE...} against the demo enclave. */
  private int verifyRatls(String... more) {
    List<String> args = new ArrayList<>(List.of("attest", "verify", "--ratls", ratls()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  /** {@code attest verify --evidence FILE --trust-simulated-root TRUST-FILE}. */
  private int verifyEvidence(String evidence) {
    return run(
        "attest", "verify", "--evidence", evidence, "--trust-simulated-root", trustFile.toString());
  }

  private String ratls() {
    return "127.0.0.1:" + node.enclaveTlsPort();
  }

  @Test
  @DisplayName(
      "the demo enclave's RA-TLS evidence is refused by SIMULATED_ROOT without the option, and no warning is printed")
  void refusedWithoutTheRoot() throws Exception {
    assertThat(run("attest", "verify", "--ratls", ratls())).isEqualTo(AttestCommand.EXIT_REFUSED);
    assertThat(json().at("/verdict/failedCheck").asText()).isEqualTo("SIMULATED_ROOT");
    assertThat(json().at("/report/measurement").asText()).isEqualTo(node.measurementHex());
    assertThat(err.toString()).contains("refused by SIMULATED_ROOT").doesNotContain("WARNING");
  }

  @Test
  @DisplayName(
      "with --trust-simulated-root (the trust file serve writes, or the bare PEM) it is accepted, with a loud WARNING on stderr")
  void acceptedWithTheRootAndWarned() throws Exception {
    assertThat(
            verifyRatls(
                "--trust-simulated-root",
                trustFile.toString(),
                "--measurement",
                node.measurementHex()))
        .isZero();
    JsonNode j = json();
    assertThat(j.at("/verdict/accepted").asBoolean()).isTrue();
    assertThat(j.at("/evidence/source").asText()).isEqualTo("RA-TLS " + ratls());
    assertThat(j.at("/evidence/chain/1").asText()).contains("SEV-SIMULATED");
    assertThat(err.toString())
        .startsWith("WARNING: trusting the SIMULATED root")
        .contains("proves NO AMD hardware")
        .contains(trustFile.toString());

    out.getBuffer().setLength(0);
    assertThat(
            verifyRatls(
                "--trust-simulated-root", rootPem.toString(), "--measurement", "00".repeat(48)))
        .isEqualTo(AttestCommand.EXIT_REFUSED);
    assertThat(json().at("/verdict/failedCheck").asText()).isEqualTo("MEASUREMENT");
  }

  @Test
  @DisplayName(
      "--evidence takes the bundle as DER or as the listing's base64url text; a tampered bundle is refused by REPORT_DATA")
  void evidenceFiles() throws Exception {
    EnclaveEvidence e = node.attestation().snapshot().evidence();
    Path der = dir.resolve("evidence.der");
    Files.write(der, e.encode());
    Path text = dir.resolve("evidence.txt");
    Files.writeString(
        text, Base64.getUrlEncoder().withoutPadding().encodeToString(e.encode()) + "\n");
    for (Path p : new Path[] {der, text}) {
      out.getBuffer().setLength(0);
      assertThat(verifyEvidence(p.toString())).isZero();
      assertThat(json().at("/evidence/producedAt").asText()).isEqualTo(e.producedAt().toString());
    }
    // The same report and chain, presenting other key configs than the report binds.
    EnclaveEvidence swapped =
        new EnclaveEvidence(e.report(), e.chain(), new byte[] {0, 1}, e.tlsSpki(), e.producedAt());
    Path bad = dir.resolve("swapped.der");
    Files.write(bad, swapped.encode());
    out.getBuffer().setLength(0);
    assertThat(verifyEvidence(bad.toString())).isEqualTo(AttestCommand.EXIT_REFUSED);
    assertThat(json().at("/verdict/failedCheck").asText()).isEqualTo("REPORT_DATA");
  }

  @Test
  @DisplayName(
      "bad input is one clear line: two evidence sources, an AMD root given as simulated, a file that is no bundle, a bad HOST:PORT")
  void badInput() throws Exception {
    assertThat(verifyRatls("--evidence", trustFile.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("give the evidence one way");
    assertThat(run("attest", "verify", "--report", trustFile.toString())).isEqualTo(2);

    err.getBuffer().setLength(0);
    assertThat(
            verifyRatls(
                "--trust-simulated-root", "src/test/resources/vectors/sevsnp/amd-ark-genoa.pem"))
        .isEqualTo(CliErrors.EXIT_FAILED);
    assertThat(err.toString())
        .contains("is not a simulated root")
        .doesNotContain("WARNING")
        .doesNotContain("\tat ");

    err.getBuffer().setLength(0);
    Path junk = dir.resolve("junk.txt");
    Files.write(junk, "not evidence!".getBytes(StandardCharsets.US_ASCII));
    assertThat(run("attest", "verify", "--evidence", junk.toString()))
        .isEqualTo(CliErrors.EXIT_FAILED);
    assertThat(err.toString()).contains(junk + " is neither evidence DER nor its base64url text");

    err.getBuffer().setLength(0);
    assertThat(run("attest", "verify", "--ratls", "127.0.0.1")).isEqualTo(CliErrors.EXIT_FAILED);
    assertThat(err.toString()).contains("--ratls takes HOST:PORT");
    assertThat(out.toString()).isEmpty();
  }
}
