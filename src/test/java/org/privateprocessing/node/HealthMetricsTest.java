package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.core.NodeMetrics;
import org.privateprocessing.core.ProblemType;
import org.privateprocessing.enclave.EnclaveApiTest;
import org.privateprocessing.ohttp.EncapsulatedRequest;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;

/**
 * The admin listener of an all-in-one node, over real HTTP: live, ready with every role's checks,
 * metrics in the Prometheus text format that count what the pipeline did, and no label value that a
 * request could choose. Started as {@code serve} starts it ({@link Node#vertx}, {@link
 * Node#serve}), so Vert.x's own meters are on too.
 */
class HealthMetricsTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Content that must never reach the metrics, in any case. */
  private static final String CANARY =
      "CANARY" + UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);

  private static Vertx vertx;
  private static Node.Running node;
  private static WebClient http;

  @BeforeAll
  static void start() throws Exception {
    JsonObject conf = conf();
    vertx = Node.vertx(conf);
    node = await(Node.serve(vertx, Role.ALL, conf));
    http = WebClient.create(vertx);
  }

  private static JsonObject conf() throws Exception {
    return new JsonObject()
        .put("profile", "demo")
        .put("dataDir", Files.createTempDirectory("pp-health").toString())
        .put("attestation", new JsonObject().put("tlsPort", 0))
        .put("relay", new JsonObject().put("port", 0))
        .put("log", new JsonObject().put("port", 0))
        .put("gateway", new JsonObject().put("port", 0))
        .put("enclave", new JsonObject().put("id", "4ea17e0000000001"))
        .put("issuer", new JsonObject().put("port", 0))
        .put("admin", new JsonObject().put("port", 0));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> admin(HttpMethod method, String path) throws Exception {
    return await(http.request(method, node.adminPort(), "127.0.0.1", path).send());
  }

  private static String metrics() throws Exception {
    HttpResponse<Buffer> r = admin(HttpMethod.GET, "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).startsWith("text/plain");
    return r.bodyAsString();
  }

  @Test
  @DisplayName("live answers UP; ready answers 200 with the checks of every role the node runs")
  void liveAndReady() throws Exception {
    HttpResponse<Buffer> live = admin(HttpMethod.GET, "/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));

    HttpResponse<Buffer> ready = admin(HttpMethod.GET, "/health/ready");
    assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    assertThat(ready.getHeader("content-type")).isEqualTo("application/json");
    JsonObject body = ready.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("UP");
    List<String> ids = new ArrayList<>();
    for (Object c : body.getJsonArray("checks")) {
      JsonObject check = (JsonObject) c;
      assertThat(check.getString("status")).as(check.encode()).isEqualTo("UP");
      ids.add(check.getString("id"));
    }
    assertThat(ids)
        .containsExactlyInAnyOrder(
            "node/roles started",
            "log/log store writable",
            "issuer/issuer keys loaded",
            "issuer/log reachable",
            "enclave/enclave attested",
            "enclave/enclave announced",
            "enclave/spent-token store reachable",
            "gateway/issuer keys loaded",
            "gateway/enclave available",
            "gateway/spent-token store reachable",
            "gateway/log reachable");
  }

  @Test
  @DisplayName(
      "bad input on the admin listener (unknown path, wrong method, a broken escape) is a problem")
  void badInputIsAProblem() throws Exception {
    HttpResponse<Buffer> unknown = admin(HttpMethod.GET, "/health/nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(Problem.parse(unknown.body().getBytes()).detail())
        .contains("GET /health/live, GET /health/ready and GET /metrics");

    HttpResponse<Buffer> post = admin(HttpMethod.POST, "/metrics");
    assertThat(post.statusCode()).isIn(404, 405);
    assertThat(post.getHeader("content-type")).isEqualTo(Problem.MEDIA_TYPE);

    String raw = raw(node.adminPort(), "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(raw).startsWith("HTTP/1.1 400").contains(Problem.MEDIA_TYPE);

    // Still serving.
    assertThat(admin(HttpMethod.GET, "/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "metrics count requests per stage and problem type, tokens, latency, in-flight, log size and"
          + " evidence age; no label value comes from a request's content, token, account or IP")
  void metricsCountWithoutCanaries() throws Exception {
    sendCanaries();
    // Ends once the answers are sent; the counters are then already incremented.
    String text = metrics();

    assertThat(text)
        .as("no canary in the metrics")
        .doesNotContainIgnoringCase(CANARY)
        .doesNotContainIgnoringCase(Base64.getEncoder().encodeToString(canaryBytes()))
        .as("no address in the metrics")
        .doesNotContain("127.0.0.1")
        .doesNotContain("localhost");

    // What the pipeline did, counted by stage, outcome and problem type.
    assertThat(count(text, "pp_tokens_total", "outcome", "issued")).isGreaterThanOrEqualTo(1);
    assertThat(count(text, "pp_tokens_total", "outcome", "redeemed")).isGreaterThanOrEqualTo(1);
    assertThat(count(text, "pp_tokens_total", "outcome", "refused")).isGreaterThanOrEqualTo(1);
    assertThat(sample(text, "pp_requests_total{outcome=\"ok\",problem=\"none\",stage=\"relay\"}"))
        .isPresent();
    assertThat(
            sample(
                text,
                "pp_requests_total{outcome=\"refused\",problem=\"unknown-enclave\",stage=\"gateway\"}"))
        .as("a problem sealed into a 200 is counted under its type")
        .isPresent();
    assertThat(
            sample(
                text,
                "pp_requests_total{outcome=\"refused\",problem=\"unauthorized\",stage=\"issuer\"}"))
        .isPresent();
    assertThat(
            sample(
                text,
                "pp_requests_total{outcome=\"refused\",problem=\"no-such-endpoint\",stage=\"log\"}"))
        .isPresent();
    assertThat(
            sample(
                text, "pp_requests_total{outcome=\"answered\",problem=\"none\",stage=\"enclave\"}"))
        .isPresent();
    assertThat(text)
        .contains("pp_request_duration_seconds_bucket{outcome=\"ok\",stage=\"relay\",le=\"0.1\"}")
        .contains("pp_requests_in_flight{stage=\"gateway\"}")
        .contains("pp_limiter_in_flight{stage=\"enclave\"}")
        .contains("pp_gateway_enclaves_live 1.0")
        .contains("pp_gateway_announcements_rejected_total")
        .contains("pp_enclave_evidence_age_seconds")
        .as("Vert.x's own meters, labelled by status code only")
        .contains("vertx_http_server_requests_total{code=\"200\"}")
        .contains("jvm_memory_used_bytes");
    assertThat(sample(text, "pp_log_entries")).hasValueSatisfying(v -> assertThat(v).isPositive());

    assertLabelsFromClosedSets(text);
  }

  /**
   * Every label of every sample: its name from a fixed list (no method, path, route, address), and
   * for the project's meters, its value from the closed sets of {@link NodeMetrics}.
   */
  private static void assertLabelsFromClosedSets(String text) {
    Set<String> stages =
        Stream.of(NodeMetrics.Stage.values())
            .map(NodeMetrics.Stage::label)
            .collect(Collectors.toSet());
    Set<String> outcomes = new HashSet<>();
    Stream.of(NodeMetrics.Outcome.values()).map(NodeMetrics.Outcome::label).forEach(outcomes::add);
    Stream.of(NodeMetrics.TokenOutcome.values())
        .map(NodeMetrics.TokenOutcome::label)
        .forEach(outcomes::add);
    Set<String> problems = new HashSet<>(Set.of("none", "other"));
    Stream.of(ProblemType.values()).map(ProblemType::slug).forEach(problems::add);
    Set<String> forbiddenNames =
        Set.of("method", "path", "route", "remote", "local", "address", "uri", "account");
    Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{(.*)\\} ", Pattern.MULTILINE);
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    int checked = 0;
    Matcher m = sample.matcher(text);
    while (m.find()) {
      String metric = m.group(1);
      Matcher l = label.matcher(m.group(2));
      while (l.find()) {
        String name = l.group(1);
        String value = l.group(2);
        assertThat(forbiddenNames).as("label %s of %s", name, metric).doesNotContain(name);
        if (metric.startsWith("pp_")) {
          checked++;
          switch (name) {
            case "stage" -> assertThat(stages).as(metric).contains(value);
            case "outcome" -> assertThat(outcomes).as(metric).contains(value);
            case "problem" -> assertThat(problems).as(metric).contains(value);
            case "le" -> assertThat(value).as(metric).matches("[0-9.E+-]+|\\+Inf");
            default -> throw new AssertionError("unexpected label " + name + " on " + metric);
          }
        }
      }
    }
    assertThat(checked).as("labels of the project's meters checked").isGreaterThan(50);
  }

  /** The value of the sample with exactly this name and label set. */
  private static java.util.Optional<Double> sample(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return java.util.Optional.of(Double.parseDouble(line.substring(series.length() + 1)));
      }
    }
    return java.util.Optional.empty();
  }

  /** The sum of the samples of {@code metric} with {@code label="value"}. */
  private static double count(String text, String metric, String label, String value) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(metric + "{") && line.contains(label + "=\"" + value + "\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static byte[] canaryBytes() {
    return CANARY.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The canary everywhere a request can carry it: a private request's content, paths, queries,
   * header names and values, methods, bodies, a bearer credential (the account), a token, an
   * enclave id; on every listener, the admin one included.
   */
  private static void sendCanaries() throws Exception {
    // A real request through both layers, the canary in the chat, paid with a real token.
    try (PrivateProcessingClient client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay(node.relayUrl())
                .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                .withTrust(PrivatePathTest.trust(node)))) {
      SummarizeRequest chat =
          SummarizeRequest.parse(
              EnclaveApiTest.CHAT
                  .formatted(false)
                  .replace("Shall we", CANARY + " shall we")
                  .getBytes(StandardCharsets.UTF_8));
      assertThat(await(client.summarize(chat)).summary()).isNotBlank();
    }

    // Through the relay and gateway by hand: a made-up token, an enclave id that is the canary.
    String token =
        "PrivateToken token=\""
            + Base64.getUrlEncoder().encodeToString(fakeToken())
            + "\", canary=\""
            + CANARY
            + "\"";
    outer(ApiPathsHolder.enclave(node.enclaveId()), token);
    outer(ApiPathsHolder.enclave(CANARY.toLowerCase(Locale.ROOT)), token);

    // The issuer with the canary as the account's credential, and as the body.
    await(
        http.postAbs(node.issuerUrl() + "/token-request")
            .putHeader("authorization", "Bearer " + CANARY)
            .putHeader("content-type", org.privateprocessing.token.MediaTypes.TOKEN_REQUEST)
            .sendBuffer(Buffer.buffer(canaryBytes())));

    // Paths, queries, headers, methods and bodies on every listener.
    int[] ports = {
      node.relayPort(), node.gatewayPort(), node.issuerPort(), node.logPort(), node.adminPort()
    };
    for (int port : ports) {
      for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.valueOf(CANARY))) {
        await(
            http.request(method, port, "127.0.0.1", "/" + CANARY + "?" + CANARY + "=" + CANARY)
                .putHeader("x-" + CANARY, CANARY)
                .putHeader("user-agent", CANARY)
                .sendBuffer(Buffer.buffer(canaryBytes())));
      }
      await(
          http.request(HttpMethod.POST, port, "127.0.0.1", "/")
              .putHeader("content-type", CANARY + "/" + CANARY)
              .sendBuffer(Buffer.buffer(canaryBytes())));
      raw(port, "GET /" + CANARY + "%zz HTTP/1.1\r\nHost: " + CANARY + "\r\n\r\n");
    }
    await(
        http.getAbs(node.logUrl() + "/lookup?measurement=" + CANARY.toLowerCase(Locale.ROOT))
            .send());
  }

  /** A token-shaped value (type 2, the right length) whose bytes are the canary, repeated. */
  private static byte[] fakeToken() {
    byte[] token = new byte[2 + 32 + 32 + 32 + 256];
    token[1] = 2;
    byte[] c = canaryBytes();
    for (int i = 2; i < token.length; i++) {
      token[i] = c[i % c.length];
    }
    return token;
  }

  /** One request sealed to the gateway by hand and sent through the relay; the answer opened. */
  private static BinaryHttpResponse outer(String path, String authorization) throws Exception {
    HttpResponse<Buffer> keys =
        await(http.getAbs(node.relayUrl() + MediaTypes.WELL_KNOWN_GATEWAY_PATH).send());
    KeyConfig key = KeyConfigs.preferred(KeyConfigs.parse(keys.body().getBytes())).orElseThrow();
    byte[] bhttp =
        BinaryHttpRequest.of(
                "POST",
                "https",
                "gateway",
                path,
                List.of(
                    new Field("content-type", MediaTypes.OHTTP_REQUEST),
                    new Field("authorization", authorization),
                    new Field("x-canary", CANARY)),
                canaryBytes())
            .encode();
    EncapsulatedRequest sealed = RequestEncapsulator.encapsulate(key, bhttp, RANDOM);
    HttpResponse<Buffer> answer =
        await(
            http.postAbs(node.relayUrl() + "/")
                .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
                .sendBuffer(Buffer.buffer(sealed.bytes())));
    assertThat(answer.statusCode()).isEqualTo(200);
    return BinaryHttpResponse.parse(sealed.opener().open(answer.body().getBytes()));
  }

  /** The enclave API's paths, as the gateway routes them. */
  private static final class ApiPathsHolder {
    static String enclave(String id) {
      return org.privateprocessing.api.ApiPaths.ENCLAVE_PREFIX + id;
    }
  }

  /** Sends raw bytes and reads the answer until the server closes or 2 s pass. */
  static String raw(int port, String request) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(2_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder answer = new StringBuilder();
      byte[] buf = new byte[4096];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          answer.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
          if (answer.indexOf("\r\n\r\n") > 0 && answer.toString().contains("}")) {
            break;
          }
        }
      } catch (java.net.SocketTimeoutException enough) {
        // what came is the answer
      }
      return answer.toString();
    }
  }

  @Test
  @DisplayName(
      "a second node whose admin port is taken fails to start, naming the port and the fix")
  void portClashNamesThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      JsonObject conf = conf();
      conf.getJsonObject("admin").put("port", taken.getLocalPort());
      Vertx other = Vertx.vertx();
      try {
        assertThatThrownBy(() -> await(Node.serve(other, Role.RELAY, conf)))
            .hasRootCauseInstanceOf(IllegalStateException.class)
            .rootCause()
            .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
            .hasMessageContaining("set admin.port to a free port");
      } finally {
        await(other.close());
      }
    }
  }

  @Test
  @DisplayName("admin.enabled false runs no admin listener; a bad admin section fails first")
  void offAndInvalid() throws Exception {
    JsonObject off = conf();
    off.put("admin", new JsonObject().put("enabled", false));
    off.put("relay", new JsonObject().put("port", 0).put("gatewayUrl", "http://127.0.0.1:9"));
    Vertx other = Node.vertx(off);
    try {
      Node.Running relay = await(Node.serve(other, Role.RELAY, off));
      assertThat(relay.adminPort()).isEqualTo(-1);
      assertThat(relay.adminUrl()).isNull();
      assertThat(NodeMetrics.of(other)).isSameAs(NodeMetrics.NONE);
    } finally {
      await(other.close());
    }
    JsonObject bad = conf();
    bad.put("admin", new JsonObject().put("port", "abc"));
    assertThatThrownBy(() -> Node.vertx(bad))
        .hasMessage(
            "invalid configuration: admin.port: must be a whole number from 0 to 65535, not"
                + " \"abc\"");
    JsonObject notAnObject = conf().put("admin", "on");
    assertThatThrownBy(() -> await(Node.serve(vertx, Role.RELAY, notAnObject)))
        .cause()
        .hasMessage("invalid configuration: admin: must be an object such as {\"port\": 9090}");
  }
}
