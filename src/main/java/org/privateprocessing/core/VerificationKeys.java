package org.privateprocessing.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.privateprocessing.token.IssuerKey;

/**
 * The issuer keys a gateway checks tokens with: the issuer's own keys when it runs in the same JVM,
 * or the keys read from the issuer's directory when it does not. Shared by the issuer (which
 * implements it) and the gateway (which reads it), so neither role depends on the other.
 */
public interface VerificationKeys {
  /**
   * One issuer key and its validity: usable from {@code notBefore}, refused from {@code retiredAt}.
   */
  record Entry(IssuerKey key, Instant notBefore, Instant retiredAt) {
    public boolean liveAt(Instant now) {
      return now.isBefore(retiredAt);
    }

    /** Whether tokens of this key may be issued or accepted now: from not-before to retirement. */
    public boolean usableAt(Instant now) {
      return !notBefore.isAfter(now) && liveAt(now);
    }
  }

  /** Token types this gateway can verify, preferred first; one challenge is offered per type. */
  List<Integer> tokenTypes();

  /** The usable key with this token key id: never one before its not-before, nor a retired one. */
  Optional<Entry> byKeyId(byte[] tokenKeyId, Instant now);

  /** The key clients should use now for a type (named in 401 challenges). */
  Optional<Entry> current(int type, Instant now);
}
