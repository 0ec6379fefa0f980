package org.privateprocessing.node;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.privateprocessing.admin.AdminMetrics;

/**
 * Starts Vert.x clustered with Hazelcast: on loopback by default, across hosts when configured
 * explicitly and with the event bus over mutual TLS. Hazelcast's defaults (multicast, cloud
 * discovery, bind to all interfaces, phone-home) reach out on their own, so the loaded config is
 * checked here, in code, before any socket opens:
 *
 * <ul>
 *   <li>Everywhere: multicast, auto-detection and every cloud or discovery-SPI join are refused;
 *       the members are listed for a TCP-IP join; the interfaces Hazelcast binds are restricted; no
 *       bind to all interfaces, no phone-home.
 *   <li>A member, interface, public address or event-bus address outside 127.0.0.0/8 is accepted
 *       only when the event bus runs over mutual TLS ({@code cluster.tls}, {@link ClusterTls}): a
 *       node without a certificate from the cluster's CA (or a pinned one) can then neither send
 *       nor receive an envelope. Without it such a config is refused, naming the fix.
 * </ul>
 *
 * <p>Hazelcast's open-source edition has no TLS of its own: its membership port carries the
 * cluster's maps (subscriptions, node descriptors, the spent-token map) in the clear, so across
 * hosts it needs the network isolation docs/OPERATIONS.md ("Clusters across hosts") describes.
 */
public final class ClusterSetup {
  private static final Logger LOG = Logger.getLogger(ClusterSetup.class.getName());

  /** The classpath default, same content as {@code conf/cluster.xml}. */
  public static final String CLASSPATH_CONFIG = "cluster.xml";

  public static final String LOOPBACK = "127.0.0.1";

  /**
   * Hazelcast's property naming the address it binds, taken before its interfaces are matched (an
   * address not assigned to an interface, such as 127.0.0.2 standing for a host in tests).
   */
  public static final String LOCAL_ADDRESS = "hazelcast.local.localAddress";

  /** Hazelcast's property naming the address it tells other members. */
  public static final String PUBLIC_ADDRESS = "hazelcast.local.publicAddress";

  private static final Pattern LOOPBACK_MEMBER =
      Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(:\\d{1,5})?");
  // Hazelcast interface patterns allow '*' and ranges such as 127.0.0.1-9.
  private static final Pattern LOOPBACK_INTERFACE =
      Pattern.compile("127\\.[0-9*\\-]+\\.[0-9*\\-]+\\.[0-9*\\-]+");

  // With TLS, across hosts: an IPv4 literal or a DNS name, optionally with a port.
  private static final Pattern HOST =
      Pattern.compile(
          "(\\d{1,3}(\\.\\d{1,3}){3}|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:\\d{1,5})?");
  private static final Pattern INTERFACE = Pattern.compile("[0-9*\\-]+(\\.[0-9*\\-]+){3}");
  private static final Pattern WILDCARD =
      Pattern.compile("0\\.0\\.0\\.0(:\\d+)?|\\*(\\.\\*){3}|::|\\[::\\](:\\d+)?|\\*");

  private ClusterSetup() {}

  /**
   * A checked cluster setup, nothing started yet: Hazelcast's config and the event bus's options
   * (address, port and, when configured, mutual TLS).
   *
   * @param hazelcast the checked Hazelcast config
   * @param eventBus the event bus's options
   * @param tls whether the event bus runs over mutual TLS
   */
  public record Checked(Config hazelcast, EventBusOptions eventBus, boolean tls) {}

