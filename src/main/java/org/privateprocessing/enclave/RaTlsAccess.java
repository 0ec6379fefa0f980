package org.privateprocessing.enclave;

import java.time.Duration;
import java.util.Objects;
import org.privateprocessing.core.SpentTokens;
import org.privateprocessing.core.VerificationKeys;

/**
 * Whom the enclave's RA-TLS listener serves, under the rules of the OHTTP path (docs/RA-TLS.md):
 * callers with a Privacy Pass token for the gateway's own challenge, spent in the store the gateway
 * spends in, with bodies no larger than the gateway takes. {@code node.Node} makes it from the
 * gateway's settings, so one token buys one request on either path and never one on each.
 *
 * @param issuerName the issuer named in the challenge
 * @param origin the origin in the challenge: the gateway's
 * @param issuerKeys the keys of the issuer in this JVM; null to read them from {@code issuerUrl}'s
 *     directory (publicly verifiable type 0x0002 only, as a split gateway does)
 * @param issuerUrl the issuer's base URL, read when {@code issuerKeys} is null
 * @param issuerRefreshMs how often that directory is read again
 * @param issuerKeyMaxAge how long after its not-before a key read from the directory is accepted
 * @param spent the spent-token store, the very instance the gateway of this JVM uses (or,
 *     clustered, the cluster-wide map)
 * @param maxBodyBytes the largest request body: the gateway's {@code maxBodyBytes}
 */
public record RaTlsAccess(
    String issuerName,
    String origin,
    VerificationKeys issuerKeys,
    String issuerUrl,
    long issuerRefreshMs,
    Duration issuerKeyMaxAge,
    SpentTokens spent,
    int maxBodyBytes) {
  public RaTlsAccess {
    Objects.requireNonNull(issuerName, "issuerName");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(issuerUrl, "issuerUrl");
    Objects.requireNonNull(issuerKeyMaxAge, "issuerKeyMaxAge");
    Objects.requireNonNull(spent, "spent");
    if (issuerRefreshMs <= 0 || maxBodyBytes < 1) {
      throw new IllegalArgumentException("issuerRefreshMs and maxBodyBytes must be positive");
    }
  }
}
