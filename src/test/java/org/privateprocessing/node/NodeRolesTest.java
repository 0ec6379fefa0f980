package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
}
