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
}
