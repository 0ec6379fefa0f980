package org.privateprocessing.attest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * SEV-SNP evidence from real hardware through the Linux configfs-tsm ABI ({@code
 * Documentation/ABI/testing/configfs-tsm}, usually {@code /sys/kernel/config/tsm}).
 *
 * <p>Per call: create {@code <root>/report/pp-<random>}, write the 64-byte REPORT_DATA to {@code
 * inblob} (and {@code privlevel} when set), read {@code generation}, read {@code outblob} (the
 * ATTESTATION_REPORT) and {@code auxblob} (the certificate table), read {@code generation} again
 * and remove the directory. The kernel increments {@code generation} on every write, so a value
 * other than our own write count, or a change between the two reads, means another writer touched
 * the request and the blobs may not be ours: the call fails rather than return them.
 *
 * <p>{@code auxblob} is the GHCB certificate table (SEV-SNP GHCB specification 56421, "Certificate
 * table"): entries of GUID (16 bytes, RFC 4122 byte order as go-sev-guest reads it), offset (u32
 * little-endian, from the start of the table) and length (u32 LE), ended by an all-zero entry. The
 * VCEK is required; ASK and ARK are used when present (otherwise the verifier uses AMD's shipped
 * ones).
 *
 * <p>One directory per call, so calls may run concurrently. Each call blocks on file I/O.
 */
public final class ConfigfsTsmProvider implements AttestationProvider {
  /** The usual configfs-tsm mount point. */
  public static final Path DEFAULT_ROOT = Path.of("/sys/kernel/config/tsm");

  /** GHCB certificate table GUIDs. */
  public static final UUID VCEK_GUID = UUID.fromString("63da758d-e664-4564-adc5-f4b93be8accd");

  public static final UUID ASK_GUID = UUID.fromString("4ab7b379-bbac-4fe4-a02f-05aef327c782");
  public static final UUID ARK_GUID = UUID.fromString("c0b406a4-a803-4952-9743-3fb6014cd0ae");
  static final int ENTRY_LENGTH = 24;

  private final Path root;
  private final Optional<Integer> privlevel;
  private final SecureRandom random = new SecureRandom();
  private final Consumer<Path> afterCreate;

  /** Uses {@code tsmRoot} (e.g. {@link #DEFAULT_ROOT}), without writing {@code privlevel}. */
  public ConfigfsTsmProvider(Path tsmRoot) {
    this(tsmRoot, Optional.empty(), dir -> {});
  }

  /**
   * Uses {@code tsmRoot} and, when present, writes {@code privlevel} (the VMPL to request, 0..3).
   */
  public ConfigfsTsmProvider(Path tsmRoot, Optional<Integer> privlevel) {
    this(tsmRoot, privlevel, dir -> {});
  }

  /**
   * For tests: {@code afterCreate} runs after the report directory is created, standing in for the
   * kernel, which populates the attribute files of a real configfs directory itself.
   */
  ConfigfsTsmProvider(Path tsmRoot, Optional<Integer> privlevel, Consumer<Path> afterCreate) {
    this.root = Objects.requireNonNull(tsmRoot, "tsmRoot");
    this.privlevel = Objects.requireNonNull(privlevel, "privlevel");
    privlevel.ifPresent(
        p -> {
          if (p < 0 || p > 3) {
            throw new IllegalArgumentException("privlevel is 0..3");
          }
        });
    this.afterCreate = Objects.requireNonNull(afterCreate, "afterCreate");
  }

