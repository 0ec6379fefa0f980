package org.privateprocessing.admin;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;

/**
 * The registry {@code GET /metrics} exports and the Vert.x meters that feed it ({@code
 * vertx-micrometer-metrics}): HTTP servers and clients, event bus, pools, the JVM.
 *
 * <p>Vert.x's own labels are restricted to those no request can choose: the status code a server
 * answered, the event bus side, the pool's type and name. Its defaults also label by HTTP method,
 * which a client can make up ({@code CANARY / HTTP/1.1} is a well-formed request line), and it can
 * label by path and remote address; none of those is ever on here.
 */
public final class AdminMetrics {
  /** The Vert.x labels used; {@code AdminListenerTest} checks that no other shows up. */
  static final EnumSet<Label> LABELS =
      EnumSet.of(Label.HTTP_CODE, Label.EB_SIDE, Label.POOL_TYPE, Label.POOL_NAME);

  private AdminMetrics() {}

  /** A registry for one node's meters. */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * {@code builder} with Vert.x's meters recording into {@code registry}.
   *
   * @param options the node's Vert.x options, given its metrics options here
   */
  public static VertxBuilder withMetrics(
      VertxBuilder builder, VertxOptions options, PrometheusMeterRegistry registry) {
    options.setMetricsOptions(
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setLabels(EnumSet.copyOf(LABELS)));
    return builder.with(options).withMetrics(new MicrometerMetricsFactory(registry));
  }
}
