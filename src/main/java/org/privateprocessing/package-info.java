/**
 * Private Processing: AI requests answered inside an attested enclave, reached through two nested
 * Oblivious HTTP layers along client -> relay -> gateway -> enclave, paid with anonymous Privacy
 * Pass tokens from an issuer and trusted through a transparency log (DESIGN.md).
 *
 * <p>Holds only {@link org.privateprocessing.ProtocolException}, the base of the protocol packages'
 * typed failures, and imports nothing of the project. Beneath it: protocol libraries that know no
 * role, {@code api}, {@code infer}, the server {@code core}, one package per role (relay, gateway,
 * enclave, issuer, log), {@code logclient}, and {@code node}, {@code client}, {@code cli}.
 */
package org.privateprocessing;