  @Override
  public Evidence attest(byte[] reportData) throws AttestationException {
    Objects.requireNonNull(reportData, "reportData");
    if (reportData.length != ReportDataBinding.LENGTH) {
      throw new IllegalArgumentException("REPORT_DATA must be 64 bytes");
    }
    Path reports = root.resolve("report");
    if (!Files.isDirectory(reports)) {
      throw new AttestationException(
          AttestationException.Reason.UNAVAILABLE,
          reports
              + " does not exist: configfs-tsm is not mounted, so this is not SEV-SNP hardware"
              + " (or the kernel lacks TSM reports)");
    }
    byte[] name = new byte[8];
    random.nextBytes(name);
    Path dir = reports.resolve("pp-" + HexFormat.of().formatHex(name));
    try {
      Files.createDirectory(dir);
    } catch (IOException e) {
      throw new AttestationException(AttestationException.Reason.IO, "cannot create " + dir, e);
    }
    try {
      afterCreate.accept(dir);
      return request(dir, reportData);
    } finally {
      remove(dir);
    }
  }

  private Evidence request(Path dir, byte[] reportData) throws AttestationException {
    Path provider = dir.resolve("provider");
    if (Files.exists(provider)) {
      String p = readText(provider);
      if (!p.equals("sev_guest")) {
        throw new AttestationException(
            AttestationException.Reason.UNAVAILABLE,
            "TSM provider is '" + p + "', not sev_guest: this is not SEV-SNP hardware");
      }
    }
    long writes = 0;
    write(dir.resolve("inblob"), reportData);
    writes++;
    if (privlevel.isPresent()) {
      write(dir.resolve("privlevel"), (privlevel.get() + "\n").getBytes(StandardCharsets.US_ASCII));
      writes++;
    }
    long before = generation(dir);
    if (before != writes) {
      throw new AttestationException(
          AttestationException.Reason.CONCURRENT_WRITER,
          "generation is "
              + before
              + " after our "
              + writes
              + " write(s): another writer used "
              + dir);
    }
    byte[] report = read(dir.resolve("outblob"));
    byte[] aux = read(dir.resolve("auxblob"));
    long after = generation(dir);
    if (after != before) {
      throw new AttestationException(
          AttestationException.Reason.CONCURRENT_WRITER,
          "generation changed from " + before + " to " + after + " while reading " + dir);
    }
    SnpReport parsed;
    try {
      parsed = SnpReport.parse(report);
    } catch (SnpFormatException e) {
      throw new AttestationException(
          AttestationException.Reason.BAD_REPORT, "outblob: " + e.getMessage(), e);
    }
    if (!MessageDigest.isEqual(parsed.reportData(), reportData)) {
      throw new AttestationException(
          AttestationException.Reason.BAD_REPORT,
          "outblob does not carry the REPORT_DATA written to inblob");
    }
    Map<UUID, byte[]> table = parseCertificateTable(aux);
    List<X509Certificate> chain = new ArrayList<>();
    for (UUID guid : new UUID[] {VCEK_GUID, ASK_GUID, ARK_GUID}) {
      byte[] der = table.get(guid);
      if (der == null) {
        if (guid.equals(VCEK_GUID)) {
          throw new AttestationException(
              AttestationException.Reason.BAD_CERTIFICATE_TABLE,
              "auxblob has no VCEK entry (" + VCEK_GUID + ")");
        }
        break;
      }
      try {
        chain.add(Certificates.parse(der));
      } catch (CertificateException e) {
        throw new AttestationException(
            AttestationException.Reason.BAD_CERTIFICATE_TABLE,
            "auxblob entry " + guid + " is not a certificate",
            e);
      }
    }
    return new Evidence(report, chain);
  }

