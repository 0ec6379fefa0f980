package org.privateprocessing.node;

import java.nio.file.Path;
import org.privateprocessing.core.ConfigBinder;

/**
 * The {@code "cluster"} section of a node config: where this node's event bus listens and, across
 * hosts, the mutual TLS its peers must pass. Read only with {@code serve --cluster}; Hazelcast's
 * own settings (its members, listed explicitly for a TCP-IP join) stay in its XML ({@code
 * --cluster-conf}).
 *
 * <pre>{@code
 * "cluster": {
 *   "host": "10.0.0.5", "port": 5801,
 *   "tls": {"certFile": "/etc/pp/cluster/node-cert.pem",
 *           "keyFile": "/etc/pp/cluster/node-key.pem",
 *           "trustFile": "/etc/pp/cluster/cluster-ca.pem"}
 * }
 * }</pre>
 *
 * <p>Loopback ({@code 127.0.0.1}, no TLS) is the default and needs no setup. An address outside
 * 127.0.0.0/8, here or in the Hazelcast XML, is accepted only with {@code tls} set ({@link
 * ClusterSetup#check(com.hazelcast.config.Config, String, ClusterOptions)}).
 *
 * @param host the address the event bus listens on
 * @param publicHost the address peers connect to, when it differs from {@code host} (NAT); by
 *     default {@code host}
 * @param port the event bus's port; 0 takes a free one (set a fixed one across hosts, so a firewall
 *     can allow exactly it)
 * @param tls the event bus's mutual TLS; off when none of its files is set
 */
public record ClusterOptions(
    String host,
    @ConfigBinder.Key(derived = true) String publicHost,
    @ConfigBinder.Key(min = 0, max = 65_535) int port,
    Tls tls) {

  /** Loopback, any free port, no TLS: the single-machine cluster of the demo and the tests. */
  public static final ClusterOptions DEFAULTS =
      new ClusterOptions(ClusterSetup.LOOPBACK, null, 0, Tls.DEFAULTS);

  public ClusterOptions {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("cluster.host: must be an IP address such as 127.0.0.1");
    }
    host = host.trim();
    publicHost = publicHost == null || publicHost.isBlank() ? host : publicHost.trim();
    if (tls == null) {
      tls = Tls.DEFAULTS;
    }
  }

  /**
   * The event bus's mutual TLS ({@code cluster.tls}): every node presents a certificate that the
   * others' trust file accepts, and accepts only peers that do the same.
   *
   * @param certFile this node's certificate (PEM), issued by the cluster CA ({@code cluster-ca
   *     issue}) or pinned by its peers
   * @param keyFile its private key (PEM, PKCS#8 {@code PRIVATE KEY}, EC P-256 or RSA), owner-only
   * @param trustFile the certificates this node accepts peers by (PEM): the cluster CA's, several
   *     during a CA rollover, or the pinned certificates of every peer
   */
  public record Tls(Path certFile, Path keyFile, Path trustFile) {
    /** No TLS. */
    public static final Tls DEFAULTS = new Tls(null, null, null);

    public Tls {
      int set =
          (certFile == null ? 0 : 1) + (keyFile == null ? 0 : 1) + (trustFile == null ? 0 : 1);
      if (set != 0 && set != 3) {
        throw new IllegalArgumentException(
            "cluster.tls: certFile, keyFile and trustFile go together (set all three, or none for"
                + " a loopback cluster without TLS); make them with: private-processing cluster-ca"
                + " init DIR, then cluster-ca issue DIR --host H --out OUTDIR");
      }
    }

    /** Whether the event bus runs over mutual TLS. */
    public boolean enabled() {
      return certFile != null;
    }
  }
}
