/**
 * Oblivious HTTP (RFC 9458) with key configuration lists (RFC 9540), on HPKE (RFC 9180).
 *
 * <p>Roles are single-use objects: a client's {@link
 * org.privateprocessing.ohttp.EncapsulatedRequest} carries the one {@link
 * org.privateprocessing.ohttp.ResponseOpener} for its response; a gateway's {@link
 * org.privateprocessing.ohttp.DecapsulatedRequest} carries the one {@link
 * org.privateprocessing.ohttp.ResponseSealer}. All HPKE calls go through one package-private seam
 * ({@code Hpke}) to one of two backends, chosen once per JVM: X25519 from the system's libsodium
 * with the JDK's AES-GCM, ChaCha20-Poly1305 and HMAC, or BouncyCastle throughout wherever libsodium
 * cannot load ({@code -Dpp.crypto=bouncycastle} forces it; {@link
 * org.privateprocessing.ohttp.OhttpCrypto} says which). The only log line is that choice, once;
 * exception messages never include plaintext.
 */
package org.privateprocessing.ohttp;
