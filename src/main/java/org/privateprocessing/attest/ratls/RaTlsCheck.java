package org.privateprocessing.attest.ratls;

/**
 * The steps of {@link RaTlsTrustManager}, in the order it runs them; the first that fails refuses
 * the handshake. {@link #EVIDENCE} stands for the whole SEV-SNP verification, whose own {@link
 * org.privateprocessing.attest.Check} then names what refused it. {@link #SESSION_BINDING} runs
 * after the handshake ({@link RaTlsSession}): a session whose binding fails is closed before a
 * request is sent.
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
  EVIDENCE,
  /**
   * The enclave did not bind this TLS session: no session evidence, evidence for another key, or a
   * report that does not verify or whose REPORT_DATA is not this client's nonce and this session's
   * channel binding (a relayed session) — {@link RaTlsSessionBinding}.
   */
  SESSION_BINDING
}
