package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks of the event bus's TLS files ({@link ClusterTls}) and the credentials {@link
 * ClusterCredentials} makes; nothing here starts Vert.x or Hazelcast.
 */
class ClusterTlsFilesTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;
  private Instant now;
  private ClusterCredentials.Issued ca;
  private Path cert;
  private Path key;
  private Path trust;

  @BeforeEach
  void issue() throws Exception {
    now = Instant.now();
    ClusterCredentials.initCa(dir.resolve("ca"), "test CA", Duration.ofDays(30));
    ClusterCredentials.issueInto(
        dir.resolve("ca"),
        List.of("10.0.0.5", "node-a.internal"),
        Duration.ofDays(7),
        dir.resolve("a"));
    cert = dir.resolve("a").resolve(ClusterCredentials.NODE_CERT);
    key = dir.resolve("a").resolve(ClusterCredentials.NODE_KEY);
    trust = dir.resolve("a").resolve(ClusterCredentials.TRUST);
    ca =
        new ClusterCredentials.Issued(
            ClusterTls.readCertificates("ca", dir.resolve("ca").resolve(ClusterCredentials.CA_CERT))
                .get(0),
            ClusterTls.readPrivateKey("ca", dir.resolve("ca").resolve(ClusterCredentials.CA_KEY)));
  }

  private ClusterTls load(Path c, Path k, Path t) {
    return ClusterTls.load(new ClusterOptions.Tls(c, k, t), now);
  }

  private void assertRefused(Path c, Path k, Path t, String... says) {
    assertThatThrownBy(() -> load(c, k, t))
        .isInstanceOf(ClusterTls.RefusedException.class)
        .hasMessageStartingWith("refusing cluster TLS: ")
        .hasMessageEndingWith("nothing was started")
        .hasMessageContainingAll(says);
  }

  @Test
  @DisplayName(
      "issued files load: keys owner-only, the certificate names its hosts and serves both ends")
  void issuedCredentialsLoad() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(
                    dir.resolve("ca").resolve(ClusterCredentials.CA_KEY))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca"))))
        .isEqualTo("rwx------");
    ClusterTls tls = load(cert, key, trust);
    X509Certificate own = tls.certificate();
    assertThat(own.getSubjectX500Principal().getName()).isEqualTo("CN=10.0.0.5");
    assertThat(own.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))))
        .containsExactly("10.0.0.5", "node-a.internal");
    assertThat(own.getExtendedKeyUsage())
        .containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"); // server and client auth
    assertThat(own.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(own.getBasicConstraints()).isEqualTo(-1);
    assertThat(own.getNotAfter().toInstant()).isBefore(now.plus(Duration.ofDays(8)));

    EventBusOptions bus = tls.applyTo(new EventBusOptions());
    assertThat(bus.isSsl()).isTrue();
    assertThat(bus.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(bus.isTrustAll()).isFalse();
    assertThat(bus.getTrustOptions()).isNotNull();
    assertThat(bus.getKeyCertOptions()).isNotNull();
  }

  @Test
  @DisplayName("a missing, world-readable or group-readable key file is refused, naming the fix")
  void keyFilePermissions() throws Exception {
    assertRefused(cert, dir.resolve("nope.pem"), trust, "nope.pem", "does not exist", "cluster-ca");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertRefused(cert, key, trust, key.toString(), "rw-r--r--", "chmod 600 " + key);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    assertRefused(cert, key, trust, "chmod 600");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    assertThat(load(cert, key, trust)).isNotNull();
    Path link = Files.createSymbolicLink(dir.resolve("link.pem"), key);
    assertRefused(cert, link, trust, "not a regular file");
  }

  @Test
  @DisplayName("files of the wrong type are refused, each naming its key and file")
  void wrongTypes() throws Exception {
    Path certAsKey = Files.copy(cert, dir.resolve("cert-as-key.pem"));
    Files.setPosixFilePermissions(certAsKey, PosixFilePermissions.fromString("rw-------"));
    assertRefused(cert, certAsKey, trust, "cluster.tls.keyFile", "is not a PEM private key");
    assertRefused(key, key, trust, "cluster.tls.certFile", "holds no PEM certificate", "keyFile");
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello\n");
    assertRefused(cert, key, garbage, "cluster.tls.trustFile", "garbage.pem", "no PEM certificate");
    Path damaged =
        Files.writeString(
            dir.resolve("damaged.pem"),
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertRefused(damaged, key, trust, "damaged.pem", "damaged certificate");
    Path oldForm =
        Files.writeString(
            dir.resolve("old.pem"),
            Files.readString(key)
                .replace("BEGIN PRIVATE KEY", "BEGIN EC PRIVATE KEY")
                .replace("END PRIVATE KEY", "END EC PRIVATE KEY"));
    Files.setPosixFilePermissions(oldForm, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> load(cert, oldForm, trust))
        .isInstanceOf(ClusterTls.RefusedException.class)
        .hasMessageContaining("old.pem");
  }

  @Test
  @DisplayName(
      "a trust file whose CA did not issue the node's certificate, or a key of another node, is refused")
  void foreignCaAndMismatchedKey() throws Exception {
    ClusterCredentials.initCa(dir.resolve("other"), "another CA", Duration.ofDays(30));
    Path otherCa = dir.resolve("other").resolve(ClusterCredentials.CA_CERT);
    assertRefused(
        cert,
        key,
        otherCa,
        "cluster.tls.trustFile " + otherCa,
        "holds no certificate that issued",
        "CN=test CA");

    ClusterCredentials.issueInto(
        dir.resolve("ca"), List.of("10.0.0.6"), Duration.ofDays(7), dir.resolve("b"));
    Path otherKey = dir.resolve("b").resolve(ClusterCredentials.NODE_KEY);
    assertRefused(cert, otherKey, trust, "is not the certificate of the key", otherKey.toString());

    // A rollover trust file (old and new CA) accepts the certificates of either.
    Path both =
        Files.writeString(
            dir.resolve("both.pem"), Files.readString(otherCa) + Files.readString(trust));
    assertThat(load(cert, key, both)).isNotNull();
  }

  @Test
  @DisplayName("a pinned self-signed certificate is accepted as its own trust")
  void pinnedCertificate() throws Exception {
    ClusterCredentials.Issued self =
        ClusterCredentials.newCa("pinned-node", Duration.ofDays(3), now, RANDOM);
    Path c = Files.writeString(dir.resolve("self.pem"), self.certificatePem());
    Path k = dir.resolve("self-key.pem");
    ClusterCredentials.writeNew(k, self.keyPem(), true);
    ClusterCredentials.Issued peer =
        ClusterCredentials.newCa("pinned-peer", Duration.ofDays(3), now, RANDOM);
    Path pins =
        Files.writeString(dir.resolve("pins.pem"), peer.certificatePem() + self.certificatePem());
    assertThat(load(c, k, pins).certificate()).isEqualTo(self.certificate());
    Path onlyPeer = Files.writeString(dir.resolve("peer.pem"), peer.certificatePem());
    assertRefused(c, k, onlyPeer, "holds no certificate that issued");
  }

  @Test
  @DisplayName("an expired or not yet valid certificate is refused, saying when and what to do")
  void validity() throws Exception {
    ClusterCredentials.Issued old =
        ClusterCredentials.issue(
            ca, List.of("10.0.0.7"), Duration.ofDays(1), now.minus(Duration.ofDays(3)), RANDOM);
    Path c = Files.writeString(dir.resolve("old-cert.pem"), old.certificatePem());
    Path k = dir.resolve("old-key.pem");
    ClusterCredentials.writeNew(k, old.keyPem(), true);
    assertRefused(c, k, trust, "expired at", "issue a new one");
    ClusterCredentials.Issued future =
        ClusterCredentials.issue(
            ca, List.of("10.0.0.7"), Duration.ofDays(1), now.plus(Duration.ofDays(2)), RANDOM);
    Path fc = Files.writeString(dir.resolve("future-cert.pem"), future.certificatePem());
    Path fk = dir.resolve("future-key.pem");
    ClusterCredentials.writeNew(fk, future.keyPem(), true);
    assertRefused(fc, fk, trust, "not valid before", "clock");
  }

  @Test
  @DisplayName("bad hosts, an existing CA and existing node files are refused; nothing is replaced")
  void credentialsRefusals() throws Exception {
    assertThatThrownBy(
            () ->
                ClusterCredentials.issue(
                    ca, List.of("not a host!"), Duration.ofDays(1), now, RANDOM))
        .hasMessageContaining("--host not a host!");
    assertThatThrownBy(
            () ->
                ClusterCredentials.issue(ca, List.of("300.1.1.1"), Duration.ofDays(1), now, RANDOM))
        .hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(
            () -> ClusterCredentials.issue(ca, List.of(), Duration.ofDays(1), now, RANDOM))
        .hasMessageContaining("--host");
    String before = Files.readString(dir.resolve("ca").resolve(ClusterCredentials.CA_KEY));
    assertThatThrownBy(
            () -> ClusterCredentials.initCa(dir.resolve("ca"), "again", Duration.ofDays(1)))
        .hasMessageContaining("already holds a cluster CA");
    assertThat(Files.readString(dir.resolve("ca").resolve(ClusterCredentials.CA_KEY)))
        .isEqualTo(before);
    String keyBefore = Files.readString(key);
    assertThatThrownBy(
            () ->
                ClusterCredentials.issueInto(
                    dir.resolve("ca"), List.of("10.0.0.5"), Duration.ofDays(1), dir.resolve("a")))
        .hasMessageContaining("already exists");
    assertThat(Files.readString(key)).isEqualTo(keyBefore);
    // A node certificate never outlives its CA.
    ClusterCredentials.Issued longLived =
        ClusterCredentials.issue(ca, List.of("10.0.0.8"), Duration.ofDays(3650), now, RANDOM);
    assertThat(longLived.certificate().getNotAfter())
        .isBeforeOrEqualTo(ca.certificate().getNotAfter());
  }
}
