package org.privateprocessing.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.privateprocessing.attest.AttestationPolicy;
import org.privateprocessing.attest.Certificates;
import org.privateprocessing.attest.EnclaveEvidence;
import org.privateprocessing.attest.EvidenceFormatException;
import org.privateprocessing.attest.SnpFormatException;
import org.privateprocessing.attest.SnpReport;
import org.privateprocessing.attest.SnpVerifier;
import org.privateprocessing.attest.TcbVersion;
import org.privateprocessing.attest.TrustAnchors;
import org.privateprocessing.attest.Verdict;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code attest}: tools for auditors to check AMD SEV-SNP evidence themselves. */
@Command(
    name = "attest",
    mixinStandardHelpOptions = true,
    description = {
      "Checks AMD SEV-SNP attestation evidence, as an auditor would, without trusting us."
    },
    subcommands = {AttestCommand.Verify.class, CommandLine.HelpCommand.class})
final class AttestCommand extends CommandGroup {
  /** Exit code when the evidence was read but refused; 1 stays "could not run" (bad file ...). */
  static final int EXIT_REFUSED = 2;

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Verifies a SEV-SNP attestation report, its certificates and its policy.",
        "Parses a SEV-SNP ATTESTATION_REPORT (AMD ABI spec; 1184 bytes;",
        "versions 2, 3, 5), prints its fields as JSON and verifies: the ECDSA",
        "P-384 report signature with the VCEK; the chain VCEK <- ASK <- ARK",
        "(RSASSA-PSS); certificate validity; the VCEK's chip id and TCB; and",
        "the policy below. ASK and ARK default to AMD's roots shipped in this",
        "jar for the VCEK's product line (Milan, Genoa, Turin); a given ARK",
        "must be AMD's.",
        "",
        "The evidence is a report and its VCEK (--report, --vcek), an enclave's",
        "evidence bundle (--evidence: the 'evidence' of GET /v1/enclaves), or",
        "an enclave's RA-TLS listener (--ratls HOST:PORT: its certificate's",
        "evidence; nothing is sent). A bundle is also checked to bind, in",
        "REPORT_DATA, the key configs, TLS key and time it presents.",
        "",
        "Evidence from a demo deployment is signed by a simulated root and is",
        "refused (SIMULATED_ROOT) unless that root is given with",
        "--trust-simulated-root; the command then warns on stderr that the",
        "evidence proves no hardware.",
        "",
        "Exit status: 0 accepted, " + EXIT_REFUSED + " refused (the failed check is named),",
        "1 unreadable input."
      },
      footer = {
        "",
        "Examples:",
        "  java -jar target/private-processing.jar attest verify \\",
        "      --report report.bin --vcek vcek.der --measurement b07af962...2b01",
        "  java -jar target/private-processing.jar attest verify --ratls 127.0.0.1:8443 \\",
        "      --trust-simulated-root run/trust/ENCLAVE.json"
      })
  static final class Verify implements Callable<Integer> {
    @Option(
        names = "--report",
        paramLabel = "FILE",
        description = "raw 1184-byte attestation report (with --vcek)")
    Path report;

    @Option(
        names = "--vcek",
        paramLabel = "FILE",
        description = "VCEK certificate, DER or PEM (from AMD KDS)")
    Path vcek;

    @Option(
        names = "--evidence",
        paramLabel = "FILE",
        description =
            "an enclave's evidence bundle (EnclaveEvidence DER, or its base64url text as in GET /v1/enclaves) instead of --report/--vcek")
    Path evidence;

    @Option(
        names = "--ratls",
        paramLabel = "HOST:PORT",
        description =
            "read the evidence from the certificate of an enclave's RA-TLS listener (the handshake is aborted; nothing is sent)")
    String ratls;

    @Option(
        names = "--trust-simulated-root",
        paramLabel = "FILE",
        description =
            "DEMO ONLY: also trust this simulated root (a certificate, or a trust file that serve writes in run/trust/); evidence under it proves no hardware")
    Path simulatedRoot;

    @Option(
        names = "--ask",
        paramLabel = "FILE",
        description = "ASK certificate (default: AMD's, shipped)")
    Path ask;

    @Option(
        names = "--ark",
        paramLabel = "FILE",
        description = "ARK certificate; must be AMD's (default: shipped)")
    Path ark;

    @Option(
        names = "--allow-debug",
        description =
            "accept a guest whose policy allows DEBUG (its memory is readable by the host)")
    boolean allowDebug;

    @Option(
        names = "--measurement",
        paramLabel = "HEX",
        description =
            "accepted launch measurement, 48 bytes hex; repeat for several (default: any, printed for you to compare)")
    List<String> measurements = new ArrayList<>();

    @Option(
        names = "--report-data",
        paramLabel = "HEX",
        description = "expected REPORT_DATA, up to 64 bytes hex, zero-padded on the right")
    String reportData;

    @Option(
        names = "--vmpl",
        paramLabel = "N",
        description = "required VMPL of the report, 0..3 (default: any)")
    Integer vmpl;

    @Option(
        names = "--min-tcb",
        paramLabel = "BL,TEE,SNP,UCODE",
        description = "minimum REPORTED_TCB (Milan/Genoa), e.g. 3,0,8,115")
    String minTcb;

    @Option(
        names = "--at",
        paramLabel = "INSTANT",
        description = "verify as of this time, e.g. 2026-01-01T00:00:00Z (default: now)")
    Instant at;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      int sources = (report != null || vcek != null ? 1 : 0) + (evidence != null ? 1 : 0);
      sources += ratls != null ? 1 : 0;
      if (sources != 1 || (report != null) != (vcek != null)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "give the evidence one way: --report FILE with --vcek FILE, or --evidence FILE, or"
                + " --ratls HOST:PORT");
      }
      if (evidence != null || ratls != null) {
        if (ask != null || ark != null) {
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "--ask and --ark go with --report/--vcek; an evidence bundle carries its own chain");
        }
      }
      TrustAnchors anchors = TrustAnchors.amdOnly();
      if (simulatedRoot != null) {
        anchors = TrustAnchors.trustSimulatedRoots(simulatedRoots(simulatedRoot));
        PrintWriter err = spec.commandLine().getErr();
        for (X509Certificate root : anchors.simulatedRoots()) {
          err.println(
              "WARNING: trusting the SIMULATED root "
                  + root.getSubjectX500Principal().getName()
                  + " (SHA-256 "
                  + HexFormat.of()
                      .formatHex(
                          java.security.MessageDigest.getInstance("SHA-256")
                              .digest(root.getEncoded()))
                  + ") from "
                  + simulatedRoot
                  + ": evidence that verifies under it was signed by software, proves NO AMD"
                  + " hardware and NO confidentiality. Demo deployments only.");
        }
        err.flush();
      }
      AttestationPolicy policy = policy();
      Instant now = at == null ? Instant.now() : at;
      Map<String, Object> out = new LinkedHashMap<>();
      byte[] bytes;
      Verdict verdict;
      if (report != null) {
        bytes = Files.readAllBytes(report);
        X509Certificate vcekCert = cert(vcek);
        Optional<X509Certificate> askCert = ask == null ? Optional.empty() : Optional.of(cert(ask));
        Optional<X509Certificate> arkCert = ark == null ? Optional.empty() : Optional.of(cert(ark));
        verdict =
            SnpVerifier.verify(
                bytes, vcekCert, askCert, arkCert, policy, now, Optional.empty(), anchors);
      } else {
        EnclaveEvidence bundle = evidence != null ? bundle(evidence) : RaTlsFetch.evidence(ratls);
        bytes = bundle.report();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("source", evidence != null ? evidence.toString() : "RA-TLS " + ratls);
        e.put("producedAt", bundle.producedAt().toString());
        e.put(
            "keyConfigs",
            Base64.getUrlEncoder().withoutPadding().encodeToString(bundle.keyConfigs()));
        e.put("tlsSpkiSha256", HexFormat.of().formatHex(sha256(bundle.tlsSpki())));
        e.put(
            "chain",
            bundle.chain().stream().map(c -> c.getSubjectX500Principal().getName()).toList());
        out.put("evidence", e);
        verdict = bundle.verify(policy, now, anchors);
      }

      try {
        out.put("report", describe(SnpReport.parse(bytes)));
      } catch (SnpFormatException e) {
        out.put("report", null);
      }
      Map<String, Object> v = new LinkedHashMap<>();
      if (verdict instanceof Verdict.Refused r) {
        v.put("accepted", false);
        v.put("failedCheck", r.failed().name());
        v.put("reason", r.reason());
      } else {
        v.put("accepted", true);
      }
      out.put("verdict", v);
      PrintWriter w = spec.commandLine().getOut();
      w.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
      w.flush();
      if (verdict instanceof Verdict.Refused r) {
        spec.commandLine().getErr().println("refused by " + r.failed() + ": " + r.reason());
        return EXIT_REFUSED;
      }
      return 0;
    }

    private AttestationPolicy policy() {
      HexFormat hex = HexFormat.of();
      AttestationPolicy policy =
          measurements.isEmpty()
              ? AttestationPolicy.auditAnyMeasurement()
              : AttestationPolicy.requireMeasurements(
                  measurements.stream().map(hex::parseHex).toList());
      if (allowDebug) {
        policy = policy.allowingDebug();
      }
      if (reportData != null) {
        byte[] given = hex.parseHex(reportData);
        if (given.length > 64) {
          throw new IllegalArgumentException("--report-data is at most 64 bytes");
        }
        policy = policy.withReportData(Arrays.copyOf(given, 64));
      }
      if (vmpl != null) {
        policy = policy.withVmpl(vmpl);
      }
      if (minTcb != null) {
        String[] parts = minTcb.split(",");
        if (parts.length != 4) {
          throw new IllegalArgumentException("--min-tcb takes four numbers: BL,TEE,SNP,UCODE");
        }
        int[] v = Arrays.stream(parts).mapToInt(p -> Integer.parseInt(p.trim())).toArray();
        policy = policy.withMinimumTcb(TcbVersion.ofMilanGenoa(v[0], v[1], v[2], v[3]));
      }
      return policy;
    }

    private static byte[] sha256(byte[] b) throws java.security.NoSuchAlgorithmException {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    }

    /** An evidence bundle from a file: its DER, or the base64url text of it. */
    static EnclaveEvidence bundle(Path file) throws Exception {
      byte[] raw = Files.readAllBytes(file);
      byte[] der = raw;
      if (raw.length > 0 && raw[0] != 0x30) {
        String text = new String(raw, java.nio.charset.StandardCharsets.US_ASCII).strip();
        try {
          der = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              file + " is neither evidence DER nor its base64url text");
        }
      }
      try {
        return EnclaveEvidence.parse(der);
      } catch (EvidenceFormatException e) {
        throw new IllegalArgumentException(
            file + " is not an enclave evidence bundle: " + e.getMessage());
      }
    }

    /**
     * The simulated roots in {@code file}: one certificate (DER or PEM), or a trust file's {@code
     * simulatedRoots}. Each must be a simulated root, never an AMD one.
     */
    static List<X509Certificate> simulatedRoots(Path file) throws Exception {
      byte[] raw = Files.readAllBytes(file);
      List<X509Certificate> roots = new ArrayList<>();
      String text = new String(raw, java.nio.charset.StandardCharsets.UTF_8).strip();
      if (text.startsWith("{")) {
        com.fasterxml.jackson.databind.JsonNode pems;
        try {
          pems = new ObjectMapper().readTree(text).get("simulatedRoots");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException(
              file
                  + " is not valid JSON (line "
                  + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                  + "): give a root certificate or a trust file with \"simulatedRoots\"");
        }
        if (pems == null || !pems.isArray() || pems.isEmpty()) {
          throw new IllegalArgumentException(
              file + " has no \"simulatedRoots\": give the trust file serve wrote for its enclave");
        }
        for (com.fasterxml.jackson.databind.JsonNode pem : pems) {
          roots.add(root(pem.asText().getBytes(java.nio.charset.StandardCharsets.US_ASCII), file));
        }
      } else {
        roots.add(root(raw, file));
      }
      return roots;
    }

    private static X509Certificate root(byte[] derOrPem, Path file) {
      X509Certificate c;
      try {
        c = Certificates.parse(derOrPem);
      } catch (CertificateException | RuntimeException e) {
        throw new IllegalArgumentException(
            "--trust-simulated-root " + file + ": not an X.509 certificate (DER or PEM)");
      }
      String dn = c.getSubjectX500Principal().getName();
      boolean simulated;
      try {
        simulated =
            new javax.naming.ldap.LdapName(dn)
                .getRdns().stream()
                    .anyMatch(
                        r ->
                            r.getType().equalsIgnoreCase("CN")
                                && TrustAnchors.SIMULATED_ARK_CN.equals(r.getValue()));
      } catch (javax.naming.InvalidNameException e) {
        simulated = false;
      }
      if (!simulated) {
        throw new IllegalArgumentException(
            "--trust-simulated-root "
                + file
                + ": "
                + dn
                + " is not a simulated root (CN="
                + TrustAnchors.SIMULATED_ARK_CN
                + "); AMD's roots are trusted without this option");
      }
      return c;
    }

    private static X509Certificate cert(Path file) throws Exception {
      try {
        return Certificates.parse(Files.readAllBytes(file));
      } catch (CertificateException e) {
        throw new IllegalArgumentException("not an X.509 certificate (DER or PEM): " + file);
      }
    }
  }

  /**
   * The report as JSON-ready values: numbers as numbers, byte strings and u64 bit fields as hex.
   */
  static Map<String, Object> describe(SnpReport r) {
    HexFormat hex = HexFormat.of();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", r.version());
    m.put("guest_svn", r.guestSvn());
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("raw", "0x" + Long.toHexString(r.policy().raw()));
    policy.put("abi_major", r.policy().abiMajor());
    policy.put("abi_minor", r.policy().abiMinor());
    policy.put("smt_allowed", r.policy().smtAllowed());
    policy.put("migrate_ma_allowed", r.policy().migrateMaAllowed());
    policy.put("debug_allowed", r.policy().debugAllowed());
    policy.put("single_socket", r.policy().singleSocket());
    m.put("policy", policy);
    m.put("family_id", hex.formatHex(r.familyId()));
    m.put("image_id", hex.formatHex(r.imageId()));
    m.put("vmpl", r.vmpl());
    m.put("signature_algo", r.signatureAlgo());
    m.put("current_tcb", tcb(r.currentTcb()));
    m.put("platform_info", "0x" + Long.toHexString(r.platformInfo()));
    m.put("author_key_en", r.authorKeyEnabled());
    m.put("mask_chip_key", r.maskChipKey());
    m.put("signing_key", r.signingKey());
    m.put("report_data", hex.formatHex(r.reportData()));
    m.put("measurement", hex.formatHex(r.measurement()));
    m.put("host_data", hex.formatHex(r.hostData()));
    m.put("id_key_digest", hex.formatHex(r.idKeyDigest()));
    m.put("author_key_digest", hex.formatHex(r.authorKeyDigest()));
    m.put("report_id", hex.formatHex(r.reportId()));
    m.put("report_id_ma", hex.formatHex(r.reportIdMa()));
    m.put("reported_tcb", tcb(r.reportedTcb()));
    if (r.hasCpuid()) {
      m.put("cpuid_fam_id", r.cpuidFamId());
      m.put("cpuid_mod_id", r.cpuidModId());
      m.put("cpuid_step", r.cpuidStep());
    }
    m.put("chip_id", hex.formatHex(r.chipId()));
    m.put("committed_tcb", tcb(r.committedTcb()));
    m.put(
        "current_version",
        r.currentMajor() + "." + r.currentMinor() + " build " + r.currentBuild());
    m.put(
        "committed_version",
        r.committedMajor() + "." + r.committedMinor() + " build " + r.committedBuild());
    m.put("launch_tcb", tcb(r.launchTcb()));
    m.put("signature_r", hex.formatHex(r.signatureR()));
    m.put("signature_s", hex.formatHex(r.signatureS()));
    return m;
  }

  private static Map<String, Object> tcb(TcbVersion t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("raw", t.rawHex());
    m.put("boot_loader", t.bootLoader());
    m.put("tee", t.tee());
    m.put("snp", t.snp());
    m.put("microcode", t.microcode());
    return m;
  }
}
