package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.gateway.GatewayOptions;

class NodeRolesTest {
  @Test
  @DisplayName("a gateway alone without a cluster is refused with a message that names --cluster")
  void splitGatewayNeedsACluster() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Future<Node.Running> started = Node.start(vertx, Role.GATEWAY, new JsonObject());
      Throwable cause = null;
      try {
        started.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        cause = e.getCause();
      }
      assertThat(cause)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--cluster");
    } finally {
      vertx.close();
    }
  }

  @Test
  @DisplayName("an old config's gateway.enclaves list is accepted and ignored")
  void oldEnclaveListIsIgnored() {
    GatewayOptions options =
        GatewayOptions.fromJson(
            new JsonObject().put("enclaves", new JsonArray().add("e1")).put("port", 0));
    assertThat(options.port()).isZero();
  }

  @Test
  @DisplayName(
      "each role alone reports only what it started: its own listener, -1 for the others' ports")
  void eachRoleAloneReportsOnlyItself() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject conf =
          DemoConf.allInOne().put("enclave", new JsonObject().put("id", "a10e000000000001"));

      Node.Running log = PrivatePathTest.await(Node.start(vertx, Role.LOG, conf));
      assertThat(log.logPort()).isPositive();
      assertThat(log.logKey()).isNotBlank();
      assertThat(List.of(log.relayPort(), log.gatewayPort(), log.issuerPort())).containsOnly(-1);
      assertThat(log.enclaveId()).isNull();

      Node.Running issuer = PrivatePathTest.await(Node.start(vertx, Role.ISSUER, conf));
      assertThat(issuer.issuerPort()).isPositive();
      assertThat(List.of(issuer.relayPort(), issuer.gatewayPort(), issuer.logPort()))
          .containsOnly(-1);
      assertThat(issuer.logKey()).isNull();

      Node.Running enclave = PrivatePathTest.await(Node.start(vertx, Role.ENCLAVE, conf));
      assertThat(enclave.enclaveId()).isEqualTo("a10e000000000001");
      assertThat(enclave.measurementHex()).matches("[0-9a-f]{96}");
      assertThat(List.of(enclave.relayPort(), enclave.gatewayPort(), enclave.issuerPort()))
          .containsOnly(-1);

      Node.Running relay = PrivatePathTest.await(Node.start(vertx, Role.RELAY, conf));
      assertThat(relay.relayPort()).isPositive();
      assertThat(List.of(relay.gatewayPort(), relay.issuerPort(), relay.logPort()))
          .containsOnly(-1);
      assertThat(relay.attestation()).isNull();
    } finally {
      PrivatePathTest.await(vertx.close());
    }
  }

  @Test
  @DisplayName(
      "a role alone with a bad transparency section fails before starting, naming the setting")
  void badTransparencySectionFailsTheStart() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject conf =
          new JsonObject()
              .put("issuer", new JsonObject().put("port", 0))
              .put("transparency", new JsonObject().put("logUrl", "http://127.0.0.1:9"));
      Throwable cause = null;
      try {
        PrivatePathTest.await(Node.start(vertx, Role.ISSUER, conf));
      } catch (ExecutionException e) {
        cause = e.getCause();
      }
      assertThat(cause)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "invalid configuration: transparency.publisherKeyFile: required outside the demo"
                  + " profile");
      // Nothing was deployed: the issuer did not start half-way.
      assertThat(vertx.deploymentIDs()).isEmpty();
    } finally {
      PrivatePathTest.await(vertx.close());
    }
  }
}
