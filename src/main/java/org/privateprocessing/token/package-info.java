/**
 * Privacy Pass: the HTTP authentication scheme (RFC 9577) and the issuance protocols (RFC 9578).
 *
 * <p>Wire types are immutable records with {@code parse}/{@code encode} and strict lengths per
 * token type ({@link org.privateprocessing.token.TokenTypes}); they frame type 0x0001 (VOPRF, whose
 * math lives in {@code org.privateprocessing.token.voprf}) and type 0x0002 (Blind RSA) alike. Type
 * 0x0002 is implemented here: {@link org.privateprocessing.token.BlindRsaTokenClient} (its
 * single-use {@code Pending} finalizes exactly one response), {@link
 * org.privateprocessing.token.BlindRsaIssuer} and {@link
 * org.privateprocessing.token.BlindRsaTokenVerifier}, on a package-private RFC 9474 core.
 * Randomness is passed in (a {@link java.security.SecureRandom}, or fixed bytes for test vectors).
 * Nothing here logs; exception messages and {@code toString()} never include tokens, keys or
 * blinds.
 */
package org.privateprocessing.token;
