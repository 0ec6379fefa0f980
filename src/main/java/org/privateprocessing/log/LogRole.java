package org.privateprocessing.log;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.privateprocessing.core.NodeMetrics;
import org.privateprocessing.core.Profile;
import org.privateprocessing.core.ReadinessCheck;
import org.privateprocessing.tlog.PublisherKeys;

/**
 * Starts the transparency log server: opens (or creates) the log under its data directory, then
 * deploys its HTTP listener. The node starts it before every other role, so they can publish what
 * they create to it.
 */
public final class LogRole {
  private static final Logger LOG = Logger.getLogger(LogRole.class.getName());

  private LogRole() {}

  /**
   * What a started log serves.
   *
   * @param port the port its listener bound
   * @param verifierKey the log's verifier key (C2SP note format), as clients pin it
   * @param demoPublisher the publisher key the log made for itself in the demo profile, else empty
   * @param readiness what the log needs to serve: a store that takes entries
   */
  public record Started(
      int port,
      String verifierKey,
      Optional<PublisherKeys.Signer> demoPublisher,
      List<ReadinessCheck> readiness) {
    /** Where roles in this JVM reach the log. */
    public String url() {
      return "http://127.0.0.1:" + port;
    }
  }

  /**
   * {@code log store writable}: the last write went through and the data directory is still
   * writable.
   */
  static ReadinessCheck storeCheck(LogService service, LogOptions options) {
    return ReadinessCheck.of(
        "log store writable",
        () -> {
          Optional<String> failure = service.storeFailure();
          if (failure.isPresent()) {
            return Optional.of(failure.get() + "; check the disk under " + options.dataDir());
          }
          return Files.isWritable(options.dataDir())
              ? Optional.empty()
              : Optional.of(
                  "the data directory "
                      + options.dataDir()
                      + " is gone or not writable; the log cannot append");
        });
  }

  /** Opens the log and starts listening; a listener that cannot start closes the log again. */
  public static Future<Started> start(
      Vertx vertx, LogOptions options, Profile profile, SecureRandom random) {
    return vertx
        .executeBlocking(() -> LogService.open(options, profile, random), false)
        .compose(
            service -> {
              LogVerticle http = new LogVerticle(options, service);
              return vertx
                  .deployVerticle(http)
                  .recover(
                      e -> {
                        try {
                          service.close();
                        } catch (IOException ignored) {
                          // failing anyway
                        }
                        return Future.failedFuture(e);
                      })
                  .map(
                      d -> {
                        LOG.info(
                            "transparency log '"
                                + service.origin()
                                + "' listening on "
                                + options.host()
                                + ":"
                                + http.actualPort()
                                + ", "
                                + service.size()
                                + " entries, data in "
                                + options.dataDir()
                                + "; transparency page: http://"
                                + options.host()
                                + ":"
                                + http.actualPort()
                                + TransparencyPage.PAGE_PATH);
                        NodeMetrics.of(vertx)
                            .gauge(
                                "pp.log.entries", "Entries in the transparency log", service::size);
                        return new Started(
                            http.actualPort(),
                            service.verifierKey(),
                            service.demoPublisher(),
                            List.of(storeCheck(service, options)));
                      });
            });
  }
}
