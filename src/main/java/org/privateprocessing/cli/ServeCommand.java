package org.privateprocessing.cli;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.privateprocessing.node.ClusterSetup;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.NodeSettings;
import org.privateprocessing.node.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one role, or all of them in one JVM (the default), until stopped with Ctrl-C.",
      "Listeners bind 127.0.0.1: relay 8080, gateway 8081, issuer 8082, transparency log 8083,",
      "admin 9090 (GET /health/live, /health/ready, /metrics; override in the config).",
      "Keys are generated at start and kept in memory only: a restart means new keys."
    },
    footer = {
      "",
      "Examples:",
      "  java -jar target/private-processing.jar serve",
      "  java -jar target/private-processing.jar serve --role relay \\",
      "      --conf conf/relay.json",
      "  java -jar target/private-processing.jar serve --role gateway --cluster \\",
      "      --conf conf/cluster-gateway.json"
    })
final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--role",
      defaultValue = "all",
      paramLabel = "ROLE",
      description =
          "all, relay, gateway, enclave, issuer or log (default: ${DEFAULT-VALUE}). A gateway and an "
              + "enclave in different JVMs need --cluster.")
  String role;

  @Option(
      names = "--cluster",
      description =
          "join a Vert.x cluster: Hazelcast over TCP-IP with its members listed (127.0.0.1 by "
              + "default); across hosts the config's cluster section sets the event bus's address "
              + "and mutual TLS (make credentials with: cluster-ca --help)")
  boolean cluster;

  @Option(
      names = "--cluster-conf",
      paramLabel = "FILE",
      description =
          "Hazelcast XML (default: cluster.xml on the classpath, the same as conf/cluster.xml); "
              + "refused if it enables multicast or discovery, or names a non-loopback member or "
              + "interface while the config's cluster.tls is not set")
  Path clusterConf;

  @Option(
      names = "--conf",
      paramLabel = "FILE",
      description =
          "role config (default: conf/all-in-one.json if present, else built-in defaults)")
  Path conf;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "where this node keeps its state: the transparency log, the demo's keys and trust files "
              + "(default: \"dataDir\" of the config, else run); two nodes on one machine need "
              + "two directories")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    Role parsed = Role.parse(role);
    JsonObject config = ConfigFiles.load(conf);
    if (dataDir != null) {
      config.put("dataDir", dataDir.toString());
    }
    if (clusterConf != null && !cluster) {
      throw new IllegalArgumentException("--cluster-conf needs --cluster");
    }
    // The cluster config and its TLS files are checked before Hazelcast opens any socket.
    // With Vert.x's meters when the admin listener is on (a bad admin section fails here).
    Vertx vertx =
        cluster
            ? Await.result(Node.vertx(config, checkedCluster(config, clusterConf)), 120_000)
            : Node.vertx(config);
    Node.Running running;
    try {
      // Generous: a clustered enclave measures its jar, makes its keys and joins the cluster first.
      running = Await.result(Node.serve(vertx, parsed, config), 180_000);
    } catch (java.util.concurrent.TimeoutException e) {
      vertx.close();
      throw new IllegalStateException(
          "the "
              + role
              + " role did not finish starting within 180 s; "
              + "the log above says how far it got (a very busy machine, or a cluster member it cannot reach)");
    } catch (Exception e) {
      vertx.close();
      throw alreadyServing(e, config);
    }
    writeDemoTrust(config, running);
    writeDemoLogTrust(config, running);
    System.err.println(
        "serving role "
            + parsed.name().toLowerCase(java.util.Locale.ROOT)
            + (cluster ? " (clustered)" : "")
            + (running.relayPort() > 0 ? "; clients use --relay " + running.relayUrl() : "")
            + (running.adminPort() > 0
                ? "; health and metrics at " + running.adminUrl() + "/health/ready and /metrics"
                : "")
            + "; press Ctrl-C to stop");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Await.result(vertx.close(), 10_000);
                  } catch (Exception ignored) {
                    // exiting anyway
                  }
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * The checked cluster setup: Hazelcast's XML and the config's {@code cluster} section with its
   * TLS files. A refusal is a usage error (exit code 2) naming the file or key and the fix.
   */
  static ClusterSetup.Checked checkedCluster(JsonObject config, Path clusterConf) {
    try {
      return ClusterSetup.prepare(clusterConf, NodeSettings.parse(config).cluster());
    } catch (ClusterSetup.UnsafeClusterConfigException e) {
      throw new ConfigFiles.BadFileException(e.getMessage());
    }
  }

  /**
   * A log file locked by another log means another {@code serve} runs on the same data directory:
   * say so, and what to do, instead of the file lock's own words.
   */
  static Exception alreadyServing(Exception e, JsonObject config) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.privateprocessing.tlog.LogFile.LockedException locked) {
        return new IllegalStateException(
            "another serve is already running with data directory "
                + config.getString("dataDir", "run")
                + " (its transparency log "
                + locked.file()
                + " is in use); stop it, or start this one with --data-dir DIR "
                + "and its own ports (--conf FILE)");
      }
    }
    return e;
  }

  /**
   * In the demo profile, when this JVM runs the transparency log, leaves its verifier key where
   * local client commands look ({@code <dataDir>/trust/log.json}).
   */
  private static void writeDemoLogTrust(JsonObject config, Node.Running running)
      throws java.io.IOException {
    if (running.logKey() == null
        || org.privateprocessing.core.Profile.of(config)
            != org.privateprocessing.core.Profile.DEMO) {
      return;
    }
    Path dir = Path.of(config.getString("dataDir", "run"), "trust");
    java.nio.file.Files.createDirectories(dir);
    Path file = dir.resolve("log.json");
    JsonObject trust =
        new JsonObject()
            .put(
                "_comment",
                "DEMO: the key of the transparency log this machine runs; clients accept only what "
                    + "a checkpoint signed by one of these keys proves")
            .put("logKeys", new io.vertx.core.json.JsonArray().add(running.logKey()));
    java.nio.file.Files.writeString(file, trust.encodePrettily());
    System.err.println(
        "DEMO: wrote the transparency log's key to " + file + " (log at " + running.logUrl() + ")");
  }

  /**
   * In the demo profile, leaves the simulated enclave's root and measurement where local client
   * commands look ({@code <dataDir>/trust/}), which is this machine's out-of-band channel: a client
   * never takes a root from the network.
   */
  private static void writeDemoTrust(JsonObject config, Node.Running running)
      throws java.io.IOException {
    if (running.simulatedRoot().isEmpty()) {
      return;
    }
    Path dir = Path.of(config.getString("dataDir", "run"), "trust");
    java.nio.file.Files.createDirectories(dir);
    Path file = dir.resolve("enclave-" + running.enclaveId() + ".json");
    java.nio.file.Files.writeString(
        file,
        org.privateprocessing.client.TrustFiles.simulatedFragment(
                running.simulatedRoot().get(), running.measurementHex())
            .encodePrettily());
    System.err.println(
        "DEMO: wrote the simulated enclave's root and measurement to "
            + file
            + "; client commands run from this directory trust it (--trust "
            + dir
            + ")");
  }
}
