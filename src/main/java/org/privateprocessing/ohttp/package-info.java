/**
 * Oblivious HTTP (RFC 9458) with key configuration lists (RFC 9540), on HPKE (RFC 9180).
 *
 * <p>Roles are single-use objects: a client's {@link
 * org.privateprocessing.ohttp.EncapsulatedRequest} carries the one {@link
 * org.privateprocessing.ohttp.ResponseOpener} for its response; a gateway's {@link
 * org.privateprocessing.ohttp.DecapsulatedRequest} carries the one {@link
 * org.privateprocessing.ohttp.ResponseSealer}. All HPKE calls go through one package-private seam
 * ({@code Hpke}). Nothing here logs, and exception messages never include plaintext.
 */
package org.privateprocessing.ohttp;
