package org.privateprocessing.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConfigfsTsmProvider} against a temporary directory shaped like {@code
 * /sys/kernel/config/tsm}.
 *
 * <p>Limitation: a plain directory is not configfs. It does not create the attribute files on
 * {@code mkdir}, generate {@code outblob} from {@code inblob} or increment {@code generation} on
 * writes. A hook standing in for the kernel pre-populates the files right after the provider
 * creates its directory, with a real vector report (and its REPORT_DATA as the request) and a
 * certificate table built from the vector certificates; {@code generation} holds the value the
 * kernel would show after the provider's writes. Two tests go further with a tiny fake kernel
 * thread behind a FIFO {@code outblob} (needs {@code mkfifo}; skipped without it): it answers only
 * once the provider reads, checks {@code inblob}, and can bump {@code generation} mid-read like a
 * concurrent writer.
 */
class ConfigfsTsmProviderTest {
  @TempDir Path root;

  byte[] report;
  byte[] reportData;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(root.resolve("report"));
    report = SnpVectors.bytes(SnpVectors.MILAN.report());
    reportData = SnpReport.parse(report).reportData();
  }

  static Map<UUID, byte[]> chain() throws Exception {
    Map<UUID, byte[]> certs = new LinkedHashMap<>();
    certs.put(ConfigfsTsmProvider.VCEK_GUID, SnpVectors.cert(SnpVectors.MILAN.vcek()).getEncoded());
    certs.put(ConfigfsTsmProvider.ASK_GUID, AmdProduct.MILAN.ask().getEncoded());
    certs.put(ConfigfsTsmProvider.ARK_GUID, AmdProduct.MILAN.ark().getEncoded());
    return certs;
  }

  /** Stands in for the kernel: fills the new report directory. */
  static Consumer<Path> kernel(byte[] outblob, byte[] auxblob, String generation, String provider) {
    return dir -> {
      try {
        Files.write(dir.resolve("outblob"), outblob);
        Files.write(dir.resolve("auxblob"), auxblob);
        Files.writeString(dir.resolve("generation"), generation + "\n");
        Files.writeString(dir.resolve("provider"), provider + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  ConfigfsTsmProvider provider(Consumer<Path> kernel) {
    return new ConfigfsTsmProvider(root, Optional.empty(), kernel);
  }

  AttestationException failure(ConfigfsTsmProvider p, AttestationException.Reason reason) {
    AttestationException e =
        (AttestationException)
            org.assertj.core.api.Assertions.catchThrowable(() -> p.attest(reportData));
    assertThat(e).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    return e;
  }

  void assertCleanedUp() throws IOException {
    try (var s = Files.list(root.resolve("report"))) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "happy path: the vector report and chain come back, verify with SnpVerifier, and the directory is removed")
  void happyPath() throws Exception {
    ConfigfsTsmProvider p =
        provider(kernel(report, ConfigfsTsmProvider.certificateTable(chain()), "1", "sev_guest"));
    AttestationProvider.Evidence e = p.attest(reportData);
    assertThat(e.report()).isEqualTo(report);
    assertThat(e.chain()).hasSize(3);
    assertThat(e.ark()).contains(AmdProduct.MILAN.ark());
    Verdict v =
        e.verify(
            AttestationPolicy.auditAnyMeasurement().allowingDebug(),
            SnpVectors.VALID_AT,
            TrustAnchors.amdOnly());
    assertThat(v).isInstanceOf(Verdict.Accepted.class);
    assertCleanedUp();
  }

  @Test
  @DisplayName(
      "with privlevel the provider makes two writes: generation 2 is accepted, 1 is another writer")
  void privlevelCountsAsWrite() throws Exception {
    ConfigfsTsmProvider p =
        new ConfigfsTsmProvider(
            root,
            Optional.of(0),
            kernel(report, ConfigfsTsmProvider.certificateTable(chain()), "2", "sev_guest"));
    assertThat(p.attest(reportData).report()).isEqualTo(report);
    ConfigfsTsmProvider wrong =
        new ConfigfsTsmProvider(
            root,
            Optional.of(0),
            kernel(report, ConfigfsTsmProvider.certificateTable(chain()), "1", "sev_guest"));
    assertThat(catchReason(wrong)).isEqualTo(AttestationException.Reason.CONCURRENT_WRITER);
    assertCleanedUp();
  }

  AttestationException.Reason catchReason(ConfigfsTsmProvider p) {
    try {
      p.attest(reportData);
      return null;
    } catch (AttestationException e) {
      return e.reason();
    }
  }

  @Test
  @DisplayName(
      "an auxblob with only the VCEK gives a one-certificate chain that verifies with the shipped roots")
  void vcekOnly() throws Exception {
    Map<UUID, byte[]> only = new LinkedHashMap<>();
    only.put(ConfigfsTsmProvider.VCEK_GUID, chain().get(ConfigfsTsmProvider.VCEK_GUID));
    AttestationProvider.Evidence e =
        provider(kernel(report, ConfigfsTsmProvider.certificateTable(only), "1", "sev_guest"))
            .attest(reportData);
    assertThat(e.chain()).hasSize(1);
    assertThat(
            e.verify(
                AttestationPolicy.auditAnyMeasurement().allowingDebug(),
                SnpVectors.VALID_AT,
                TrustAnchors.amdOnly()))
        .isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  @DisplayName(
      "a missing configfs-tsm tree fails with UNAVAILABLE, naming the path and saying this is not SEV-SNP hardware")
  void missingTree() {
    Path nowhere = root.resolve("no-such-tsm");
    assertThatThrownBy(() -> new ConfigfsTsmProvider(nowhere).attest(reportData))
        .isInstanceOf(AttestationException.class)
        .hasMessageContaining(nowhere.resolve("report").toString())
        .hasMessageContaining("not SEV-SNP hardware")
        .matches(
            e -> ((AttestationException) e).reason() == AttestationException.Reason.UNAVAILABLE);
  }

  @Test
  @DisplayName("another TSM provider (e.g. TDX) fails with UNAVAILABLE")
  void otherTsmProvider() throws Exception {
    failure(
        provider(kernel(report, ConfigfsTsmProvider.certificateTable(chain()), "1", "tdx_guest")),
        AttestationException.Reason.UNAVAILABLE);
    assertCleanedUp();
  }

  @Test
  @DisplayName(
      "a generation other than our own writes means another writer: CONCURRENT_WRITER, directory removed")
  void generationChanged() throws Exception {
    AttestationException e =
        failure(
            provider(
                kernel(report, ConfigfsTsmProvider.certificateTable(chain()), "3", "sev_guest")),
            AttestationException.Reason.CONCURRENT_WRITER);
    assertThat(e.getMessage()).contains("generation");
    assertCleanedUp();
  }

  /**
   * A tiny fake kernel thread: {@code outblob} is a FIFO, so the provider's read blocks until the
   * thread answers. The thread checks that {@code inblob} holds the requested REPORT_DATA, then (if
   * {@code interfere}) bumps {@code generation} as a concurrent writer would, then writes the
   * report.
   */
  Consumer<Path> fifoKernel(boolean interfere, byte[][] inblobSeen) {
    return dir -> {
      try {
        kernel(new byte[0], ConfigfsTsmProvider.certificateTable(chain()), "1", "sev_guest")
            .accept(dir);
        Path out = dir.resolve("outblob");
        Files.delete(out);
        Process mkfifo = new ProcessBuilder("mkfifo", out.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        Thread t =
            new Thread(
                () -> {
                  try (var w =
                      Files.newOutputStream(
                          out)) { // opens when the provider opens outblob for reading
                    inblobSeen[0] = Files.readAllBytes(dir.resolve("inblob"));
                    if (interfere) {
                      Files.writeString(dir.resolve("generation"), "2\n");
                    }
                    w.write(report);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                },
                "fake-tsm-kernel");
        t.setDaemon(true);
        t.start();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  static boolean hasMkfifo() {
    try {
      return new ProcessBuilder("mkfifo", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  @DisplayName("fake kernel thread: outblob is produced after inblob holds our REPORT_DATA")
  void fakeKernelSeesInblob() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(hasMkfifo(), "needs mkfifo");
    byte[][] seen = new byte[1][];
    AttestationProvider.Evidence e = provider(fifoKernel(false, seen)).attest(reportData);
    assertThat(seen[0]).isEqualTo(reportData);
    assertThat(e.report()).isEqualTo(report);
    assertCleanedUp();
  }

  @Test
  @DisplayName(
      "fake kernel thread: generation changing while outblob is read fails with CONCURRENT_WRITER")
  void generationChangedDuringRead() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(hasMkfifo(), "needs mkfifo");
    AttestationException e =
        failure(
            provider(fifoKernel(true, new byte[1][])),
            AttestationException.Reason.CONCURRENT_WRITER);
    assertThat(e.getMessage()).contains("changed from 1 to 2");
    assertCleanedUp();
  }

  @Test
  @DisplayName("an outblob without our REPORT_DATA, or not a report, fails with BAD_REPORT")
  void badOutblob() throws Exception {
    byte[] other = SnpVectors.bytes(SnpVectors.VIRTEE.report());
    failure(
        provider(kernel(other, ConfigfsTsmProvider.certificateTable(chain()), "1", "sev_guest")),
        AttestationException.Reason.BAD_REPORT);
    failure(
        provider(
            kernel(
                Arrays.copyOf(report, 100),
                ConfigfsTsmProvider.certificateTable(chain()),
                "1",
                "sev_guest")),
        AttestationException.Reason.BAD_REPORT);
    assertCleanedUp();
  }

  @Test
  @DisplayName("bad auxblob tables fail with BAD_CERTIFICATE_TABLE")
  void badAuxblob() throws Exception {
    byte[] good = ConfigfsTsmProvider.certificateTable(chain());
    // No terminating entry: only the first entry's 24 bytes.
    byte[] truncated = Arrays.copyOf(good, 24);
    // An entry pointing past the end of the blob.
    byte[] outside = good.clone();
    outside[20] = (byte) 0xFF;
    outside[21] = (byte) 0xFF;
    // A non-zero length in the terminator.
    byte[] badTerminator = good.clone();
    badTerminator[3 * 24 + 20] = 1;
    // The VCEK missing.
    Map<UUID, byte[]> noVcek = chain();
    noVcek.remove(ConfigfsTsmProvider.VCEK_GUID);
    // The VCEK entry holding garbage.
    Map<UUID, byte[]> garbage = chain();
    garbage.put(ConfigfsTsmProvider.VCEK_GUID, new byte[] {0x30, 0x03, 1, 2, 3});
    // Two VCEK entries.
    byte[] duplicate = good.clone();
    System.arraycopy(good, 0, duplicate, 24, 16);
    for (byte[] aux :
        new byte[][] {
          new byte[0],
          truncated,
          outside,
          badTerminator,
          ConfigfsTsmProvider.certificateTable(noVcek),
          ConfigfsTsmProvider.certificateTable(garbage),
          duplicate
        }) {
      failure(
          provider(kernel(report, aux, "1", "sev_guest")),
          AttestationException.Reason.BAD_CERTIFICATE_TABLE);
    }
    assertCleanedUp();
  }

  @Test
  @DisplayName("the certificate table round-trips and uses the GHCB GUIDs in RFC 4122 byte order")
  void tableRoundTrip() throws Exception {
    byte[] t = ConfigfsTsmProvider.certificateTable(chain());
    assertThat(java.util.HexFormat.of().formatHex(t, 0, 16))
        .isEqualTo("63da758de6644564adc5f4b93be8accd");
    Map<UUID, byte[]> parsed = ConfigfsTsmProvider.parseCertificateTable(t);
    assertThat(parsed.keySet())
        .containsExactly(
            ConfigfsTsmProvider.VCEK_GUID,
            ConfigfsTsmProvider.ASK_GUID,
            ConfigfsTsmProvider.ARK_GUID);
    assertThat(parsed.get(ConfigfsTsmProvider.ARK_GUID))
        .isEqualTo(AmdProduct.MILAN.ark().getEncoded());
  }

  @Test
  @DisplayName("REPORT_DATA must be 64 bytes")
  void reportDataLength() {
    assertThatThrownBy(() -> new ConfigfsTsmProvider(root).attest(new byte[63]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
