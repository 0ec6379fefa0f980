package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.InMemorySpentTokens;
import org.privateprocessing.gateway.GatewayOptions;
import org.privateprocessing.gateway.GatewayRole;
import org.privateprocessing.issuer.IssuerKeys;
import org.privateprocessing.issuer.TestTokens;
import org.privateprocessing.ohttp.EncapsulatedRequest;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.relay.RelayOptions;
import org.privateprocessing.relay.RelayRole;
import org.privateprocessing.token.TokenTypes;

/**
 * Two real gateways on one key directory behind one relay: both serve the same key list, the relay
 * spreads requests over both (counted per gateway), and each opens what was sealed to the list
 * fetched through the relay.
 */
class GatewaySpreadTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Vertx vertx = Vertx.vertx();

  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    PrivatePathTest.await(vertx.close());
  }

  private GatewayRole.Started gateway(IssuerKeys keys, TestTokens.MutableClock clock)
      throws Exception {
    return gateway(keys, clock, "gateway-keys");
  }

  private GatewayRole.Started gateway(IssuerKeys keys, TestTokens.MutableClock clock, String keyDir)
      throws Exception {
    GatewayOptions options =
        GatewayOptions.fromJson(
            new JsonObject().put("port", 0).put("keyDir", dir.resolve(keyDir).toString()));
    return PrivatePathTest.await(
        GatewayRole.start(
            vertx, options, null, keys, null, null, clock, new InMemorySpentTokens(1_000, clock)));
  }

  private static TestTokens.MutableClock clockNow() {
    TestTokens.MutableClock clock = new TestTokens.MutableClock();
    clock.now = java.time.Instant.now();
    return clock;
  }

  /** A relay spreading requests over the gateways (or proxies) on these ports, in this order. */
  private RelayRole.Started relayOver(int... gatewayPorts) throws Exception {
    JsonArray urls = new JsonArray();
    for (int port : gatewayPorts) {
      urls.add("http://127.0.0.1:" + port);
    }
    return PrivatePathTest.await(
        RelayRole.start(
            vertx,
            RelayOptions.fromJson(new JsonObject().put("port", 0).put("gatewayUrls", urls))));
  }

  /** The key configs a listener on {@code port} serves at the well-known gateway path. */
  private static byte[] keyConfigs(WebClient http, int port) throws Exception {
    return PrivatePathTest.await(
            http.get(port, "127.0.0.1", MediaTypes.WELL_KNOWN_GATEWAY_PATH).send())
        .body()
        .getBytes();
  }

  /** {@code GET /v1/enclaves}, sealed to the gateway's {@code key}. */
  private static EncapsulatedRequest listingRequest(org.privateprocessing.ohttp.KeyConfig key)
      throws Exception {
    return RequestEncapsulator.encapsulate(
        key,
        BinaryHttpRequest.of("GET", "https", "gateway", "/v1/enclaves", List.of(), new byte[0])
            .encode(),
        RANDOM);
  }

  /** Posts a sealed request to the relay on {@code relayPort}. */
  private static HttpResponse<Buffer> post(
      WebClient http, int relayPort, EncapsulatedRequest sealed) throws Exception {
    return PrivatePathTest.await(
        http.post(relayPort, "127.0.0.1", MediaTypes.RELAY_REQUEST_PATH)
            .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
            .sendBuffer(Buffer.buffer(sealed.bytes())));
  }

  /** A pass-through in front of a gateway that counts the requests it forwards. */
  private int counting(int gatewayPort, AtomicInteger count) throws Exception {
    return RecordingProxy.start(
        vertx,
        gatewayPort,
        new RecordingProxy.Observer() {
          @Override
          public void request(io.vertx.core.http.HttpServerRequest request, Buffer body) {
            if (request.method() == io.vertx.core.http.HttpMethod.POST) {
              count.incrementAndGet();
            }
          }
        });
  }

  @Test
  @DisplayName(
      "a gateway with another key directory than its peers is flagged before the relay serves, and gets no request while they are up")
  void oddGatewayIsFlagged() throws Exception {
    TestTokens.MutableClock clock = clockNow();
    IssuerKeys keys = TestTokens.keys(clock, TokenTypes.BLIND_RSA_2048);
    AtomicInteger toA = new AtomicInteger();
    AtomicInteger toB = new AtomicInteger();
    AtomicInteger toOdd = new AtomicInteger();
    int proxyA = counting(gateway(keys, clock).port(), toA);
    int proxyOdd = counting(gateway(keys, clock, "other-keys").port(), toOdd);
    int proxyB = counting(gateway(keys, clock).port(), toB);
    RelayRole.Started relay = relayOver(proxyA, proxyOdd, proxyB);
    WebClient http = WebClient.create(vertx);
    byte[] list = keyConfigs(http, relay.port());
    var key = KeyConfigs.preferred(KeyConfigs.parse(list)).orElseThrow();
    for (int i = 0; i < 9; i++) {
      EncapsulatedRequest sealed = listingRequest(key);
      HttpResponse<Buffer> answer = post(http, relay.port(), sealed);
      assertThat(answer.statusCode()).isEqualTo(200);
    }
    assertThat(toOdd.get()).as("the flagged gateway's share").isZero();
    assertThat(toA.get()).isPositive();
    assertThat(toB.get()).isPositive();
  }

  @Test
  @DisplayName(
      "two gateways sharing a key directory serve the same keys and each opens half of the requests the relay spreads")
  void twoGatewaysShareKeysAndLoad() throws Exception {
    TestTokens.MutableClock clock = clockNow();
    IssuerKeys keys = TestTokens.keys(clock, TokenTypes.BLIND_RSA_2048);
    GatewayRole.Started a = gateway(keys, clock);
    GatewayRole.Started b = gateway(keys, clock);
    AtomicInteger toA = new AtomicInteger();
    AtomicInteger toB = new AtomicInteger();
    int proxyA = counting(a.port(), toA);
    int proxyB = counting(b.port(), toB);
    RelayRole.Started relay = relayOver(proxyA, proxyB);
    WebClient http = WebClient.create(vertx);
    byte[] list = keyConfigs(http, relay.port());
    for (int port : List.of(a.port(), b.port())) {
      assertThat(keyConfigs(http, port)).isEqualTo(list);
    }
    var key = KeyConfigs.preferred(KeyConfigs.parse(list)).orElseThrow();
    int n = 20;
    for (int i = 0; i < n; i++) {
      EncapsulatedRequest sealed = listingRequest(key);
      HttpResponse<Buffer> answer = post(http, relay.port(), sealed);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.getHeader("content-type")).isEqualTo(MediaTypes.OHTTP_RESPONSE);
      BinaryHttpResponse inner =
          BinaryHttpResponse.parse(sealed.opener().open(answer.body().getBytes()));
      assertThat(inner.status()).isEqualTo(200);
    }
    assertThat(toA.get() + toB.get()).isEqualTo(n);
    assertThat(toA.get()).as("gateway A's share").isEqualTo(n / 2);
    assertThat(toB.get()).as("gateway B's share").isEqualTo(n / 2);
  }
}
