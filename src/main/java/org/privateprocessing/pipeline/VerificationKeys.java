package org.privateprocessing.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The issuer keys a gateway checks tokens with: the issuer's own {@link IssuerKeys} when it runs
 * in the same JVM, or {@link RemoteIssuerKeys} read from the issuer's directory when it does not.
 */
public interface VerificationKeys {
  /** Token types this gateway can verify, preferred first; one challenge is offered per type. */
  List<Integer> tokenTypes();

  /** The live key with this token key id. */
  Optional<IssuerKeys.Entry> byKeyId(byte[] tokenKeyId, Instant now);

  /** The key clients should use now for a type (named in 401 challenges). */
  Optional<IssuerKeys.Entry> current(int type, Instant now);
}
