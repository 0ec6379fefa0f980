package org.privateprocessing.attest;

import java.util.HexFormat;

/**
 * A TCB_VERSION, the 64-bit security patch levels of the firmware components that a report and a
 * VCEK are bound to (AMD SEV-SNP ABI specification, table "TCB_VERSION Structure").
 *
 * <p>The raw little-endian value is kept because the layout depends on the processor generation. On
 * Milan and Genoa byte 0 is BOOT_LOADER, byte 1 TEE, bytes 2..5 reserved, byte 6 SNP and byte 7
 * MICROCODE. Turin (Zen 5) moved the fields (byte 0 FMC, 1 BOOT_LOADER, 2 TEE, 3 SNP, 7 MICROCODE),
 * so the named accessors below are only meaningful for Milan and Genoa; {@link #turin()} reads the
 * Turin layout.
 *
 * @param raw the u64 exactly as stored in the report (little-endian on the wire)
 */
public record TcbVersion(long raw) {

  /** Builds a Milan/Genoa TCB from its four security patch levels (0..255 each). */
  public static TcbVersion ofMilanGenoa(int bootLoader, int tee, int snp, int microcode) {
    for (int v : new int[] {bootLoader, tee, snp, microcode}) {
      if (v < 0 || v > 0xFF) {
        throw new IllegalArgumentException("security patch levels are 8-bit values");
      }
    }
    return new TcbVersion(
        (long) bootLoader | (long) tee << 8 | (long) snp << 48 | (long) microcode << 56);
  }

  private int byteAt(int index) {
    return (int) (raw >>> (8 * index)) & 0xFF;
  }

  /** BOOT_LOADER SVN (Milan/Genoa byte 0). */
  public int bootLoader() {
    return byteAt(0);
  }

  /** TEE (PSP OS) SVN (Milan/Genoa byte 1). */
  public int tee() {
    return byteAt(1);
  }

  /** SNP firmware SVN (Milan/Genoa byte 6). */
  public int snp() {
    return byteAt(6);
  }

  /** Microcode patch level (byte 7 on every generation). */
  public int microcode() {
    return byteAt(7);
  }

  /** True when the Milan/Genoa reserved bytes 2..5 are zero, as the specification requires. */
  public boolean milanGenoaReservedZero() {
    return (raw & 0x0000_FFFF_FFFF_0000L) == 0;
  }

  /**
   * True when every Milan/Genoa component is at least the one of {@code minimum}. SVNs are compared
   * per component because a higher raw number can still hide a lower component.
   */
  public boolean atLeast(TcbVersion minimum) {
    return bootLoader() >= minimum.bootLoader()
        && tee() >= minimum.tee()
        && snp() >= minimum.snp()
        && microcode() >= minimum.microcode();
  }

  /** The same value read with the Turin layout. */
  public Turin turin() {
    return new Turin(byteAt(0), byteAt(1), byteAt(2), byteAt(3), byteAt(7));
  }

  /** Turin (Zen 5) TCB fields: FMC, BOOT_LOADER, TEE, SNP, MICROCODE. */
  public record Turin(int fmc, int bootLoader, int tee, int snp, int microcode) {}

  /** The eight bytes in wire (little-endian) order as hex, the form AMD tools print. */
  public String rawHex() {
    byte[] le = new byte[8];
    for (int i = 0; i < 8; i++) {
      le[i] = (byte) byteAt(i);
    }
    return HexFormat.of().formatHex(le);
  }

  @Override
  public String toString() {
    return "TcbVersion["
        + rawHex()
        + " bl="
        + bootLoader()
        + " tee="
        + tee()
        + " snp="
        + snp()
        + " ucode="
        + microcode()
        + "]";
  }
}
