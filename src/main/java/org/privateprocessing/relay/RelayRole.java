package org.privateprocessing.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.logging.Logger;
import org.privateprocessing.core.ReadinessCheck;

/** Starts a relay: its HTTP listener, forwarding to the gateways its options name. */
public final class RelayRole {
  private static final Logger LOG = Logger.getLogger(RelayRole.class.getName());

  private RelayRole() {}

  /**
   * What a started relay serves.
   *
   * @param port the port its listener bound
   * @param readiness what it needs to serve beyond its listener: nothing (a gateway that does not
   *     answer is the gateways' own readiness, and the relay fails over between them)
   */
  public record Started(int port, List<ReadinessCheck> readiness) {}

  public static Future<Started> start(Vertx vertx, RelayOptions options) {
    RelayVerticle relay = new RelayVerticle(options);
    return vertx
        .deployVerticle(relay)
        .map(
            d -> {
              LOG.info(
                  "relay listening on "
                      + options.host()
                      + ":"
                      + relay.actualPort()
                      + ", forwarding to "
                      + options.gatewayUrl());
              return new Started(relay.actualPort(), List.of());
            });
  }
}
