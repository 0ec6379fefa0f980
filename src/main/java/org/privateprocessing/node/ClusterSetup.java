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
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.privateprocessing.admin.AdminMetrics;

/**
 * Starts Vert.x clustered with Hazelcast on loopback only. The machines this runs on must never
 * send to or listen on a non-loopback address, and Hazelcast's defaults (multicast, cloud
 * discovery, bind to all interfaces) do exactly that; so the loaded config is checked here, in
 * code, and a config that could reach beyond 127.0.0.1 is refused before any socket opens.
 */
public final class ClusterSetup {
  private static final Logger LOG = Logger.getLogger(ClusterSetup.class.getName());

  /** The classpath default, same content as {@code conf/cluster.xml}. */
  public static final String CLASSPATH_CONFIG = "cluster.xml";

  public static final String LOOPBACK = "127.0.0.1";

  private static final Pattern LOOPBACK_MEMBER =
      Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(:\\d{1,5})?");
  // Hazelcast interface patterns allow '*' and ranges such as 127.0.0.1-9.
  private static final Pattern LOOPBACK_INTERFACE =
      Pattern.compile("127\\.[0-9*\\-]+\\.[0-9*\\-]+\\.[0-9*\\-]+");

  private ClusterSetup() {}

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
    check(config, source);
    LOG.info(
        "cluster config " + source + " (cluster '" + config.getClusterName() + "', loopback only)");
    return config;
  }

  /**
   * Refuses a config that enables multicast, auto-detection or any cloud discovery, lists a member
   * or interface outside 127.0.0.0/8, or has no TCP-IP join. Then forces the two properties that
   * keep Hazelcast quiet: no bind to every interface, no phone-home.
   */
  public static void check(Config config, String source) {
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
      problems.add("a cloud or discovery-SPI join is configured");
    }
    if (!join.getTcpIpConfig().isEnabled()) {
      problems.add("tcp-ip join is not enabled (members must be listed as 127.0.0.1)");
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
          if (!member.isEmpty() && !LOOPBACK_MEMBER.matcher(member).matches()) {
            problems.add("member '" + member + "' is not a loopback IP literal (use 127.0.0.1)");
          }
        }
      }
    }
    if (!network.getInterfaces().isEnabled() || network.getInterfaces().getInterfaces().isEmpty()) {
      problems.add(
          "interfaces are not restricted (set <interfaces enabled=\"true\"><interface>127.0.0.1</interface>)");
    } else {
      for (String itf : network.getInterfaces().getInterfaces()) {
        if (!LOOPBACK_INTERFACE.matcher(itf.trim()).matches()) {
          problems.add("interface '" + itf + "' is not loopback");
        }
      }
    }
    String publicAddress = network.getPublicAddress();
    if (publicAddress != null && !LOOPBACK_MEMBER.matcher(publicAddress.trim()).matches()) {
      problems.add("public-address '" + publicAddress + "' is not loopback");
    }
    if (config.getAdvancedNetworkConfig().isEnabled()) {
      problems.add("advanced-network is enabled (not checked here, so not allowed)");
    }
    if (!problems.isEmpty()) {
      throw new UnsafeClusterConfigException(
          "refusing cluster config "
              + source
              + ": it could reach beyond 127.0.0.1: "
              + String.join("; ", problems));
    }
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.phone.home.enabled", "false");
  }

  /** Vert.x clustered over a checked config; the event bus listens on 127.0.0.1, any free port. */
  public static Future<Vertx> start(Config config) {
    return start(config, null);
  }

  /**
   * As {@link #start(Config)}, with Vert.x's meters recording into {@code metrics} (the admin
   * listener's registry), or none when null.
   */
  static Future<Vertx> start(Config config, PrometheusMeterRegistry metrics) {
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost(LOOPBACK).setClusterPublicHost(LOOPBACK).setPort(0);
    VertxBuilder builder =
        metrics == null
            ? Vertx.builder().with(options)
            : AdminMetrics.withMetrics(Vertx.builder(), options, metrics);
    return builder.withClusterManager(new HazelcastClusterManager(config)).buildClustered();
  }
}
