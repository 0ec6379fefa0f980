package org.privateprocessing.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.privateprocessing.core.Codecs;
import org.privateprocessing.core.Envelope;
import org.privateprocessing.core.NodeMetrics;
import org.privateprocessing.ohttp.MediaTypes;

/**
 * Non-cryptographic stages of the request path, one at a time (what the JFR profile of the
 * all-in-one node under load shows beside the cryptography and the model; docs/PERFORMANCE.md, "The
 * rest of the request path"):
 *
 * <ul>
 *   <li>{@link #metricsExchange}: what a listener records per request in the node's Prometheus
 *       registry ({@link NodeMetrics}): one exchange begun and ended, one token redeemed;
 *   <li>{@link #eventBusHop}: one request and its reply over the local event bus with {@link
 *       Envelope}s of a load-test request's sizes, as the gateway's listener and its credential
 *       stage exchange them (codec lookup, delivery to another thread, the envelopes' copies: the
 *       body read from the listener's buffer, the copy the stage reads, the sealed answer).
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class RequestPathBenchmark {
  private static final String ADDRESS = "bench.envelope";

  private NodeMetrics metrics;
  private Vertx vertx;
  private byte[] request;
  private byte[] answer;
  private HttpServer gateway;
  private WebClient client;
  private String gatewayUrl;
  private RequestOptions gatewayTarget;
  private Buffer body;
  private HttpClient coreClient;

  @Setup(Level.Trial)
  public void setUp() {
    metrics = NodeMetrics.create(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    SecureRandom random = new SecureRandom();
    // About an outer request and answer of the load test (X-Wing, padded sample chat).
    request = new byte[3_400];
    answer = new byte[1_300];
    random.nextBytes(request);
    random.nextBytes(answer);
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    vertx
        .eventBus()
        .<Envelope>localConsumer(
            ADDRESS,
            m -> {
              byte[] received = m.body().ciphertext();
              if (received.length != request.length) {
                m.fail(500, "lost bytes");
                return;
              }
              // A sealed answer is a fresh array, handed over as CredentialVerticle does.
              m.reply(Envelope.wrap(Envelope.Kind.OUTER_RESPONSE, answer.clone()));
            })
        .completion()
        .await();
    Buffer reply = Buffer.buffer(answer);
    gateway =
        vertx
            .createHttpServer()
            .requestHandler(
                r ->
                    r.body()
                        .onSuccess(
                            b ->
                                r.response()
                                    .putHeader("content-type", MediaTypes.OHTTP_RESPONSE)
                                    .end(reply)))
            .listen(0, "127.0.0.1")
            .await();
    client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout(10_000)
                .setUserAgentEnabled(false)
                .setFollowRedirects(false));
    gatewayUrl = "http://127.0.0.1:" + gateway.actualPort();
    gatewayTarget =
        new RequestOptions().setAbsoluteURI(gatewayUrl + MediaTypes.GATEWAY_REQUEST_PATH);
    body = Buffer.buffer(request);
    coreClient = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.close();
    coreClient.close().await();
    vertx.close().await();
  }

  @Benchmark
  public boolean metricsExchange() {
    NodeMetrics.Exchange exchange = metrics.begin(NodeMetrics.Stage.GATEWAY);
    metrics.tokens(NodeMetrics.TokenOutcome.REDEEMED, null, 1);
    exchange.end(200);
    return exchange.ended();
  }

  @Benchmark
  public int eventBusHop() throws Exception {
    Message<Envelope> reply =
        vertx
            .eventBus()
            // As GatewayVerticle: the body read from its buffer (a fresh array), handed over.
            .<Envelope>request(ADDRESS, Envelope.wrap(Envelope.Kind.OUTER_REQUEST, request.clone()))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return reply.body().ciphertext().length;
  }

  @Benchmark
  public int relayPostAbsolute() throws Exception {
    return answerLength(
        client
            .postAbs(gatewayUrl + MediaTypes.GATEWAY_REQUEST_PATH)
            .timeout(10_000)
            .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
            .sendBuffer(body)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS));
  }

  @Benchmark
  public int relayPreparedTarget() throws Exception {
    return answerLength(
        client
            .request(HttpMethod.POST, gatewayTarget)
            .timeout(10_000)
            .putHeader("content-type", MediaTypes.OHTTP_REQUEST)
            .sendBuffer(body)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS));
  }

  @Benchmark
  public int relayCoreClient() throws Exception {
    return coreClient
        .request(
            new RequestOptions(gatewayTarget)
                .setMethod(HttpMethod.POST)
                .setTimeout(10_000)
                .putHeader("content-type", MediaTypes.OHTTP_REQUEST))
        .compose(
            q ->
                q.send(body)
                    .compose(
                        (HttpClientResponse r) ->
                            r.statusCode() == 200
                                ? r.body()
                                : io.vertx.core.Future.failedFuture(
                                    "unexpected answer " + r.statusCode())))
        .map(Buffer::length)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private int answerLength(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200 || response.body().length() != answer.length) {
      throw new IllegalStateException("unexpected answer " + response.statusCode());
    }
    return response.body().length();
  }
}
