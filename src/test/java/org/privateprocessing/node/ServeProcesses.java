package org.privateprocessing.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The multi-process tests' fixture: {@code private-processing serve} in a JVM of its own (small
 * heap, quick start), its output in a log file, waited for by its "serving role" line, and a
 * Hazelcast config of its own (a random cluster name and port range) so that a run never joins
 * another cluster on this machine.
 */
public final class ServeProcesses {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ServeProcesses() {}

  /**
   * Writes the classpath's {@code cluster.xml} to {@code file} with a random cluster name starting
   * with {@code namePrefix} and a random port base from 30000.
   */
  public static Path clusterConfig(Path file, String namePrefix) throws IOException {
    return Files.writeString(file, classpathConfig(clusterName(namePrefix), portBase()));
  }

  /** A random cluster name starting with {@code prefix}, so that a run never joins another. */
  public static String clusterName(String prefix) {
    return prefix + Long.toHexString(RANDOM.nextLong());
  }

  /** A random Hazelcast port base from 30000, where no other run's cluster listens. */
  public static int portBase() {
    return 30_000 + RANDOM.nextInt(300) * 100;
  }

  /**
   * Writes the classpath's {@code cluster.xml} for one "host" of a cluster stood for by loopback
   * addresses: Hazelcast bound to {@code host} (through its local-address property: 127.0.0.2.. are
   * routed to lo but not assigned to it, so interface matching would not find them), joining by
   * TCP-IP the given {@code members}.
   */
  public static Path hostClusterConfig(
      Path file, String clusterName, int portBase, String host, List<String> members)
      throws IOException {
    StringBuilder memberXml = new StringBuilder();
    for (String member : members) {
      memberXml.append("<member>").append(member).append("</member>");
    }
    String xml =
        classpathConfig(clusterName, portBase)
            .replace("<member>127.0.0.1</member>", memberXml.toString())
            .replace("<interface>127.0.0.1</interface>", "<interface>" + host + "</interface>")
            .replace(
                "<properties>",
                "<properties><property name=\""
                    + ClusterSetup.LOCAL_ADDRESS
                    + "\">"
                    + host
                    + "</property>");
    return Files.writeString(file, xml);
  }

  /** The classpath's {@code cluster.xml} with another cluster name and port base. */
  private static String classpathConfig(String clusterName, int portBase) throws IOException {
    try (var in = ServeProcesses.class.getResourceAsStream("/" + ClusterSetup.CLASSPATH_CONFIG)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace(
              "<cluster-name>private-processing</cluster-name>",
              "<cluster-name>" + clusterName + "</cluster-name>")
          .replace(">5701</port>", ">" + portBase + "</port>");
    }
  }

  /**
   * Starts {@code serve ARGS...} in a new JVM of at most 256 MiB that starts quickly (C1 only,
   * serial GC), its output (stdout and stderr) into {@code log}.
   */
  public static Process serve(Path log, List<String> args) throws IOException {
    return serve(log, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), args);
  }

  /** Starts {@code java JVM-FLAGS... Main serve ARGS...}, its output into {@code log}. */
  public static Process serve(Path log, List<String> jvmFlags, List<String> args)
      throws IOException {
    return command(jvmFlags, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * Like {@link #serve(Path, List, List)} with the admin listener on a free port ({@code
   * PP_ADMIN_PORT=0}, over what the config says): tests run beside other nodes on one machine.
   */
  public static Process serveAdminOnFreePort(Path log, List<String> jvmFlags, List<String> args)
      throws IOException {
    ProcessBuilder pb = command(jvmFlags, args);
    pb.environment().put("PP_ADMIN_PORT", "0");
    return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static ProcessBuilder command(List<String> jvmFlags, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "org.privateprocessing.cli.Main"));
    cmd.add("serve");
    cmd.addAll(args);
    return new ProcessBuilder(cmd);
  }

  /**
   * Waits for the "serving role" line in a child's log; fails early, with the log's tail, if the
   * child exits, and with the tail too if it is not ready within {@code readyMs}.
   */
  public static void awaitReady(Process p, Path log, long readyMs) throws Exception {
    String name = log.getFileName().toString().replaceFirst("\\.log$", "");
    long deadline = System.currentTimeMillis() + readyMs;
    while (System.currentTimeMillis() < deadline) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      if (text.contains("serving role")) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError(name + " exited with " + p.exitValue() + ": " + tail(text));
      }
      Thread.sleep(200);
    }
    String text = Files.exists(log) ? Files.readString(log) : "";
    throw new AssertionError(name + " not ready within " + readyMs + " ms: " + tail(text));
  }

  /** The last 2,000 characters of a log, for a failure message. */
  public static String tail(String text) {
    return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
  }

  /** Asks each process to stop, waits up to {@code graceSeconds} for each, then kills the rest. */
  public static void stop(Collection<Process> processes, long graceSeconds)
      throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** Kills each process ({@code kill -9}) and waits up to {@code waitSeconds} for each to go. */
  public static void kill(Collection<Process> processes, long waitSeconds)
      throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      p.waitFor(waitSeconds, TimeUnit.SECONDS);
    }
  }

  /** A port free on 127.0.0.1 now (for a config that must name it before the child starts). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
