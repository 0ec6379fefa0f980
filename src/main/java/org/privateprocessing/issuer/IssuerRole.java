package org.privateprocessing.issuer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.privateprocessing.core.ReadinessCheck;
import org.privateprocessing.core.RedisStore;
import org.privateprocessing.core.StateStoreOptions;
import org.privateprocessing.core.VerificationKeys;
import org.privateprocessing.logclient.LogPublisher;

/**
 * Starts the issuer: reads its keys from its key directory (making what is missing there; in memory
 * when it has none), publishes them to the transparency log when one is configured, then deploys
 * its HTTP listener (RFC 9578).
 */
public final class IssuerRole {
  private static final Logger LOG = Logger.getLogger(IssuerRole.class.getName());

  private IssuerRole() {}

  /**
   * What a started issuer serves.
   *
   * @param port the port its listener bound
   * @param keys its public keys over time, for a gateway in the same JVM to verify tokens with
   * @param readiness what it needs to serve: a current key of each type, and the log it publishes
   *     rotated keys to when one is configured
   */
  public record Started(int port, VerificationKeys keys, List<ReadinessCheck> readiness) {}

  /**
   * Generates the issuer's keys and starts listening.
   *
   * @param publisher where the keys are logged before anyone can be handed them; null when no
   *     transparency log is configured
   */
  public static Future<Started> start(
      Vertx vertx,
      IssuerOptions options,
      LogPublisher publisher,
      Clock clock,
      SecureRandom random) {
    return start(
        vertx,
        options,
        publisher,
        clock,
        random,
        new IssuanceLimiter(options.tokensPerWindow(), options.window()));
  }

  /** As above, counting the accounts' issuance windows in {@code windows} ({@link #windows}). */
  public static Future<Started> start(
      Vertx vertx,
      IssuerOptions options,
      LogPublisher publisher,
      Clock clock,
      SecureRandom random,
      IssuanceWindows windows) {
    return vertx
        .executeBlocking(
            () ->
                options.keyPath() == null
                    ? IssuerKeys.generate(
                        options.tokenTypes(),
                        options.keyLifetime(),
                        options.keyGrace(),
                        random,
                        clock.instant())
                    : IssuerKeys.open(
                        options.keyPath(),
                        options.tokenTypes(),
                        options.keyLifetime(),
                        options.keyGrace(),
                        random,
                        clock,
                        options.makeKeys()),
            false)
        // transparency: the issuer's keys are in the log before anyone can be handed them
        .compose(
            keys ->
                publisher == null
                    ? Future.succeededFuture(keys)
                    : publisher
                        .publish("issuer key", keys.logEntries(options.name(), clock.instant()))
                        .map(keys))
        .compose(
            keys -> {
              IssuerService service = new IssuerService(options, keys, windows, clock);
              IssuerVerticle http = new IssuerVerticle(options, service, clock);
              if (publisher != null) {
                republishRotatedKeys(vertx, options, keys, publisher, clock);
              }
              return vertx
                  .deployVerticle(http)
                  .map(
                      d -> {
                        LOG.info(
                            "issuer '"
                                + options.name()
                                + "' listening on "
                                + options.host()
                                + ":"
                                + http.actualPort()
                                + ", token types "
                                + options.tokenTypes()
                                + ", "
                                + options.accounts().size()
                                + " account(s)");
                        List<ReadinessCheck> readiness = new ArrayList<>();
                        readiness.add(ReadinessCheck.issuerKeys(keys, clock));
                        if (publisher != null) {
                          readiness.add(logReachable(publisher));
                        }
                        return new Started(http.actualPort(), keys, List.copyOf(readiness));
                      });
            });
  }

  /** {@code log reachable}: the log this role publishes to answers with its checkpoint. */
  static ReadinessCheck logReachable(LogPublisher publisher) {
    return ReadinessCheck.answers(
        "log reachable",
        () -> publisher.client().checkpoint(),
        "the transparency log at " + publisher.client().baseUrl());
  }

  /**
   * The issuance windows of {@code store}: in memory ({@code memory}, and {@code cluster}, where
   * each issuer replica counts on its own), durable in {@code <dataDir>/issuance-windows.log}
   * ({@code file}), or shared by every replica in Redis ({@code redis}, given {@code redis}).
   * Opening the file is blocking and runs on a worker.
   *
   * @return a future failing with a message naming the file and the fix when it cannot be opened
   */
  public static Future<IssuanceWindows> windows(
      Vertx vertx,
      IssuerOptions options,
      java.nio.file.Path dataDir,
      StateStoreOptions.Type type,
      RedisStore redis,
      Clock clock) {
    return switch (type) {
      case MEMORY, CLUSTER ->
          Future.succeededFuture(new IssuanceLimiter(options.tokensPerWindow(), options.window()));
      case REDIS ->
          Future.succeededFuture(
              new RedisIssuanceWindows(redis, options.tokensPerWindow(), options.window()));
      case FILE ->
          blocking(
              vertx,
              () -> {
                FileIssuanceWindows w =
                    FileIssuanceWindows.open(
                        dataDir, options.tokensPerWindow(), options.window(), clock);
                if (w.recoveryNote() != null) {
                  LOG.warning(w.recoveryNote());
                }
                return w;
              });
    };
  }

  /** At once off Vert.x's threads (the roles then start from the caller's), else on a worker. */
  private static <T> Future<T> blocking(Vertx vertx, java.util.concurrent.Callable<T> work) {
    if (Vertx.currentContext() != null) {
      return vertx.executeBlocking(work, false);
    }
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Transparency for keys made by later rotations too (appending a logged key is a no-op): as often
   * as {@link IssuerVerticle} rotates, and the next key is listed a lifetime ahead of use.
   */
  private static void republishRotatedKeys(
      Vertx vertx, IssuerOptions options, IssuerKeys keys, LogPublisher publisher, Clock clock) {
    long every = IssuerVerticle.rotationPeriodMs(options.keyLifetime());
    vertx.setPeriodic(
        every,
        every,
        t ->
            publisher
                .publish("issuer key", keys.logEntries(options.name(), clock.instant()))
                .onFailure(
                    e ->
                        LOG.severe(
                            e.getMessage()
                                + " (a rotated issuer key is not in the log yet; "
                                + "clients checking the log refuse its tokens until it is)")));
  }
}