  /**
   * Parses a GHCB certificate table: entries until the all-zero one, each pointing inside the blob
   * past the table; duplicate GUIDs are refused.
   */
  static Map<UUID, byte[]> parseCertificateTable(byte[] aux) throws AttestationException {
    ByteBuffer b = ByteBuffer.wrap(aux).order(ByteOrder.LITTLE_ENDIAN);
    Map<UUID, long[]> entries = new LinkedHashMap<>();
    int at = 0;
    while (true) {
      if (at + ENTRY_LENGTH > aux.length) {
        throw badTable("truncated: no all-zero terminating entry");
      }
      ByteBuffer g = ByteBuffer.wrap(aux, at, 16).order(ByteOrder.BIG_ENDIAN);
      UUID guid = new UUID(g.getLong(), g.getLong());
      long offset = Integer.toUnsignedLong(b.getInt(at + 16));
      long length = Integer.toUnsignedLong(b.getInt(at + 20));
      at += ENTRY_LENGTH;
      if (guid.getMostSignificantBits() == 0 && guid.getLeastSignificantBits() == 0) {
        if (offset != 0 || length != 0) {
          throw badTable("terminating entry has a non-zero offset or length");
        }
        break;
      }
      if (entries.containsKey(guid)) {
        throw badTable("duplicate entry " + guid);
      }
      entries.put(guid, new long[] {offset, length});
    }
    int tableEnd = at;
    Map<UUID, byte[]> out = new LinkedHashMap<>();
    for (Map.Entry<UUID, long[]> e : entries.entrySet()) {
      long offset = e.getValue()[0];
      long length = e.getValue()[1];
      if (length == 0 || offset < tableEnd || offset + length > aux.length) {
        throw badTable(
            "entry "
                + e.getKey()
                + " (offset "
                + offset
                + ", length "
                + length
                + ") is outside the "
                + aux.length
                + "-byte blob or overlaps the table");
      }
      out.put(e.getKey(), Arrays.copyOfRange(aux, (int) offset, (int) (offset + length)));
    }
    return out;
  }

  /**
   * Builds a certificate table (the inverse of {@link #parseCertificateTable}); for tests and
   * tools.
   */
  static byte[] certificateTable(Map<UUID, byte[]> certificates) {
    int header = (certificates.size() + 1) * ENTRY_LENGTH;
    int total = header + certificates.values().stream().mapToInt(c -> c.length).sum();
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    int offset = header;
    int at = 0;
    for (Map.Entry<UUID, byte[]> e : certificates.entrySet()) {
      b.order(ByteOrder.BIG_ENDIAN)
          .putLong(at, e.getKey().getMostSignificantBits())
          .putLong(at + 8, e.getKey().getLeastSignificantBits());
      b.order(ByteOrder.LITTLE_ENDIAN).putInt(at + 16, offset).putInt(at + 20, e.getValue().length);
      b.put(offset, e.getValue());
      offset += e.getValue().length;
      at += ENTRY_LENGTH;
    }
    return b.array();
  }

  private static AttestationException badTable(String message) {
    return new AttestationException(
        AttestationException.Reason.BAD_CERTIFICATE_TABLE, "auxblob: " + message);
  }

  private static long generation(Path dir) throws AttestationException {
    String g = readText(dir.resolve("generation"));
    try {
      return Long.parseLong(g);
    } catch (NumberFormatException e) {
      throw new AttestationException(
          AttestationException.Reason.IO, "generation is not a number: '" + g + "'");
    }
  }

  private static String readText(Path p) throws AttestationException {
    return new String(read(p), StandardCharsets.US_ASCII).trim();
  }

  private static byte[] read(Path p) throws AttestationException {
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new AttestationException(AttestationException.Reason.IO, p + " does not exist", e);
    } catch (IOException e) {
      throw new AttestationException(AttestationException.Reason.IO, "cannot read " + p, e);
    }
  }

  private static void write(Path p, byte[] data) throws AttestationException {
    try {
      Files.write(p, data);
    } catch (IOException e) {
      throw new AttestationException(AttestationException.Reason.IO, "cannot write " + p, e);
    }
  }

  /**
   * Removes the report directory. On configfs {@code rmdir} removes the attribute files with it; a
   * plain directory (the test stand-in) needs its files deleted first.
   */
  private static void remove(Path dir) {
    try {
      Files.delete(dir);
    } catch (DirectoryNotEmptyException e) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path f : files) {
          Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
      } catch (IOException ignored) {
        // Best effort: a leftover directory holds no secret (REPORT_DATA and the report are
        // public).
      }
    } catch (IOException ignored) {
      // As above.
    }
  }

  @Override
  public String toString() {
    return "ConfigfsTsmProvider[" + root + privlevel.map(p -> ", privlevel " + p).orElse("") + "]";
  }
}
