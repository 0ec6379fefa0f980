/**
 * The relay, first stage of the path client -> relay -> gateway -> enclave (RFC 9458's Oblivious
 * Relay Resource): it forwards each encapsulated request body-verbatim to a gateway and the answer
 * back, and serves the gateway's keys at {@code /.well-known/ohttp-gateway}, so the gateway never
 * learns a client's address. It sees addresses, sizes and timing; never a token, a request, an
 * answer or which enclave.
 *
 * <p>Imports {@code core} and the constants of {@code ohttp} only: never {@code token}, {@code
 * attest}, {@code infer}, {@code enclave} or another role, so it could not open, check or route
 * what it carries even by mistake.
 */
package org.privateprocessing.relay;
