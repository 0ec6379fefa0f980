/**
 * RA-TLS (docs/RA-TLS.md): TLS whose self-signed server certificate carries the enclave's SEV-SNP
 * evidence, binding the certificate's key. {@code RaTlsCertificate} makes one; {@link
 * org.privateprocessing.attest.ratls.RaTlsTrustManager} trusts a server exactly when that evidence
 * verifies under the client's policy, and names the step that failed; {@code RaTlsClients} gives
 * Vert.x client options that use it. {@code RaTlsSession} then has the enclave bind the session:
 * fresh evidence over the client's nonce and the TLS session's channel binding ({@code
 * RaTlsChannelBinding}, {@code RaTlsSessionBinding}), so a relayed session is refused.
 *
 * <p>A protocol package on top of {@code attest}: it knows no role, no client SDK, no command line.
 */
package org.privateprocessing.attest.ratls;
