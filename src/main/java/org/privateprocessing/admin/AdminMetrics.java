package org.privateprocessing.admin;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
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

  private AdminMetrics() {}

  /** A registry for one node's meters. */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(MeterFilter.deny(AdminMetrics::namesAnAddress));
    registry.config().meterFilter(MeterFilter.deny(AdminMetrics::oneOfMany));
    return registry;
  }

  /**
   * A gauge Vert.x registers once per HTTP or TCP server or client, or event-bus handler registry
   * (active connections, active requests, handlers) under one id when they are not labelled by
   * their address: only the first would count (Micrometer ignores the others, with a warning). The
   * stages' in-flight gauges ({@code pp_requests_in_flight}) say what they would have.
   */
  static boolean oneOfMany(Meter.Id id) {
    String name = id.getName();
    return id.getType() == Meter.Type.GAUGE && id.getTags().isEmpty() && name.startsWith("vertx.");
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
