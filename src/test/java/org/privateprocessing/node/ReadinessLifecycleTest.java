package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows what a role depends on, for real: an issuer in its own node publishes to a log
 * in another; stopping the log makes the issuer's node not ready (503, the failing check named),
 * starting it again makes it ready. Liveness stays up throughout.
 */
class ReadinessLifecycleTest {
  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static JsonObject logConf(Path dataDir, int port) {
    return new JsonObject()
        .put("profile", "demo")
        .put("dataDir", dataDir.toString())
        .put("log", new JsonObject().put("port", port))
        .put("admin", new JsonObject().put("enabled", false));
  }

  @Test
  @DisplayName(
      "an issuer whose log stops is not ready (503 naming 'issuer/log reachable'), and ready again"
          + " when the log is back")
  void followsTheLog() throws Exception {
    Path logData = Files.createTempDirectory("pp-ready-log");
    int logPort = freePort();
    Vertx logVertx = Vertx.vertx();
    await(Node.start(logVertx, Role.LOG, logConf(logData, logPort)));

    JsonObject issuerConf =
        new JsonObject()
            .put("profile", "demo")
            .put("dataDir", Files.createTempDirectory("pp-ready-issuer").toString())
            .put("issuer", new JsonObject().put("port", 0))
            .put("admin", new JsonObject().put("port", 0))
            .put(
                "transparency",
                new JsonObject()
                    .put("logUrl", "http://127.0.0.1:" + logPort)
                    .put(
                        "publisherKeyFile",
                        logData.resolve("log").resolve("publisher.skey").toString()));
    Vertx issuerVertx = Node.vertx(issuerConf);
    try {
      Node.Running issuer = await(Node.serve(issuerVertx, Role.ISSUER, issuerConf));
      WebClient http = WebClient.create(issuerVertx);

      HttpResponse<Buffer> ready = get(http, issuer, "/health/ready");
      assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
      assertThat(ids(ready))
          .containsExactly(
              "node/roles started", "issuer/issuer keys loaded", "issuer/log reachable");

      // The log stops: the issuer's node is live but not ready, and says which check failed.
      await(logVertx.close());
      HttpResponse<Buffer> down = get(http, issuer, "/health/ready");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.getHeader("content-type")).isEqualTo("application/json");
      JsonObject body = down.bodyAsJsonObject();
      assertThat(body.getString("status")).isEqualTo("DOWN");
      JsonObject failed = check(body, "issuer/log reachable");
      assertThat(failed.getString("status")).isEqualTo("DOWN");
      assertThat(failed.getString("reason"))
          .startsWith("the transparency log at http://127.0.0.1:" + logPort + " does not answer")
          .endsWith("is it running?")
          .doesNotContain("\tat ");
      assertThat(check(body, "issuer/issuer keys loaded").getString("status")).isEqualTo("UP");
      assertThat(get(http, issuer, "/health/live").statusCode()).isEqualTo(200);

      // The log is back, from the same data on the same port: ready again.
      logVertx = Vertx.vertx();
      await(Node.start(logVertx, Role.LOG, logConf(logData, logPort)));
      HttpResponse<Buffer> back = get(http, issuer, "/health/ready");
      assertThat(back.statusCode()).as(back.bodyAsString()).isEqualTo(200);
    } finally {
      await(issuerVertx.close());
      await(logVertx.close());
    }
  }

  private static HttpResponse<Buffer> get(WebClient http, Node.Running node, String path)
      throws Exception {
    return await(http.get(node.adminPort(), "127.0.0.1", path).send());
  }

  private static java.util.List<String> ids(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonArray("checks").stream()
        .map(c -> ((JsonObject) c).getString("id"))
        .toList();
  }

  private static JsonObject check(JsonObject body, String id) {
    return body.getJsonArray("checks").stream()
        .map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id + " in " + body.encode()));
  }
}
