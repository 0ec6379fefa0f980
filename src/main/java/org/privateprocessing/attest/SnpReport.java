package org.privateprocessing.attest;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A SEV-SNP ATTESTATION_REPORT, the 1184-byte (0x4A0) structure the AMD secure processor signs for
 * a guest (AMD SEV-SNP ABI specification 56860, table "ATTESTATION_REPORT Structure"). All integers
 * are little-endian.
 *
 * <pre>
 * 0x000 VERSION u32            0x004 GUEST_SVN u32         0x008 POLICY u64
 * 0x010 FAMILY_ID [16]         0x020 IMAGE_ID [16]         0x030 VMPL u32
 * 0x034 SIGNATURE_ALGO u32     0x038 CURRENT_TCB u64       0x040 PLATFORM_INFO u64
 * 0x048 flags u32 (bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY, bits 4:2 SIGNING_KEY)
 * 0x04C reserved [4]           0x050 REPORT_DATA [64]      0x090 MEASUREMENT [48]
 * 0x0C0 HOST_DATA [32]         0x0E0 ID_KEY_DIGEST [48]    0x110 AUTHOR_KEY_DIGEST [48]
 * 0x140 REPORT_ID [32]         0x160 REPORT_ID_MA [32]     0x180 REPORTED_TCB u64
 * 0x188 CPUID_FAM_ID u8, 0x189 CPUID_MOD_ID u8, 0x18A CPUID_STEP u8 (version &gt;= 3; reserved in 2)
 * 0x18B reserved [21]          0x1A0 CHIP_ID [64]          0x1E0 COMMITTED_TCB u64
 * 0x1E8 CURRENT_BUILD, MINOR, MAJOR u8, reserved u8
 * 0x1EC COMMITTED_BUILD, MINOR, MAJOR u8, reserved u8
 * 0x1F0 LAUNCH_TCB u64
 * 0x1F8 LAUNCH_MIT_VECTOR u64, 0x200 CURRENT_MIT_VECTOR u64 (version 5; reserved before)
 * 0x208 reserved [152]
 * 0x2A0 SIGNATURE: R [72], S [72] (little-endian, zero-padded), reserved [368]
 * </pre>
 *
 * <p>Every reserved byte is kept, in order, in {@link #reserved()}, so {@code encode(parse(b))}
 * reproduces {@code b} byte for byte: a verifier must be able to show exactly what was signed.
 * Immutable: byte arrays are copied in and out.
 */
public record SnpReport(
    int version,
    long guestSvn,
    GuestPolicy policy,
    byte[] familyId,
    byte[] imageId,
    long vmpl,
    long signatureAlgo,
    TcbVersion currentTcb,
    long platformInfo,
    long flags,
    byte[] reportData,
    byte[] measurement,
    byte[] hostData,
    byte[] idKeyDigest,
    byte[] authorKeyDigest,
    byte[] reportId,
    byte[] reportIdMa,
    TcbVersion reportedTcb,
    int cpuidFamId,
    int cpuidModId,
    int cpuidStep,
    byte[] chipId,
    TcbVersion committedTcb,
    int currentBuild,
    int currentMinor,
    int currentMajor,
    int committedBuild,
    int committedMinor,
    int committedMajor,
    TcbVersion launchTcb,
    long launchMitVector,
    long currentMitVector,
    byte[] signatureR,
    byte[] signatureS,
    byte[] reserved) {

  /** Size of the structure: 0x4A0 bytes. */
  public static final int SIZE = 0x4A0;

  /** The signature covers bytes [0, 0x2A0). */
  public static final int SIGNED_LENGTH = 0x2A0;

  /** SIGNATURE_ALGO 1: ECDSA P-384 with SHA-384 (ABI table "Signature Algorithm Encodings"). */
  public static final int ECDSA_P384_SHA384 = 1;

  /** Length of each little-endian signature component. */
  public static final int SIGNATURE_COMPONENT_LENGTH = 72;

  /** SIGNING_KEY 0: the report was signed with the VCEK (1 is VLEK, 7 none). */
  public static final int SIGNING_KEY_VCEK = 0;

  /** Total reserved bytes kept for the byte-exact round trip. */
  static final int RESERVED_LENGTH = 4 + 21 + 1 + 1 + 152 + 368;

  public SnpReport {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(currentTcb, "currentTcb");
    Objects.requireNonNull(reportedTcb, "reportedTcb");
    Objects.requireNonNull(committedTcb, "committedTcb");
    Objects.requireNonNull(launchTcb, "launchTcb");
    familyId = copy(familyId, 16, "familyId");
    imageId = copy(imageId, 16, "imageId");
    reportData = copy(reportData, 64, "reportData");
    measurement = copy(measurement, 48, "measurement");
    hostData = copy(hostData, 32, "hostData");
    idKeyDigest = copy(idKeyDigest, 48, "idKeyDigest");
    authorKeyDigest = copy(authorKeyDigest, 48, "authorKeyDigest");
    reportId = copy(reportId, 32, "reportId");
    reportIdMa = copy(reportIdMa, 32, "reportIdMa");
    chipId = copy(chipId, 64, "chipId");
    signatureR = copy(signatureR, SIGNATURE_COMPONENT_LENGTH, "signatureR");
    signatureS = copy(signatureS, SIGNATURE_COMPONENT_LENGTH, "signatureS");
    reserved = copy(reserved, RESERVED_LENGTH, "reserved");
  }

  private static byte[] copy(byte[] b, int length, String name) {
    Objects.requireNonNull(b, name);
    if (b.length != length) {
      throw new IllegalArgumentException(name + " must be " + length + " bytes, got " + b.length);
    }
    return b.clone();
  }

  /** True for the report versions this parser understands. */
  public static boolean isSupportedVersion(int version) {
    return version == 2 || version == 3 || version == 5;
  }

  /**
   * Parses exactly {@value #SIZE} bytes.
   *
   * @throws SnpFormatException if the length is not 0x4A0 or the version is not 2, 3 or 5
   */
  public static SnpReport parse(byte[] bytes) throws SnpFormatException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < SIZE) {
      throw new SnpFormatException(
          SnpFormatException.Reason.TRUNCATED,
          "report is " + bytes.length + " bytes, expected " + SIZE);
    }
    if (bytes.length > SIZE) {
      throw new SnpFormatException(
          SnpFormatException.Reason.OVERSIZED,
          "report is " + bytes.length + " bytes, expected " + SIZE);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int version = b.getInt(0x000);
    if (!isSupportedVersion(version)) {
      throw new SnpFormatException(
          SnpFormatException.Reason.UNSUPPORTED_VERSION,
          "report version " + Integer.toUnsignedString(version) + " is not supported (2, 3, 5)");
    }
    byte[] reserved = new byte[RESERVED_LENGTH];
    int r = 0;
    r = take(bytes, 0x04C, 4, reserved, r);
    r = take(bytes, 0x18B, 21, reserved, r);
    r = take(bytes, 0x1EB, 1, reserved, r);
    r = take(bytes, 0x1EF, 1, reserved, r);
    r = take(bytes, 0x208, 152, reserved, r);
    take(bytes, 0x330, 368, reserved, r);
    return new SnpReport(
        version,
        u32(b, 0x004),
        new GuestPolicy(b.getLong(0x008)),
        range(bytes, 0x010, 16),
        range(bytes, 0x020, 16),
        u32(b, 0x030),
        u32(b, 0x034),
        new TcbVersion(b.getLong(0x038)),
        b.getLong(0x040),
        u32(b, 0x048),
        range(bytes, 0x050, 64),
        range(bytes, 0x090, 48),
        range(bytes, 0x0C0, 32),
        range(bytes, 0x0E0, 48),
        range(bytes, 0x110, 48),
        range(bytes, 0x140, 32),
        range(bytes, 0x160, 32),
        new TcbVersion(b.getLong(0x180)),
        u8(bytes, 0x188),
        u8(bytes, 0x189),
        u8(bytes, 0x18A),
        range(bytes, 0x1A0, 64),
        new TcbVersion(b.getLong(0x1E0)),
        u8(bytes, 0x1E8),
        u8(bytes, 0x1E9),
        u8(bytes, 0x1EA),
        u8(bytes, 0x1EC),
        u8(bytes, 0x1ED),
        u8(bytes, 0x1EE),
        new TcbVersion(b.getLong(0x1F0)),
        b.getLong(0x1F8),
        b.getLong(0x200),
        range(bytes, 0x2A0, SIGNATURE_COMPONENT_LENGTH),
        range(bytes, 0x2E8, SIGNATURE_COMPONENT_LENGTH),
        reserved);
  }

  /** Encodes the report to its {@value #SIZE}-byte wire form. */
  public byte[] encode() {
    byte[] out = new byte[SIZE];
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x000, version);
    b.putInt(0x004, (int) guestSvn);
    b.putLong(0x008, policy.raw());
    put(out, 0x010, familyId);
    put(out, 0x020, imageId);
    b.putInt(0x030, (int) vmpl);
    b.putInt(0x034, (int) signatureAlgo);
    b.putLong(0x038, currentTcb.raw());
    b.putLong(0x040, platformInfo);
    b.putInt(0x048, (int) flags);
    put(out, 0x050, reportData);
    put(out, 0x090, measurement);
    put(out, 0x0C0, hostData);
    put(out, 0x0E0, idKeyDigest);
    put(out, 0x110, authorKeyDigest);
    put(out, 0x140, reportId);
    put(out, 0x160, reportIdMa);
    b.putLong(0x180, reportedTcb.raw());
    out[0x188] = (byte) cpuidFamId;
    out[0x189] = (byte) cpuidModId;
    out[0x18A] = (byte) cpuidStep;
    put(out, 0x1A0, chipId);
    b.putLong(0x1E0, committedTcb.raw());
    out[0x1E8] = (byte) currentBuild;
    out[0x1E9] = (byte) currentMinor;
    out[0x1EA] = (byte) currentMajor;
    out[0x1EC] = (byte) committedBuild;
    out[0x1ED] = (byte) committedMinor;
    out[0x1EE] = (byte) committedMajor;
    b.putLong(0x1F0, launchTcb.raw());
    b.putLong(0x1F8, launchMitVector);
    b.putLong(0x200, currentMitVector);
    put(out, 0x2A0, signatureR);
    put(out, 0x2E8, signatureS);
    int r = 0;
    r = give(reserved, r, out, 0x04C, 4);
    r = give(reserved, r, out, 0x18B, 21);
    r = give(reserved, r, out, 0x1EB, 1);
    r = give(reserved, r, out, 0x1EF, 1);
    r = give(reserved, r, out, 0x208, 152);
    give(reserved, r, out, 0x330, 368);
    return out;
  }

  /** The bytes the signature covers: [0, 0x2A0) of the encoding. */
  public byte[] signedBytes() {
    return Arrays.copyOf(encode(), SIGNED_LENGTH);
  }

  /** AUTHOR_KEY_EN (flags bit 0): the author key digest is present. */
  public boolean authorKeyEnabled() {
    return (flags & 1) != 0;
  }

  /** MASK_CHIP_KEY (flags bit 1): CHIP_ID was masked to zero. */
  public boolean maskChipKey() {
    return (flags & 2) != 0;
  }

  /** SIGNING_KEY (flags bits 4:2): 0 VCEK, 1 VLEK, 7 none. */
  public int signingKey() {
    return (int) (flags >>> 2 & 0x7);
  }

  /** True when the CPUID fields are defined (report version 3 and later). */
  public boolean hasCpuid() {
    return version >= 3;
  }

  /** Signature component R as an unsigned integer (the wire form is little-endian). */
  public BigInteger r() {
    return littleEndian(signatureR);
  }

  /** Signature component S as an unsigned integer (the wire form is little-endian). */
  public BigInteger s() {
    return littleEndian(signatureS);
  }

  private static BigInteger littleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  private static long u32(ByteBuffer b, int offset) {
    return Integer.toUnsignedLong(b.getInt(offset));
  }

  private static int u8(byte[] bytes, int offset) {
    return bytes[offset] & 0xFF;
  }

  private static byte[] range(byte[] bytes, int offset, int length) {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  private static int take(byte[] from, int offset, int length, byte[] to, int at) {
    System.arraycopy(from, offset, to, at, length);
    return at + length;
  }

  private static int give(byte[] from, int at, byte[] to, int offset, int length) {
    System.arraycopy(from, at, to, offset, length);
    return at + length;
  }

  private static void put(byte[] out, int offset, byte[] value) {
    System.arraycopy(value, 0, out, offset, value.length);
  }

  @Override
  public byte[] familyId() {
    return familyId.clone();
  }

  @Override
  public byte[] imageId() {
    return imageId.clone();
  }

  @Override
  public byte[] reportData() {
    return reportData.clone();
  }

  @Override
  public byte[] measurement() {
    return measurement.clone();
  }

  @Override
  public byte[] hostData() {
    return hostData.clone();
  }

  @Override
  public byte[] idKeyDigest() {
    return idKeyDigest.clone();
  }

  @Override
  public byte[] authorKeyDigest() {
    return authorKeyDigest.clone();
  }

  @Override
  public byte[] reportId() {
    return reportId.clone();
  }

  @Override
  public byte[] reportIdMa() {
    return reportIdMa.clone();
  }

  @Override
  public byte[] chipId() {
    return chipId.clone();
  }

  @Override
  public byte[] signatureR() {
    return signatureR.clone();
  }

  @Override
  public byte[] signatureS() {
    return signatureS.clone();
  }

  @Override
  public byte[] reserved() {
    return reserved.clone();
  }

  /** Equality over the encoding: two reports are equal when their bytes are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SnpReport other && Arrays.equals(encode(), other.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "SnpReport[version="
        + version
        + ", "
        + policy
        + ", vmpl="
        + vmpl
        + ", measurement="
        + HexFormat.of().formatHex(measurement)
        + ", reportedTcb="
        + reportedTcb
        + "]";
  }
}
