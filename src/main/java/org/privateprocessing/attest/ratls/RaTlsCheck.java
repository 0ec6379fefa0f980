package org.privateprocessing.attest.ratls;

/**
 * The steps of {@link RaTlsTrustManager}, in the order it runs them; the first that fails refuses
 * the handshake. {@link #EVIDENCE} stands for the whole SEV-SNP verification, whose own {@link
 * org.privateprocessing.attest.Check} then names what refused it.
 */
public enum RaTlsCheck {
  /** The server must present exactly one certificate: its self-signed RA-TLS leaf. */
  CERTIFICATE_COUNT,
  /** The certificate is not yet or no longer valid at the client's time. */
  CERTIFICATE_VALIDITY,
  /** The certificate is not signed by its own key (so the server may not hold that key). */
  SELF_SIGNATURE,
  /** The evidence extension is missing, critical, or not an {@code EnclaveEvidence} DER bundle. */
  EVIDENCE_FORMAT,
  /**
   * The evidence binds another TLS key than the certificate's: evidence copied from another
   * enclave.
   */
  TLS_KEY_BINDING,
  /** The SEV-SNP evidence was refused (report, chain, policy, REPORT_DATA or freshness). */
  EVIDENCE
}
