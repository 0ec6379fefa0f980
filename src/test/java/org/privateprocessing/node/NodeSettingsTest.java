package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.core.ConfigBinder;
import org.privateprocessing.core.ConfigException;

/** A whole node config: every section bound, the misuse cases of issue 15 refused clearly. */
class NodeSettingsTest {
  private static JsonObject conf(String json) {
    return new JsonObject(json);
  }

  private static List<Path> shippedConfigs() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("conf"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  @Test
  @DisplayName("every config the project ships, and the empty one, binds")
  void shippedConfigsBind() throws IOException {
    assertThat(shippedConfigs()).hasSizeGreaterThanOrEqualTo(6);
    for (Path p : shippedConfigs()) {
      NodeSettings s = NodeSettings.parse(new JsonObject(Files.readString(p)));
      assertThat(s.http()).as(p.toString()).isNotNull();
    }
    NodeSettings empty = NodeSettings.parse(new JsonObject());
    // The defaults, with the durable key directories in the data directory.
    assertThat(empty.gateway())
        .isEqualTo(
            org.privateprocessing.gateway.GatewayOptions.DEFAULTS.withDefaultKeyDir(
                Path.of("run", "gateway-keys")));
    assertThat(empty.issuer().keyPath()).isEqualTo(Path.of("run", "issuer-keys"));
    assertThat(empty.attestation().simulatedRootDir()).isEqualTo(Path.of("run", "simulated-root"));
    assertThat(empty.dataDir()).isEqualTo("run");
    assertThat(empty.log().dataDir()).isEqualTo(Path.of("run", "log"));
  }

  @Test
  @DisplayName("\"port\": \"abc\" names the key, the type expected and the value, not a Java class")
  void portNotANumber() {
    assertThatThrownBy(() -> NodeSettings.parse(conf("{\"gateway\":{\"port\":\"abc\"}}")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("gateway.port: expected an integer (0..65535), got \"abc\"")
        .hasMessageNotContaining("ClassCast");
    assertThatThrownBy(() -> NodeSettings.parse(conf("{\"relay\":{\"timeout\":15000}}")))
        .hasMessageStartingWith("relay.timeout: expected a duration (e.g. 1500ms, 30s, 5m or 1h)");
  }

  @Test
  @DisplayName("a typo'd key is refused, in a section and at the top level, never ignored")
  void typos() {
    assertThatThrownBy(() -> NodeSettings.parse(conf("{\"gateway\":{\"prot\":8081}}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("gateway.prot: unknown key 'prot' (did you mean port?)");
    assertThatThrownBy(() -> NodeSettings.parse(conf("{\"gatway\":{\"port\":8081}}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("gatway: unknown top-level key 'gatway'")
        .hasMessageContaining("gateway");
    assertThatThrownBy(
            () ->
                NodeSettings.parse(conf("{\"issuer\":{\"failedAuthentications\":{\"burst\":3}}}")))
        .hasMessageStartingWith("issuer.failedAuthentications.burst: unknown key");
    assertThatThrownBy(() -> NodeSettings.parse(conf("{\"transparency\":{\"url\":\"x\"}}")))
        .hasMessageStartingWith("transparency.url: unknown key");
    assertThatThrownBy(() -> NodeSettings.parse(conf("{\"gateway\": 5}")))
        .hasMessageStartingWith("gateway: expected an object");
  }

  @Test
  @DisplayName("a section's own checks are keyed too: an account's hash, a token type, the profile")
  void sectionChecks() {
    assertThatThrownBy(
            () ->
                NodeSettings.parse(
                    conf(
                        "{\"issuer\":{\"accounts\":[{\"id\":\"a\",\"credentialSha256\":\"xyz\"}]}}")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("issuer.accounts[0].credentialSha256: 64 lower-case hex digits");
    assertThatThrownBy(() -> NodeSettings.parse(conf("{\"issuer\":{\"tokenTypes\":[3]}}")))
        .hasMessageStartingWith("issuer.tokenTypes: 3 is not supported");
    assertThatThrownBy(() -> NodeSettings.parse(conf("{\"profile\":\"staging\"}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("profile: 'staging' is not demo, dev or production");
  }

  @Test
  @DisplayName("durations read the same in the older numeric keys and as written now")
  void olderDurationKeys() {
    NodeSettings old =
        NodeSettings.parse(
            conf(
                """
                {"relay": {"timeoutMs": 15000, "connectTimeoutMs": 2000},
                 "gateway": {"enclaveTimeoutMs": 10000, "issuerKeyMaxAgeSeconds": 108000},
                 "issuer": {"windowSeconds": 3600, "keyLifetimeSeconds": 86400, "keyGraceSeconds": 21600},
                 "enclave": {"heartbeatMs": 500, "ttlMs": 2000, "keyRotationSeconds": 600},
                 "attestation": {"evidenceRefreshSeconds": 30},
                 "http": {"idleTimeoutMs": 90000}}"""));
    NodeSettings now =
        NodeSettings.parse(
            conf(
                """
                {"relay": {"timeout": "15s", "connectTimeout": "2s"},
                 "gateway": {"enclaveTimeout": "10s", "issuerKeyMaxAge": "30h"},
                 "issuer": {"window": "1h", "keyLifetime": "24h", "keyGrace": "6h"},
                 "enclave": {"heartbeat": "500ms", "ttl": "2s", "keyRotation": "10m"},
                 "attestation": {"evidenceRefresh": "30s"},
                 "http": {"idleTimeout": "90s"}}"""));
    assertThat(old).isEqualTo(now);
    assertThat(now.enclave().heartbeatMs()).isEqualTo(500);
    assertThat(now.http().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> NodeSettings.parse(conf("{\"enclave\":{\"keyRotation\":\"1500ms\"}}")))
        .hasMessageContaining("whole seconds");
  }

  @Test
  @DisplayName("PP_<SECTION>_<KEY> overrides a key, typed; a typo'd variable is refused")
  void environment() {
    NodeSettings.Effective e =
        NodeSettings.withEnvironment(
            conf("{\"gateway\":{\"port\":8081}}"),
            Map.of(
                "PP_GATEWAY_PORT", "9001",
                "PP_RELAY_GATEWAY_URLS", "http://127.0.0.1:9001,http://127.0.0.1:9002",
                "PP_ISSUER_FAILED_AUTHENTICATIONS_PER_SOURCE", "3",
                "PP_DATA_DIR", "/tmp/pp-data",
                "PP_LOG_LEVEL", "debug"));
    NodeSettings s = NodeSettings.parse(e.conf());
    assertThat(s.gateway().port()).isEqualTo(9001);
    assertThat(s.relay().gatewayUrls())
        .containsExactly("http://127.0.0.1:9001", "http://127.0.0.1:9002");
    assertThat(s.issuer().failedAuthentications().perSourceBurst()).isEqualTo(3);
    assertThat(s.log().dataDir()).isEqualTo(Path.of("/tmp/pp-data", "log"));
    assertThat(e.origins()).containsEntry("gateway.port", "PP_GATEWAY_PORT");
    assertThatThrownBy(
            () -> NodeSettings.withEnvironment(new JsonObject(), Map.of("PP_GATEWAY_PROT", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("PP_GATEWAY_PROT: no such setting (did you mean PP_GATEWAY_PORT?)");
  }

  @Test
  @DisplayName("the reference covers every section of NodeSettings and no key twice")
  void referenceCoversEverySection() {
    List<ConfigBinder.Setting> rows = NodeSettings.reference();
    for (RecordComponent c : NodeSettings.class.getRecordComponents()) {
      assertThat(rows)
          .as(c.getName())
          .anyMatch(r -> r.key().equals(c.getName()) || r.key().startsWith(c.getName() + "."));
    }
    assertThat(rows.stream().map(ConfigBinder.Setting::key).distinct().count())
        .isEqualTo(rows.size());
    assertThat(rows.stream().map(ConfigBinder.Setting::env).distinct().count())
        .isEqualTo(rows.size());
  }

  @Test
  @DisplayName(
      "serve --role relay with the default config starts: the relay needs no publisher key")
  void relayNeedsNoPublisherKey() throws Exception {
    JsonObject all = new JsonObject(Files.readString(Path.of("conf", "all-in-one.json")));
    assertThat(all.getJsonObject("transparency")).as("the default config names a log").isNotNull();
    all.getJsonObject("relay").put("port", 0);
    Vertx vertx = Vertx.vertx();
    try {
      Node.Running relay = PrivatePathTest.await(Node.start(vertx, Role.RELAY, all));
      assertThat(relay.relayPort()).isPositive();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  @Test
  @DisplayName(
      "the cluster section binds (loopback without TLS by default), from a file or PP_CLUSTER_* variables")
  void clusterSection() {
    assertThat(NodeSettings.parse(new JsonObject()).cluster()).isEqualTo(ClusterOptions.DEFAULTS);
    assertThat(ClusterOptions.DEFAULTS.publicHost()).isEqualTo("127.0.0.1");
    assertThat(ClusterOptions.DEFAULTS.tls().enabled()).isFalse();
    ClusterOptions c =
        NodeSettings.parse(
                conf(
                    "{\"cluster\":{\"host\":\"10.0.0.5\",\"port\":5801,\"tls\":{"
                        + "\"certFile\":\"c.pem\",\"keyFile\":\"k.pem\",\"trustFile\":\"t.pem\"}}}"))
            .cluster();
    assertThat(c.host()).isEqualTo("10.0.0.5");
    assertThat(c.publicHost()).as("derived from host").isEqualTo("10.0.0.5");
    assertThat(c.port()).isEqualTo(5801);
    assertThat(c.tls().enabled()).isTrue();
    assertThat(c.tls().keyFile()).isEqualTo(java.nio.file.Path.of("k.pem"));

    JsonObject fromEnv =
        NodeSettings.withEnvironment(
                new JsonObject(),
                java.util.Map.of(
                    "PP_CLUSTER_HOST", "10.0.0.6", "PP_CLUSTER_TLS_TRUST_FILE", "/etc/pp/ca.pem"))
            .conf();
    assertThat(fromEnv.getJsonObject("cluster").getString("host")).isEqualTo("10.0.0.6");
    assertThat(fromEnv.getJsonObject("cluster").getJsonObject("tls").getString("trustFile"))
        .isEqualTo("/etc/pp/ca.pem");

    assertThatThrownBy(
            () -> NodeSettings.parse(conf("{\"cluster\":{\"tls\":{\"keyFile\":\"k.pem\"}}}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.tls: certFile, keyFile and trustFile go together")
        .hasMessageContaining("cluster-ca init");
    assertThatThrownBy(() -> NodeSettings.parse(conf("{\"cluster\":{\"port\":70000}}")))
        .hasMessageStartingWith("cluster.port: expected an integer (0..65535)");
    assertThatThrownBy(() -> NodeSettings.parse(conf("{\"cluster\":{\"tls\":{\"caFile\":\"x\"}}}")))
        .hasMessageStartingWith("cluster.tls.caFile: unknown key");
  }
}
