package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryXmlConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loopback-only check of cluster configs; nothing here starts Hazelcast. */
class ClusterSetupTest {
  @TempDir Path dir;

  private static String shipped() throws IOException {
    try (var in = ClusterSetupTest.class.getResourceAsStream("/" + ClusterSetup.CLASSPATH_CONFIG)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Config parse(String xml) {
    return new InMemoryXmlConfig(xml);
  }

  private static void assertRefused(String xml, String why) {
    assertThatThrownBy(() -> ClusterSetup.check(parse(xml), "test.xml"))
        .isInstanceOf(ClusterSetup.UnsafeClusterConfigException.class)
        .hasMessageContaining("refusing cluster config test.xml")
        .hasMessageContaining(why);
  }

  @Test
  @DisplayName("the shipped config passes and gets bind-any and phone-home forced off")
  void shippedConfigPasses() throws Exception {
    Config config = ClusterSetup.load(null);
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1");
  }

  @Test
  @DisplayName("conf/cluster.xml and the classpath default say the same")
  void confFileMatchesTheClasspathDefault() throws Exception {
    assertThat(Files.readString(Path.of("conf", "cluster.xml"))).isEqualTo(shipped());
  }

  @Test
  @DisplayName("a config enabling multicast is refused")
  void multicastIsRefused() throws Exception {
    // Hazelcast itself refuses multicast beside tcp-ip, so the config that matters has tcp-ip off.
    assertRefused(
        shipped()
            .replace("<multicast enabled=\"false\"/>", "<multicast enabled=\"true\"/>")
            .replace("<tcp-ip enabled=\"true\">", "<tcp-ip enabled=\"false\">"),
        "multicast is enabled");
  }

  @Test
  @DisplayName("a non-loopback member, a host name or a member list with one outsider is refused")
  void nonLoopbackMembersAreRefused() throws Exception {
    assertRefused(
        shipped().replace("<member>127.0.0.1</member>", "<member>10.0.0.5</member>"), "10.0.0.5");
    assertRefused(
        shipped().replace("<member>127.0.0.1</member>", "<member>localhost</member>"), "localhost");
    assertRefused(
        shipped()
            .replace(
                "<member>127.0.0.1</member>",
                "<member>127.0.0.1</member><member>192.168.1.2:5701</member>"),
        "192.168.1.2");
  }

  @Test
  @DisplayName("a non-loopback or missing interface restriction is refused")
  void interfacesMustBeLoopback() throws Exception {
    assertRefused(
        shipped().replace("<interface>127.0.0.1</interface>", "<interface>10.*.*.*</interface>"),
        "10.*.*.*");
    assertRefused(
        shipped().replace("<interfaces enabled=\"true\">", "<interfaces enabled=\"false\">"),
        "interfaces");
  }

  @Test
  @DisplayName(
      "auto-detection, a missing tcp-ip join and a non-loopback public address are refused")
  void otherEscapesAreRefused() throws Exception {
    assertRefused(
        shipped()
            .replace("<auto-detection enabled=\"false\"/>", "<auto-detection enabled=\"true\"/>"),
        "auto-detection");
    assertRefused(
        shipped().replace("<tcp-ip enabled=\"true\">", "<tcp-ip enabled=\"false\">"), "tcp-ip");
    assertRefused(
        shipped().replace("<join>", "<public-address>203.0.113.7</public-address><join>"),
        "public-address");
  }

  @Test
  @DisplayName(
      "Hazelcast's own default (auto-detection) is refused, and so is a missing or unreadable file")
  void defaultsAndBadFilesAreRefused() throws Exception {
    assertThatThrownBy(() -> ClusterSetup.check(new Config(), "default"))
        .hasMessageContaining("auto-detection")
        .hasMessageContaining("interfaces");
    assertThatThrownBy(() -> ClusterSetup.load(dir.resolve("missing.xml")))
        .isInstanceOf(ClusterSetup.UnsafeClusterConfigException.class)
        .hasMessageContaining("not found");
    Path garbage = Files.writeString(dir.resolve("bad.xml"), "<hazelcast><network>");
    assertThatThrownBy(() -> ClusterSetup.load(garbage))
        .isInstanceOf(ClusterSetup.UnsafeClusterConfigException.class)
        .hasMessageContaining("could not be read");
    Path multicast =
        Files.writeString(
            dir.resolve("multicast.xml"),
            shipped()
                .replace("<multicast enabled=\"false\"/>", "<multicast enabled=\"true\"/>")
                .replace("<tcp-ip enabled=\"true\">", "<tcp-ip enabled=\"false\">"));
    assertThatThrownBy(() -> ClusterSetup.load(multicast)).hasMessageContaining("multicast");
  }

  // --- across hosts: accepted only with the event bus over mutual TLS ---

  private static final ClusterOptions WITH_TLS =
      new ClusterOptions(
          "10.0.0.5",
          null,
          5801,
          new ClusterOptions.Tls(Path.of("c.pem"), Path.of("k.pem"), Path.of("t.pem")));

  private static String acrossHosts() throws IOException {
    return shipped()
        .replace(
            "<member>127.0.0.1</member>",
            "<member>10.0.0.5</member><member>10.0.0.6:5701</member><member>node-c.internal</member>")
        .replace("<interface>127.0.0.1</interface>", "<interface>10.0.0.*</interface>")
        .replace("<join>", "<public-address>10.0.0.5</public-address><join>");
  }

  @Test
  @DisplayName(
      "members, interfaces and a public address on other hosts are accepted with cluster.tls set")
  void acrossHostsWithTlsIsAccepted() throws Exception {
    Config config = parse(acrossHosts());
    ClusterSetup.check(config, "test.xml", WITH_TLS);
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
  }

  @Test
  @DisplayName(
      "the same config without cluster.tls is refused, each address named with the fix (set cluster.tls)")
  void acrossHostsWithoutTlsIsRefused() throws Exception {
    assertThatThrownBy(
            () -> ClusterSetup.check(parse(acrossHosts()), "test.xml", ClusterOptions.DEFAULTS))
        .isInstanceOf(ClusterSetup.UnsafeClusterConfigException.class)
        .hasMessageContainingAll(
            "refusing cluster config test.xml",
            "without TLS",
            "member '10.0.0.5'",
            "member '10.0.0.6:5701'",
            "member 'node-c.internal'",
            "interface '10.0.0.*'",
            "public-address '10.0.0.5'",
            "set cluster.tls");
    // The event bus's own address counts too, though Hazelcast's config is all loopback.
    ClusterOptions busElsewhere =
        new ClusterOptions("10.0.0.5", null, 0, ClusterOptions.Tls.DEFAULTS);
    assertThatThrownBy(() -> ClusterSetup.check(parse(shipped()), "test.xml", busElsewhere))
        .hasMessageContaining("cluster.host '10.0.0.5' is not loopback")
        .hasMessageContaining("set cluster.tls");
    ClusterOptions publicElsewhere =
        new ClusterOptions("127.0.0.1", "203.0.113.9", 0, ClusterOptions.Tls.DEFAULTS);
    assertThatThrownBy(() -> ClusterSetup.check(parse(shipped()), "test.xml", publicElsewhere))
        .hasMessageContaining("cluster.publicHost '203.0.113.9'");
  }

  @Test
  @DisplayName(
      "with TLS, multicast, auto-detection, wildcard addresses and Hazelcast's address properties stay checked")
  void tlsDoesNotOpenEverything() throws Exception {
    assertRefusedWithTls(
        acrossHosts()
            .replace("<multicast enabled=\"false\"/>", "<multicast enabled=\"true\"/>")
            .replace("<tcp-ip enabled=\"true\">", "<tcp-ip enabled=\"false\">"),
        "multicast is enabled");
    assertRefusedWithTls(
        acrossHosts()
            .replace("<auto-detection enabled=\"false\"/>", "<auto-detection enabled=\"true\"/>"),
        "auto-detection");
    assertRefusedWithTls(
        acrossHosts().replace("<interface>10.0.0.*</interface>", "<interface>*.*.*.*</interface>"),
        "interface '*.*.*.*'");
    assertRefusedWithTls(
        acrossHosts().replace("<member>10.0.0.5</member>", "<member>0.0.0.0</member>"),
        "member '0.0.0.0'");
    assertRefusedWithTls(
        acrossHosts().replace("<member>10.0.0.5</member>", "<member>[fe80::1]</member>"),
        "member '[fe80::1]'");
    ClusterOptions wildcardBus = new ClusterOptions("0.0.0.0", null, 5801, WITH_TLS.tls());
    assertThatThrownBy(() -> ClusterSetup.check(parse(acrossHosts()), "test.xml", wildcardBus))
        .hasMessageContaining("cluster.host '0.0.0.0' is not one IPv4 address or host name");

    // Hazelcast's local-address properties bypass the interfaces: the same rule applies to them.
    String viaProperty =
        shipped()
            .replace(
                "<properties>",
                "<properties><property name=\"hazelcast.local.localAddress\">10.0.0.5</property>");
    assertRefused(viaProperty, "hazelcast.local.localAddress '10.0.0.5' is not loopback");
    ClusterSetup.check(parse(viaProperty), "test.xml", WITH_TLS);
    // ... and a loopback one (127.0.0.2 standing for a host in tests) passes without TLS.
    ClusterSetup.check(
        parse(viaProperty.replace(">10.0.0.5<", ">127.0.0.2<")),
        "test.xml",
        ClusterOptions.DEFAULTS);
  }

  @Test
  @DisplayName("a cluster section with TLS names its files and the check refuses a missing one")
  void prepareChecksTheTlsFiles() throws Exception {
    Path xml = Files.writeString(dir.resolve("across.xml"), acrossHosts());
    assertThatThrownBy(() -> ClusterSetup.prepare(xml, WITH_TLS))
        .isInstanceOf(ClusterSetup.UnsafeClusterConfigException.class)
        .hasMessageContaining("cluster.tls.keyFile k.pem does not exist")
        .hasMessageContaining("cluster-ca");
    assertThatThrownBy(() -> ClusterSetup.prepare(xml, ClusterOptions.DEFAULTS))
        .hasMessageContaining("set cluster.tls");
    ClusterSetup.Checked loopback = ClusterSetup.prepare(null, ClusterOptions.DEFAULTS);
    assertThat(loopback.tls()).isFalse();
    assertThat(loopback.eventBus().isSsl()).isFalse();
    assertThat(loopback.eventBus().getHost()).isEqualTo("127.0.0.1");
    assertThat(loopback.eventBus().getClusterPublicHost()).isEqualTo("127.0.0.1");
  }

  private static void assertRefusedWithTls(String xml, String why) {
    assertThatThrownBy(() -> ClusterSetup.check(parse(xml), "test.xml", WITH_TLS))
        .isInstanceOf(ClusterSetup.UnsafeClusterConfigException.class)
        .hasMessageContaining("refusing cluster config test.xml")
        .hasMessageContaining(why);
  }
}
