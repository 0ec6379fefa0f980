package org.privateprocessing.admin;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.logging.Logger;

/**
 * The registry {@code GET /metrics} exports and the Vert.x meters that feed it ({@code
 * vertx-micrometer-metrics}): HTTP servers and clients, event bus, pools, the JVM.
 *
 * <p>Vert.x's own labels are restricted to those no request can choose and that name no address:
 * the status code a server answered, the event bus side, the pool's type and name. Its defaults
 * also label by HTTP method, which a client can make up ({@code CANARY / HTTP/1.1} is a well-formed
 * request line); it can label by path and remote address too. None of those is ever on here. The
 * pools of HTTP clients are named by the address they connect to, so their meters are dropped.
 */
public final class AdminMetrics {
  /** The Vert.x labels used; {@code AdminListenerTest} checks that no other shows up. */
  static final EnumSet<Label> LABELS =
      EnumSet.of(Label.HTTP_CODE, Label.EB_SIDE, Label.POOL_TYPE, Label.POOL_NAME);

  /**
   * Vert.x registers a gauge once per server, client or handler under one id and adds them up in
   * one shared counter ({@code LongGauges}); Micrometer then warns, once per JVM, that the gauge
   * "has been already registered". The values are right, so that one warning is dropped; every
   * other record of the logger passes. Held here so the filter outlives garbage collection.
   */
  private static final Logger MICROMETER = Logger.getLogger(MeterRegistry.class.getName());

  static {
    MICROMETER.setFilter(
        r -> r.getMessage() == null || !r.getMessage().startsWith("This Gauge has been already"));
  }

  private AdminMetrics() {}

  /** A registry for one node's meters. */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(MeterFilter.deny(AdminMetrics::namesAnAddress));
    return registry;
  }

  /** A pool meter of an HTTP client: its pool name is the host and port it connects to. */
  static boolean namesAnAddress(Meter.Id id) {
    return id.getName().startsWith("vertx.pool") && "http".equals(id.getTag("pool_type"));
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
