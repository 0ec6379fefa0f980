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
  }

  /** Token types this gateway can verify, preferred first; one challenge is offered per type. */
  List<Integer> tokenTypes();

  /** The live key with this token key id. */
  Optional<Entry> byKeyId(byte[] tokenKeyId, Instant now);

  /** The key clients should use now for a type (named in 401 challenges). */
  Optional<Entry> current(int type, Instant now);
}
