/**
 * The Privacy Pass issuer (RFC 9578), beside the path: it authenticates an account, applies its
 * issuance limit, signs blinded token requests, serves its key directory and rotates its keys.
 * Blinding keeps it from linking a token it signed to the request that spends it at the gateway: it
 * sees who asks and how often, never where a token goes.
 *
 * <p>May import {@code core}, {@code token}, {@code token.voprf} and {@code tlog}; never another
 * role: the gateway learns its keys from the public directory.
 */
package org.privateprocessing.issuer;