  /** Thrown for a cluster config that is unreadable or could reach a non-loopback address. */
  public static final class UnsafeClusterConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnsafeClusterConfigException(String message) {
      super(message);
    }
  }

  /**
   * Reads the given Hazelcast XML, or the classpath default when {@code file} is null; then checks
   * it.
   */
  public static Config load(Path file) {
    return load(file, ClusterOptions.DEFAULTS);
  }

  /**
   * Reads the given Hazelcast XML (the classpath default when {@code file} is null) and the {@code
   * cluster} section, checks both and the TLS files it names, and returns what {@link
   * #start(Checked)} starts.
   *
   * @throws UnsafeClusterConfigException naming the file or setting and the fix
   */
  public static Checked prepare(Path file, ClusterOptions options) {
    Config config = load(file, options);
    EventBusOptions bus =
        new EventBusOptions()
            .setHost(options.host())
            .setClusterPublicHost(options.publicHost())
            .setPort(options.port());
    if (options.tls().enabled()) {
      ClusterTls tls;
      try {
        tls = ClusterTls.load(options.tls(), Instant.now());
      } catch (ClusterTls.RefusedException e) {
        throw new UnsafeClusterConfigException(e.getMessage());
      }
      tls.applyTo(bus);
      LOG.info(
          "cluster event bus on "
              + options.host()
              + " over mutual TLS as '"
              + tls.certificate().getSubjectX500Principal().getName()
              + "' (trusting "
              + options.tls().trustFile()
              + ")");
    }
    return new Checked(config, bus, options.tls().enabled());
  }

  private static Config load(Path file, ClusterOptions options) {
    Config config;
    String source;
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new UnsafeClusterConfigException("cluster config file not found: " + file);
      }
      try (InputStream in = Files.newInputStream(file)) {
        config = new XmlConfigBuilder(in).build();
      } catch (IOException | RuntimeException e) {
        // An operator's own file: Hazelcast's message (which element is wrong) is safe to show.
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        throw new UnsafeClusterConfigException(
            "cluster config "
                + file
                + " could not be read as Hazelcast XML: "
                + (why.length() > 300 ? why.substring(0, 300) : why));
      }
      source = file.toAbsolutePath().toString();
    } else {
      config = new ClasspathXmlConfig(CLASSPATH_CONFIG);
      source = "classpath:" + CLASSPATH_CONFIG;
    }
    check(config, source, options);
    LOG.info(
        "cluster config "
            + source
            + " (cluster '"
            + config.getClusterName()
            + "', "
            + (options.tls().enabled() ? "event bus over mutual TLS" : "loopback only")
            + ")");
    return config;
  }

  /** As {@link #check(Config, String, ClusterOptions)} for a loopback cluster without TLS. */
  public static void check(Config config, String source) {
    check(config, source, ClusterOptions.DEFAULTS);
  }

  /**
   * Refuses a config that enables multicast, auto-detection or any cloud discovery, has no TCP-IP
   * join or no interface restriction, or lists a member, interface or public address outside
   * 127.0.0.0/8 (or an event-bus address of {@code options} outside it) while the event bus has no
   * TLS; wildcard addresses are refused always. Then forces the two properties that keep Hazelcast
   * quiet: no bind to every interface, no phone-home.
   */
  public static void check(Config config, String source, ClusterOptions options) {
    boolean tls = options.tls().enabled();
    String noTls =
        "; across hosts set cluster.tls (the event bus over mutual TLS), or use 127.0.0.1";
    List<String> problems = new ArrayList<>();
    NetworkConfig network = config.getNetworkConfig();
    JoinConfig join = network.getJoin();
    if (join.getMulticastConfig().isEnabled()) {
      problems.add("multicast is enabled (set <multicast enabled=\"false\"/>)");
    }
    if (join.getAutoDetectionConfig().isEnabled()) {
      problems.add("auto-detection is enabled (set <auto-detection enabled=\"false\"/>)");
    }
    if (join.getAwsConfig().isEnabled()
        || join.getGcpConfig().isEnabled()
        || join.getAzureConfig().isEnabled()
        || join.getKubernetesConfig().isEnabled()
        || join.getEurekaConfig().isEnabled()
        || !join.getDiscoveryConfig().getDiscoveryStrategyConfigs().isEmpty()) {
      problems.add("a cloud or discovery-SPI join is configured (list the members for tcp-ip)");
    }
    if (!join.getTcpIpConfig().isEnabled()) {
      problems.add("tcp-ip join is not enabled (members must be listed, e.g. 127.0.0.1)");
    } else {
      List<String> members = new ArrayList<>(join.getTcpIpConfig().getMembers());
      if (join.getTcpIpConfig().getRequiredMember() != null) {
        members.add(join.getTcpIpConfig().getRequiredMember());
      }
      if (members.isEmpty()) {
        problems.add("tcp-ip lists no member");
      }
      for (String entry : members) {
        for (String member : entry.trim().split("[,;\\s]+")) {
          if (member.isEmpty() || LOOPBACK_MEMBER.matcher(member).matches()) {
            continue;
          }
          if (WILDCARD.matcher(member).matches() || !HOST.matcher(member).matches()) {
            problems.add(
                "member '"
                    + member
                    + "' is not an IPv4 address or host name (list each member, e.g. 10.0.0.5)");
          } else if (!tls) {
            problems.add(
                "member '" + member + "' is not a loopback IP literal (use 127.0.0.1)" + noTls);
          }
        }
      }
    }
    if (!network.getInterfaces().isEnabled() || network.getInterfaces().getInterfaces().isEmpty()) {
      problems.add(
          "interfaces are not restricted (set <interfaces enabled=\"true\"><interface>127.0.0.1</interface>)");
    } else {
      for (String itf : network.getInterfaces().getInterfaces()) {
        String i = itf.trim();
        if (LOOPBACK_INTERFACE.matcher(i).matches()) {
          continue;
        }
        if (WILDCARD.matcher(i).matches() || !INTERFACE.matcher(i).matches()) {
          problems.add(
              "interface '"
                  + itf
                  + "' is not loopback nor one network's addresses (name the fleet's, e.g. 10.0.0.*)");
        } else if (!tls) {
          problems.add("interface '" + itf + "' is not loopback" + noTls);
        }
      }
    }
    address("public-address", network.getPublicAddress(), tls, noTls, problems);
    // Hazelcast takes these before the interfaces (or beside them): the same rule applies.
    for (String property : List.of(LOCAL_ADDRESS, PUBLIC_ADDRESS)) {
      address(property, config.getProperty(property), tls, noTls, problems);
      address(property + " (system property)", System.getProperty(property), tls, noTls, problems);
    }
    if (config.getAdvancedNetworkConfig().isEnabled()) {
      problems.add("advanced-network is enabled (not checked here, so not allowed)");
    }
    busAddress("cluster.host", options.host(), tls, noTls, problems);
    busAddress("cluster.publicHost", options.publicHost(), tls, noTls, problems);
    if (!problems.isEmpty()) {
      throw new UnsafeClusterConfigException(
          "refusing cluster config "
              + source
              + ": "
              + (tls
                  ? "it is not explicit enough: "
                  : "it could reach beyond 127.0.0.1 without TLS: ")
              + String.join("; ", problems));
    }
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.phone.home.enabled", "false");
  }

  private static void address(
      String what, String value, boolean tls, String noTls, List<String> problems) {
    if (value == null || LOOPBACK_MEMBER.matcher(value.trim()).matches()) {
      return;
    }
    String v = value.trim();
    if (WILDCARD.matcher(v).matches() || !HOST.matcher(v).matches()) {
      problems.add(what + " '" + value + "' is not an IPv4 address or host name");
    } else if (!tls) {
      problems.add(what + " '" + value + "' is not loopback" + noTls);
    }
  }

  private static void busAddress(
      String key, String host, boolean tls, String noTls, List<String> problems) {
    if (LOOPBACK_MEMBER.matcher(host).matches()) {
      return;
    }
    if (WILDCARD.matcher(host).matches() || !HOST.matcher(host).matches() || host.contains(":")) {
      problems.add(
          key
              + " '"
              + host
              + "' is not one IPv4 address or host name (the event bus binds one address, e.g."
              + " 10.0.0.5)");
    } else if (!tls) {
      problems.add(key + " '" + host + "' is not loopback" + noTls);
    }
  }

  /** Vert.x clustered over a checked config; the event bus listens on 127.0.0.1, any free port. */
  public static Future<Vertx> start(Config config) {
    return start(loopback(config), null);
  }

  /** A checked Hazelcast config with the default event bus: 127.0.0.1, any free port, no TLS. */
  public static Checked loopback(Config config) {
    return new Checked(
        config,
        new EventBusOptions().setHost(LOOPBACK).setClusterPublicHost(LOOPBACK).setPort(0),
        false);
  }

  /** Vert.x clustered as {@code checked} says ({@link #prepare}). */
  public static Future<Vertx> start(Checked checked) {
    return start(checked, null);
  }

  /**
   * As {@link #start(Checked)}, with Vert.x's meters recording into {@code metrics} (the admin
   * listener's registry), or none when null.
   */
  static Future<Vertx> start(Checked checked, PrometheusMeterRegistry metrics) {
    VertxOptions options = new VertxOptions();
    options.setEventBusOptions(new EventBusOptions(checked.eventBus()));
    VertxBuilder builder =
        metrics == null
            ? Vertx.builder().with(options)
            : AdminMetrics.withMetrics(Vertx.builder(), options, metrics);
    return builder
        .withClusterManager(new HazelcastClusterManager(checked.hazelcast()))
        .buildClustered();
  }
}
