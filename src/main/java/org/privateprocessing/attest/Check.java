package org.privateprocessing.attest;

/**
 * The check of SEV-SNP evidence that refused it. {@link SnpVerifier} runs them in declaration order
 * and stops at the first failure, so a {@link Verdict.Refused} names exactly one.
 */
public enum Check {
  /** The report is not 0x4A0 bytes, or a certificate cannot be read. */
  FORMAT,
  /** The report version is not 2, 3 or 5. */
  VERSION,
  /** SIGNATURE_ALGO is not 1 (ECDSA P-384 with SHA-384). */
  SIGNATURE_ALGORITHM,
  /** The report says it was not signed with a VCEK (VLEK and unsigned reports are not accepted). */
  SIGNING_KEY,
  /**
   * The VCEK's issuer is not a known AMD product line, or the line is not supported for reports.
   */
  PRODUCT,
  /**
   * The VCEK was issued by a simulated ASK ({@link TrustAnchors#SIMULATED_ASK_CN}) and the caller
   * did not explicitly trust a simulated root, or the chain does not end in the one it trusted.
   */
  SIMULATED_ROOT,
  /** ARK is not AMD's pinned root, or ARK -&gt; ASK -&gt; VCEK signatures or names do not chain. */
  VCEK_CHAIN,
  /** A certificate of the chain is not valid at the verification time. */
  CERT_VALIDITY,
  /** The report's ECDSA P-384 signature does not verify with the VCEK's public key. */
  REPORT_SIGNATURE,
  /** The VCEK's hwID extension is not the report's CHIP_ID (or the chip id is masked). */
  CHIP_ID,
  /** The VCEK's TCB extensions are not the report's REPORTED_TCB. */
  VCEK_TCB,
  /** The report was requested from a VMPL other than the one the policy requires. */
  VMPL,
  /** REPORTED_TCB is below the policy's minimum. */
  TCB,
  /** The guest policy allows debugging and the attestation policy does not. */
  DEBUG,
  /** MEASUREMENT is not one of the allowed launch measurements. */
  MEASUREMENT,
  /** REPORT_DATA is not the expected value (the binding to a key or nonce failed). */
  REPORT_DATA,
  /** The evidence is older than the policy allows, lacks a time, or is from the future. */
  FRESHNESS
}
