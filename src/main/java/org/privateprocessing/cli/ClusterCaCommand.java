package org.privateprocessing.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.privateprocessing.node.ClusterCredentials;
import org.privateprocessing.node.ClusterTls;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cluster-ca}: the credentials of a cluster's event bus across hosts, without openssl: a
 * cluster CA ({@code init}) and one certificate and key per node ({@code issue}), ECDSA P-256, keys
 * owner-only ({@link ClusterCredentials}).
 */
@Command(
    name = "cluster-ca",
    mixinStandardHelpOptions = true,
    description = {
      "Makes the credentials of a cluster across hosts: a cluster CA, then one certificate per node.",
      "Between hosts the event bus runs over mutual TLS: every node presents a certificate issued by",
      "the cluster CA and accepts only peers that do the same. Keep the CA's key off the nodes."
    },
    subcommands = {
      ClusterCaCommand.Init.class,
      ClusterCaCommand.Issue.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Example (three hosts; copy each node's directory to its host):",
      "  java -jar target/private-processing.jar cluster-ca init ca",
      "  java -jar target/private-processing.jar cluster-ca issue ca --host 10.0.0.5 --out node-a",
      "  java -jar target/private-processing.jar cluster-ca issue ca --host 10.0.0.6 --out node-b",
      "Then in each node's config (serve --cluster --conf FILE):",
      "  \"cluster\": {\"host\": \"10.0.0.5\", \"port\": 5801, \"tls\": {",
      "    \"certFile\": \"node-a/node-cert.pem\", \"keyFile\": \"node-a/node-key.pem\",",
      "    \"trustFile\": \"node-a/cluster-ca.pem\"}}",
      "docs/OPERATIONS.md, \"Clusters across hosts\": Hazelcast's own port, rotation."
    })
final class ClusterCaCommand extends CommandGroup {
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "Makes a cluster CA in DIR, never overwriting one.",
        "It writes " + ClusterCredentials.CA_CERT + " (every node trusts it) and",
        ClusterCredentials.CA_KEY
            + " (owner-only; it signs node certificates: keep it off the nodes)."
      })
  static final class Init implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "where the CA is made")
    Path dir;

    @Option(
        names = "--name",
        defaultValue = "private-processing cluster CA",
        paramLabel = "NAME",
        description = "the CA's common name (default: ${DEFAULT-VALUE})")
    String name;

    @Option(
        names = "--days",
        defaultValue = "3650",
        paramLabel = "N",
        description = "how long the CA certificate is valid (default: ${DEFAULT-VALUE})")
    int days;

    @Override
    public Integer call() throws Exception {
      if (days < 1) {
        throw new ConfigFiles.BadFileException("--days: at least 1, not " + days);
      }
      try {
        ClusterCredentials.initCa(dir, name, Duration.ofDays(days));
      } catch (IllegalArgumentException e) {
        throw new ConfigFiles.BadFileException(e.getMessage());
      }
      spec.commandLine()
          .getOut()
          .println(
              "cluster CA made: "
                  + dir.resolve(ClusterCredentials.CA_CERT)
                  + " (give it to every node as cluster.tls.trustFile) and "
                  + dir.resolve(ClusterCredentials.CA_KEY)
                  + " (owner-only; keep it off the nodes). Next: cluster-ca issue "
                  + dir
                  + " --host HOST --out DIR");
      return 0;
    }
  }

  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description = {
        "Issues a node certificate from the CA in CA_DIR, never overwriting a file.",
        "It writes "
            + ClusterCredentials.NODE_CERT
            + ", "
            + ClusterCredentials.NODE_KEY
            + " (owner-only) and "
            + ClusterCredentials.TRUST
            + " (the CA's",
        "certificate) into --out: copy that directory to the node and name the three files in",
        "its config's cluster.tls."
      })
  static final class Issue implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CA_DIR", description = "the CA made by cluster-ca init")
    Path caDir;

    @Option(
        names = "--host",
        required = true,
        paramLabel = "HOST",
        description =
            "the node's IPv4 address or DNS name, written in the certificate; repeat for several")
    List<String> hosts;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "where the node's files are written (created owner-only)")
    Path out;

    @Option(
        names = "--days",
        defaultValue = "365",
        paramLabel = "N",
        description =
            "how long the certificate is valid (default: ${DEFAULT-VALUE}; at most the CA's)")
    int days;

    @Override
    public Integer call() throws Exception {
      if (days < 1) {
        throw new ConfigFiles.BadFileException("--days: at least 1, not " + days);
      }
      ClusterCredentials.Issued node;
      try {
        node = ClusterCredentials.issueInto(caDir, hosts, Duration.ofDays(days), out);
      } catch (ClusterTls.RefusedException e) {
        throw new ConfigFiles.BadFileException(
            e.getMessage() + " (CA_DIR must hold what cluster-ca init made)");
      } catch (IllegalArgumentException e) {
        throw new ConfigFiles.BadFileException(e.getMessage());
      }
      spec.commandLine()
          .getOut()
          .println(
              "node certificate for "
                  + String.join(", ", hosts)
                  + " (valid until "
                  + node.certificate().getNotAfter().toInstant()
                  + ") in "
                  + out
                  + "; its config:");
      spec.commandLine()
          .getOut()
          .println(
              "  \"cluster\": {\"host\": \""
                  + hosts.get(0)
                  + "\", \"port\": 5801, \"tls\": {\"certFile\": \""
                  + out.resolve(ClusterCredentials.NODE_CERT)
                  + "\", \"keyFile\": \""
                  + out.resolve(ClusterCredentials.NODE_KEY)
                  + "\", \"trustFile\": \""
                  + out.resolve(ClusterCredentials.TRUST)
                  + "\"}}");
      return 0;
    }
  }
}
