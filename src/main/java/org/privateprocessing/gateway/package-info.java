/**
 * The gateway, second stage of the path client -> relay -> gateway -> enclave: it publishes its
 * outer OHTTP keys, opens the outer layer, checks the Privacy Pass token (once only, across the
 * cluster) and forwards the inner request, still sealed to the enclave, to a live enclave from its
 * registry; listings carry the transparency log's proofs. {@link
 * org.privateprocessing.gateway.GatewayRouter} is the plain stage class; the verticles only wire it
 * to HTTP and the event bus. It learns that an entitled user asked, never who nor what.
 *
 * <p>May import {@code core}, the protocol packages, {@code api} (paths) and {@code logclient};
 * never another role: enclaves are event-bus addresses to it, the issuer a public key directory.
 */
package org.privateprocessing.gateway;
