/**
 * What every server role uses, so that no role reaches into another: the ciphertext-only {@link
 * org.privateprocessing.core.Envelope} and the codecs that keep plaintext in its JVM, every
 * event-bus address ({@code Addresses}), refusals and the RFC 9457 problems they become, HTTP
 * listener helpers, the in-flight limit, the deployment {@code Profile}, shared ports and TTLs,
 * server keys, verification keys and measured settings; and the Privacy Pass check that both the
 * gateway and the enclave's RA-TLS listener run ({@code CredentialCheck}, the spent-token stores,
 * issuer keys read from the issuer's directory).
 *
 * <p>May import the protocol packages and {@code api}; never a role, {@code logclient}, {@code
 * node}, {@code client} or {@code cli}.
 */
package org.privateprocessing.core;
