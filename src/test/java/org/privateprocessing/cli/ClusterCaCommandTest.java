package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.node.ClusterCredentials;
import org.privateprocessing.node.ClusterOptions;
import org.privateprocessing.node.ClusterTls;
import picocli.CommandLine;

/**
 * {@code cluster-ca init} and {@code issue}, and {@code serve --cluster} refusing bad cluster TLS
 * settings before anything starts (exit 2, the file and the fix named).
 */
class ClusterCaCommandTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    return cli.execute(args);
  }

  /** {@code cluster-ca issue CA --host HOST --out OUT}, its exit code. */
  private int issue(Path ca, String host, Path out) {
    return run(ClusterCaFixture.issueArgs(ca, List.of(host), out));
  }

  @Test
  @DisplayName("init then issue make credentials a node loads: owner-only keys, a config to paste")
  void initAndIssue() throws Exception {
    Path ca = dir.resolve("ca");
    Path node = dir.resolve("node-a");
    assertThat(run("cluster-ca", "init", ca.toString())).isZero();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(ca.resolve(ClusterCredentials.CA_KEY))))
        .isEqualTo("rw-------");
    assertThat(
            run(
                ClusterCaFixture.issueArgs(
                    ca, List.of("10.0.0.5", "node-a.internal"), node, "--days", "30")))
        .as(err.toString())
        .isZero();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(node.resolve(ClusterCredentials.NODE_KEY))))
        .isEqualTo("rw-------");
    assertThat(out.toString())
        .contains("\"cluster\"", "\"host\": \"10.0.0.5\"", "certFile", "keyFile", "trustFile");
    ClusterTls tls =
        ClusterTls.load(
            new ClusterOptions.Tls(
                node.resolve(ClusterCredentials.NODE_CERT),
                node.resolve(ClusterCredentials.NODE_KEY),
                node.resolve(ClusterCredentials.TRUST)),
            Instant.now());
    assertThat(tls.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=10.0.0.5");
  }

  @Test
  @DisplayName(
      "a second init, a bad host, an existing --out, an exposed CA key: exit 2, nothing replaced")
  void refusals() throws Exception {
    Path ca = dir.resolve("ca");
    assertThat(run("cluster-ca", "init", ca.toString())).isZero();
    String caKey = Files.readString(ca.resolve(ClusterCredentials.CA_KEY));

    assertThat(run("cluster-ca", "init", ca.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("already holds a cluster CA").doesNotContain("\tat ");
    assertThat(Files.readString(ca.resolve(ClusterCredentials.CA_KEY))).isEqualTo(caKey);

    Path out1 = dir.resolve("out1");
    assertThat(issue(ca, "bad host!", out1)).isEqualTo(2);
    assertThat(err.toString()).contains("--host bad host!");
    assertThat(out1).doesNotExist();

    assertThat(issue(ca, "10.0.0.5", out1)).isZero();
    String key = Files.readString(out1.resolve(ClusterCredentials.NODE_KEY));
    assertThat(issue(ca, "10.0.0.6", out1)).isEqualTo(2);
    assertThat(err.toString()).contains("already exists");
    assertThat(Files.readString(out1.resolve(ClusterCredentials.NODE_KEY))).isEqualTo(key);

    Files.setPosixFilePermissions(
        ca.resolve(ClusterCredentials.CA_KEY), PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(issue(ca, "10.0.0.7", dir.resolve("out2"))).isEqualTo(2);
    assertThat(err.toString()).contains("chmod 600 " + ca.resolve(ClusterCredentials.CA_KEY));

    assertThat(issue(dir.resolve("no-ca"), "10.0.0.7", dir.resolve("out3"))).isEqualTo(2);
    assertThat(err.toString()).contains("does not exist");
    assertThat(run("cluster-ca", "issue", ca.toString(), "--out", dir.resolve("o").toString()))
        .isEqualTo(2); // --host is required
  }

  @Test
  @DisplayName("--help teaches the steps and the config they lead to")
  void helpTeaches() {
    assertThat(run("cluster-ca", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "cluster-ca init", "cluster-ca issue", "--host", "\"trustFile\"", "OPERATIONS.md");
    assertThat(run("cluster-ca", "issue", "--help")).isZero();
    assertThat(out.toString()).contains("--host", "--out", "--days");
  }

  @Test
  @DisplayName(
      "serve --cluster refuses (exit 2) a non-loopback event bus without TLS, an exposed key, a foreign CA; no cluster starts")
  void serveRefusesBadClusterTls() throws Exception {
    Path ca = dir.resolve("ca");
    Path other = dir.resolve("other");
    Path node = dir.resolve("node");
    assertThat(run("cluster-ca", "init", ca.toString())).isZero();
    assertThat(run("cluster-ca", "init", other.toString())).isZero();
    assertThat(issue(ca, "127.0.0.1", node)).isZero();
    JsonObject tls = ClusterCaFixture.tlsSection(node);

    assertServeRefused(
        new JsonObject().put("host", "10.0.0.5"),
        "cluster.host '10.0.0.5' is not loopback",
        "set cluster.tls");

    assertServeRefused(
        new JsonObject()
            .put(
                "tls",
                tls.copy().put("trustFile", other.resolve(ClusterCredentials.CA_CERT).toString())),
        "cluster.tls.trustFile " + other.resolve(ClusterCredentials.CA_CERT),
        "holds no certificate that issued");

    Files.setPosixFilePermissions(
        node.resolve(ClusterCredentials.NODE_KEY), PosixFilePermissions.fromString("rw-rw-rw-"));
    assertServeRefused(
        new JsonObject().put("tls", tls), "chmod 600 " + node.resolve(ClusterCredentials.NODE_KEY));

    assertServeRefused(
        new JsonObject().put("tls", new JsonObject().put("certFile", "x.pem")),
        "cluster.tls: certFile, keyFile and trustFile go together");
  }

  @Test
  @DisplayName(
      "serve --cluster's check turns a valid cluster section into an event bus with mutual TLS")
  void serveAcceptsValidClusterTls() throws Exception {
    Path ca = dir.resolve("ca");
    Path node = dir.resolve("node");
    assertThat(run("cluster-ca", "init", ca.toString())).isZero();
    assertThat(issue(ca, "10.0.0.5", node)).isZero();
    JsonObject conf =
        new JsonObject()
            .put(
                "cluster",
                new JsonObject()
                    .put("host", "127.0.0.2")
                    .put("port", 5801)
                    .put("tls", ClusterCaFixture.tlsSection(node)));
    var checked = ServeCommand.checkedCluster(conf, null);
    assertThat(checked.tls()).isTrue();
    assertThat(checked.eventBus().isSsl()).isTrue();
    assertThat(checked.eventBus().getClientAuth())
        .isEqualTo(io.vertx.core.http.ClientAuth.REQUIRED);
    assertThat(checked.eventBus().getHost()).isEqualTo("127.0.0.2");
    assertThat(checked.eventBus().getPort()).isEqualTo(5801);
    // Without the section: the loopback default, no TLS.
    var plain = ServeCommand.checkedCluster(new JsonObject(), null);
    assertThat(plain.tls()).isFalse();
    assertThat(plain.eventBus().isSsl()).isFalse();
  }

  private void assertServeRefused(JsonObject cluster, String... says) throws Exception {
    Path conf =
        Files.writeString(
            dir.resolve("conf-" + System.nanoTime() + ".json"),
            new JsonObject()
                .put("profile", "demo")
                .put("dataDir", dir.resolve("data").toString())
                .put("cluster", cluster)
                .encode());
    err.getBuffer().setLength(0);
    assertThat(run("serve", "--role", "enclave", "--cluster", "--conf", conf.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains(says).doesNotContain("\tat ");
    // Nothing started: a node would have made its data directory first.
    assertThat(dir.resolve("data")).as("no node started").doesNotExist();
  }
}
