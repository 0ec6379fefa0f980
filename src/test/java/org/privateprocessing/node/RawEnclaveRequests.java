package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.privateprocessing.client.EnclaveDescriptor;
import org.privateprocessing.client.GatewayListing;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.ohttp.EncapsulatedRequest;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.RequestEncapsulator;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.BinaryHttpResponse;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.token.PrivateTokenAuthorization;

/**
 * Enclave API requests built by hand, for what the SDK would never send (unknown members, invalid
 * values) or sends differently (to a key of its choosing): sealed to the enclave, then to the
 * gateway, posted to the relay with a token from a client's wallet. Test utility.
 */
public final class RawEnclaveRequests implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final PrivateProcessingClient client;
  private final String relayUrl;
  private final WebClient http;

  /**
   * What came back: the gateway's answer (a 200 carrying the enclave's sealed answer, or the
   * gateway's or enclave's plain refusal), and the enclave's opened answer when there is one.
   */
  public record Answer(BinaryHttpResponse fromGateway, BinaryHttpResponse fromEnclave) {}

  public RawEnclaveRequests(Vertx vertx, PrivateProcessingClient client, String relayUrl) {
    this.client = client;
    this.relayUrl = relayUrl;
    this.http = WebClient.create(vertx);
  }

  /** Posts {@code json} to the first listed enclave's {@code path}, sealed to its preferred key. */
  public Answer post(String path, String json) throws Exception {
    EnclaveDescriptor enclave = PrivatePathTest.await(client.listing()).enclaves().get(0);
    return post(enclave.id(), enclave.preferredKeyConfig(), path, json);
  }

  /** Posts {@code json} to {@code path} of enclave {@code enclaveId}, sealed to {@code key}. */
  public Answer post(String enclaveId, KeyConfig key, String path, String json) throws Exception {
    GatewayListing listing = PrivatePathTest.await(client.listing());
    String token =
        PrivateTokenAuthorization.header(
            PrivatePathTest.await(client.wallet().take(listing.tokenChallenges().get(0))));
    EncapsulatedRequest inner =
        RequestEncapsulator.encapsulate(
            key,
            BinaryHttpRequest.of(
                    "POST",
                    "https",
                    "enclave",
                    path,
                    List.of(new Field("content-type", "application/json")),
                    json.getBytes(StandardCharsets.UTF_8))
                .encode(),
            RANDOM);
    byte[] outerRequest =
        BinaryHttpRequest.of(
                "POST",
                "https",
                "gateway",
                "/v1/enclave/" + enclaveId,
                List.of(
                    new Field("content-type", MediaTypes.OHTTP_REQUEST),
                    new Field("authorization", token)),
                inner.bytes())
            .encode();
    HttpResponse<Buffer> keys =
        PrivatePathTest.await(http.getAbs(relayUrl + "/.well-known/ohttp-gateway").send());
    KeyConfig gatewayKey =
        KeyConfigs.preferred(KeyConfigs.parse(keys.body().getBytes())).orElseThrow();
    EncapsulatedRequest outer = RequestEncapsulator.encapsulate(gatewayKey, outerRequest, RANDOM);
    HttpResponse<Buffer> answer =
        PrivatePathTest.await(
            http.postAbs(relayUrl + "/")
                .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
                .sendBuffer(Buffer.buffer(outer.bytes())));
    assertThat(answer.statusCode()).as("the relay and gateway took it").isEqualTo(200);
    BinaryHttpResponse fromGateway =
        BinaryHttpResponse.parse(outer.opener().open(answer.body().getBytes()));
    if (fromGateway.status() != 200) {
      return new Answer(fromGateway, null);
    }
    return new Answer(
        fromGateway, BinaryHttpResponse.parse(inner.opener().open(fromGateway.content())));
  }

  @Override
  public void close() {
    http.close();
  }
}
