package org.privateprocessing.core;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.privateprocessing.token.BlindRsaKeys;
import org.privateprocessing.token.IssuerDirectory;
import org.privateprocessing.token.IssuerKey;
import org.privateprocessing.token.TokenException;
import org.privateprocessing.token.TokenTypes;

/**
 * Issuer keys for a gateway in its own JVM, read from the issuer's public directory (RFC 9578
 * section 4). Only type 0x0002 (Blind RSA) is kept: it verifies with the public key alone. Type
 * 0x0001 (VOPRF) needs the issuer's secret key, which must not cross the network, so a split
 * gateway neither accepts nor offers it.
 *
 * <p>The directory lists the current and the next key, not the previous one still in its grace, so
 * a key once seen is kept until {@code notBefore + maxKeyAge} (the issuer's lifetime plus grace),
 * the same moment the issuer itself retires it. Thread-safe: readers see a snapshot.
 */
public final class RemoteIssuerKeys implements VerificationKeys {
  /** A directory lists two keys per type; anything beyond this many is not a sane directory. */
  static final int MAX_KEYS = 16;

  private final Duration maxKeyAge;
  private volatile List<VerificationKeys.Entry> entries = List.of();

  /**
   * @param maxKeyAge how long after its not-before a key is accepted (issuer lifetime + grace)
   */
  public RemoteIssuerKeys(Duration maxKeyAge) {
    if (maxKeyAge.isZero() || maxKeyAge.isNegative()) {
      throw new IllegalArgumentException("maxKeyAge must be positive");
    }
    this.maxKeyAge = maxKeyAge;
  }

  /**
   * Takes in a freshly fetched directory: new type-2 keys are added, keys seen before keep their
   * entry, retired ones are dropped. Returns the number of usable keys. A directory with a
   * malformed type-2 key, or too many keys, changes nothing.
   */
  public synchronized int update(IssuerDirectory directory, Instant now) throws TokenException {
    List<IssuerDirectory.TokenKey> offered = directory.keysOfType(TokenTypes.BLIND_RSA_2048);
    if (offered.size() > MAX_KEYS) {
      throw new TokenException(
          TokenException.Reason.MALFORMED,
          "issuer directory lists more than " + MAX_KEYS + " keys");
    }
    List<VerificationKeys.Entry> next = new ArrayList<>();
    for (VerificationKeys.Entry e : entries) {
      if (e.liveAt(now)) {
        next.add(e);
      }
    }
    List<VerificationKeys.Entry> added = new ArrayList<>();
    for (IssuerDirectory.TokenKey k : offered) {
      IssuerKey key = IssuerKey.blindRsaVerifierOnly(BlindRsaKeys.parseTokenKey(k.tokenKey()));
      if (find(next, key.tokenKeyId()).isPresent() || find(added, key.tokenKeyId()).isPresent()) {
        continue;
      }
      Instant notBefore = k.notBefore() == null ? now : Instant.ofEpochSecond(k.notBefore());
      VerificationKeys.Entry entry =
          new VerificationKeys.Entry(key, notBefore, notBefore.plus(maxKeyAge));
      if (entry.liveAt(now)) {
        added.add(entry);
      }
    }
    next.addAll(added);
    next.sort(Comparator.comparing(VerificationKeys.Entry::notBefore));
    while (next.size() > MAX_KEYS) {
      next.remove(0);
    }
    entries = List.copyOf(next);
    return entries.size();
  }

  @Override
  public List<Integer> tokenTypes() {
    return List.of(TokenTypes.BLIND_RSA_2048);
  }

  @Override
  public Optional<VerificationKeys.Entry> byKeyId(byte[] tokenKeyId, Instant now) {
    return find(entries, tokenKeyId).filter(e -> e.usableAt(now));
  }

  @Override
  public Optional<VerificationKeys.Entry> current(int type, Instant now) {
    VerificationKeys.Entry best = null;
    for (VerificationKeys.Entry e : entries) {
      if (e.key().tokenType() == type && e.usableAt(now)) {
        best = e;
      }
    }
    return Optional.ofNullable(best);
  }

  private static Optional<VerificationKeys.Entry> find(
      List<VerificationKeys.Entry> list, byte[] tokenKeyId) {
    for (VerificationKeys.Entry e : list) {
      if (MessageDigest.isEqual(e.key().tokenKeyId(), tokenKeyId)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
