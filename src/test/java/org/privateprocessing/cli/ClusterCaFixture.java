package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.privateprocessing.node.ClusterCredentials;

/**
 * Cluster credentials as an operator makes them, through {@code private-processing cluster-ca}: a
 * CA, node certificates issued by it, and the {@code cluster.tls} section naming a node's files.
 */
public final class ClusterCaFixture {
  private ClusterCaFixture() {}

  /** The arguments of {@code cluster-ca issue CA --host HOST... --out OUT MORE...}. */
  static String[] issueArgs(Path ca, List<String> hosts, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("cluster-ca", "issue", ca.toString()));
    for (String host : hosts) {
      args.add("--host");
      args.add(host);
    }
    args.add("--out");
    args.add(out.toString());
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** {@code cluster-ca init CA}; fails the test unless it exits 0. */
  public static Path init(Path ca) {
    execute("cluster-ca", "init", ca.toString());
    return ca;
  }

  /** {@code cluster-ca issue CA --host HOST --out OUT}; fails the test unless it exits 0. */
  public static Path issue(Path ca, String host, Path out) {
    execute(issueArgs(ca, List.of(host), out));
    return out;
  }

  /**
   * The {@code cluster.tls} section naming the files {@code cluster-ca issue} wrote to {@code
   * node}.
   */
  public static JsonObject tlsSection(Path node) {
    return new JsonObject()
        .put("certFile", node.resolve(ClusterCredentials.NODE_CERT).toString())
        .put("keyFile", node.resolve(ClusterCredentials.NODE_KEY).toString())
        .put("trustFile", node.resolve(ClusterCredentials.TRUST).toString());
  }

  private static void execute(String... args) {
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute(args)).as(String.join(" ", args) + ": " + err).isZero();
  }
}
