/**
 * The verifiable oblivious pseudorandom function of RFC 9497 (VOPRF mode, ciphersuite P384-SHA384),
 * as Privacy Pass token type 0x0001 uses it (RFC 9578 section 5).
 *
 * <p>{@link org.privateprocessing.token.voprf.VoprfP384} is the public entry point; the group and
 * the mode-parameterised protocol core are package-private. Built on BouncyCastle's P-384
 * arithmetic, {@code HashToEllipticCurve} (P384_XMD:SHA-384_SSWU_RO_) and {@code OPRFHashToScalar}.
 * Nothing here logs, and exception messages never include secrets.
 */
package org.privateprocessing.token.voprf;
