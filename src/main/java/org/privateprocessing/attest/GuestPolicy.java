package org.privateprocessing.attest;

/**
 * The guest policy a VM was launched with, the POLICY field of the report (AMD SEV-SNP ABI
 * specification, table "Guest Policy Structure"). The firmware enforces it; the verifier reads it
 * to decide whether the guest may be trusted (above all: a guest that allows DEBUG can have its
 * memory read by the host, so it is refused unless a policy allows it).
 *
 * @param raw the u64 exactly as stored in the report
 */
public record GuestPolicy(long raw) {
  /** Bit 16: SMT (simultaneous multithreading) is allowed. */
  public static final int SMT_BIT = 16;

  /** Bit 17: reserved, must be one. */
  public static final int RESERVED_ONE_BIT = 17;

  /** Bit 18: association with a migration agent is allowed. */
  public static final int MIGRATE_MA_BIT = 18;

  /** Bit 19: debugging is allowed (the hypervisor may decrypt guest memory). */
  public static final int DEBUG_BIT = 19;

  /** Bit 20: the guest may only run on a single socket. */
  public static final int SINGLE_SOCKET_BIT = 20;

  /** Bit 21: CXL may be populated with guest memory. */
  public static final int CXL_ALLOW_BIT = 21;

  /** Bit 22: AES-256-XTS memory encryption is required. */
  public static final int MEM_AES_256_XTS_BIT = 22;

  /** Bit 23: Running Average Power Limit must be disabled. */
  public static final int RAPL_DIS_BIT = 23;

  /** Bit 24: ciphertext hiding must be enabled. */
  public static final int CIPHERTEXT_HIDING_BIT = 24;

  /** Bit 25: guest page swapping is disabled. */
  public static final int PAGE_SWAP_DISABLE_BIT = 25;

  private boolean bit(int n) {
    return (raw >>> n & 1) == 1;
  }

  /** Minimum ABI minor version required (bits 7:0). */
  public int abiMinor() {
    return (int) (raw & 0xFF);
  }

  /** Minimum ABI major version required (bits 15:8). */
  public int abiMajor() {
    return (int) (raw >>> 8 & 0xFF);
  }

  public boolean smtAllowed() {
    return bit(SMT_BIT);
  }

  /** The reserved bit 17, which the specification requires to be one. */
  public boolean reservedOne() {
    return bit(RESERVED_ONE_BIT);
  }

  public boolean migrateMaAllowed() {
    return bit(MIGRATE_MA_BIT);
  }

  public boolean debugAllowed() {
    return bit(DEBUG_BIT);
  }

  public boolean singleSocket() {
    return bit(SINGLE_SOCKET_BIT);
  }

  public boolean cxlAllowed() {
    return bit(CXL_ALLOW_BIT);
  }

  public boolean memAes256Xts() {
    return bit(MEM_AES_256_XTS_BIT);
  }

  public boolean raplDisabled() {
    return bit(RAPL_DIS_BIT);
  }

  public boolean ciphertextHiding() {
    return bit(CIPHERTEXT_HIDING_BIT);
  }

  public boolean pageSwapDisabled() {
    return bit(PAGE_SWAP_DISABLE_BIT);
  }

  @Override
  public String toString() {
    return "GuestPolicy[0x" + Long.toHexString(raw) + (debugAllowed() ? " DEBUG" : "") + "]";
  }
}
