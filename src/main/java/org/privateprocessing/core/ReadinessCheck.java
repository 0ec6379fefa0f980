package org.privateprocessing.core;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One condition a role needs before it can serve, which the admin listener's {@code GET
 * /health/ready} reports (docs/OPERATIONS.md). Each role's starter returns its own, so {@code serve
 * --role gateway} reports only the gateway's.
 *
 * @param name a fixed phrase from the code, e.g. {@code issuer keys loaded}
 * @param probe completes when the condition holds now; fails with a message saying what is missing
 *     and what to do about it (names and settings, never request content)
 */
public record ReadinessCheck(String name, Supplier<Future<Void>> probe) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9 .-]{0,62}[a-z0-9]");

  public ReadinessCheck {
    Objects.requireNonNull(probe, "probe");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a readiness check is named in lower-case words: " + name);
    }
  }

  /**
   * A condition checked synchronously (cheaply, on the event loop).
   *
   * @param missing empty when the condition holds, else what is missing and what to do
   */
  public static ReadinessCheck of(String name, Supplier<Optional<String>> missing) {
    return new ReadinessCheck(
        name,
        () -> {
          Optional<String> m = missing.get();
          return m.isEmpty()
              ? Future.succeededFuture()
              : Future.failedFuture(new IllegalStateException(m.get()));
        });
  }

  /**
   * {@code issuer keys loaded}: every token type in {@code keys} has a key in use now. False for a
   * gateway whose copy of the issuer's directory is missing or too old, or an issuer whose rotation
   * failed.
   */
  public static ReadinessCheck issuerKeys(VerificationKeys keys, Clock clock) {
    return of("issuer keys loaded", () -> missingIssuerKeys(keys, clock.instant()));
  }

  /** What {@link #issuerKeys} finds missing at {@code now}. */
  static Optional<String> missingIssuerKeys(VerificationKeys keys, Instant now) {
    List<Integer> missing = new ArrayList<>();
    for (int type : keys.tokenTypes()) {
      if (keys.current(type, now).isEmpty()) {
        missing.add(type);
      }
    }
    if (keys.tokenTypes().isEmpty()) {
      return Optional.of("no issuer keys yet: the issuer's directory has not been read");
    }
    return missing.isEmpty()
        ? Optional.empty()
        : Optional.of(
            "no current issuer key for token type(s) "
                + missing
                + ": the issuer's directory is unreachable or its keys have expired");
  }

  /**
   * A service this role depends on answers: {@code call} (a cheap read) succeeds.
   *
   * @param what the service and where, for the message when it does not answer
   */
  public static ReadinessCheck answers(String name, Supplier<Future<?>> call, String what) {
    return new ReadinessCheck(
        name,
        () ->
            call.get()
                .<Void>mapEmpty()
                .recover(
                    t ->
                        Future.failedFuture(
                            new IllegalStateException(
                                what + " does not answer: " + reason(t) + "; is it running?"))));
  }

  /** A failure's message without a stack trace; its class when it has none. */
  static String reason(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  /** {@code spent-token store reachable}: the store answers {@link SpentTokens#probe()}. */
  public static ReadinessCheck spentTokens(SpentTokens spent) {
    return new ReadinessCheck("spent-token store reachable", spent::probe);
  }
}
