package org.privateprocessing.cli;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures requests per second and latency of the private path.",
      "Sends N summarize requests through the private path with the real client (both layers",
      "sealed per request) and reports requests/s and latency percentiles. Without --relay it",
      "starts an all-in-one pipeline in this JVM first. Ends with one JSON line on stdout."
    },
    footer = {
      "",
      "Example:  java -jar target/private-processing.jar bench --requests 2000 --concurrency 16"
    })
final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--relay",
      paramLabel = "URL",
      description = "relay to measure (default: start one in-process)")
  String relay;

  @Option(
      names = "--requests",
      defaultValue = "1000",
      paramLabel = "N",
      description = "requests to send (default: ${DEFAULT-VALUE})")
  int requests;

  @Option(
      names = "--warmup",
      defaultValue = "200",
      paramLabel = "N",
      description = "requests sent first and not counted (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--concurrency",
      defaultValue = "8",
      paramLabel = "C",
      description = "requests in flight (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--chat",
      paramLabel = "FILE",
      description = "chat to send (default: the bundled sample)")
  Path chat;

  @Option(
      names = "--issuer",
      defaultValue = ClientOptions.DEFAULT_ISSUER,
      paramLabel = "URL",
      description = "token issuer, with --relay (default: ${DEFAULT-VALUE})")
  String issuer;

  @Option(
      names = "--account",
      defaultValue = ClientOptions.DEMO_ACCOUNT,
      paramLabel = "CREDENTIAL",
      description = "issuer account (default: the demo profile's '${DEFAULT-VALUE}')")
  String account;

  @Option(
      names = "--trust",
      defaultValue = TrustSettings.DEFAULT,
      paramLabel = "PATH",
      description =
          "with --relay: which enclaves to trust (default: ${DEFAULT-VALUE}, written by `serve` in the demo profile)")
  Path trust;

  @Override
  public Integer call() throws Exception {
    if (requests < 1
        || requests > 1_000_000
        || concurrency < 1
        || concurrency > 1024
        || warmup < 0) {
      throw new IllegalArgumentException(
          "--requests 1..1000000, --concurrency 1..1024, --warmup >= 0");
    }
    Logging.quiet();
    SummarizeRequest request = SummarizeRequest.parse(SampleChat.load(chat));
    Vertx vertx = Vertx.vertx();
    try {
      String url = relay;
      String issuerUrl = issuer;
      java.util.function.UnaryOperator<ClientOptions> trustSettings;
      if (url == null) {
        JsonObject conf = DemoTrust.loopbackConf();
        conf.getJsonObject("issuer").put("tokensPerWindow", 10_000_000);
        Node.Running running = Await.result(Node.start(vertx, Role.ALL, conf), 60_000);
        url = running.relayUrl();
        issuerUrl = running.issuerUrl();
        trustSettings = o -> DemoTrust.apply(running, o);
        System.err.println("started an all-in-one pipeline at " + url);
      } else {
        trustSettings = TrustSettings.load(trust)::applyTo;
      }
      // Keep enough tokens ahead that issuance, part of the real path, never stalls a request.
      ClientOptions options =
          ClientOptions.forRelay(url)
              .withIssuer(issuerUrl, account)
              .withTokenBatch(Math.min(256, Math.max(8, 2 * concurrency)));
      options = trustSettings.apply(options);
      try (PrivateProcessingClient client = PrivateProcessingClient.create(vertx, options)) {
        if (warmup > 0) {
          System.err.println("warming up with " + warmup + " requests");
          run(client, request, warmup, null);
        }
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long start = System.nanoTime();
        int failed = run(client, request, requests, histogram);
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonObject result =
            new JsonObject()
                .put("requests", requests)
                .put("ok", requests - failed)
                .put("failed", failed)
                .put("concurrency", concurrency)
                .put("rps", round(requests / seconds))
                .put("p50Ms", ms(histogram.getValueAtPercentile(50)))
                .put("p99Ms", ms(histogram.getValueAtPercentile(99)))
                .put("maxMs", ms(histogram.getMaxValue()));
        System.err.printf(
            Locale.ROOT,
            "%d requests in %.1f s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d failed%n",
            requests,
            seconds,
            requests / seconds,
            ms(histogram.getValueAtPercentile(50)),
            ms(histogram.getValueAtPercentile(99)),
            failed);
        System.out.println(result.encode());
        return failed == 0 ? 0 : CliErrors.EXIT_FAILED;
      }
    } finally {
      Await.result(vertx.close(), 10_000);
    }
  }

  /**
   * Keeps {@code concurrency} requests in flight until {@code total} have completed; returns
   * failures.
   */
  private int run(
      PrivateProcessingClient client, SummarizeRequest request, int total, Histogram histogram)
      throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Promise<Void> finished = Promise.promise();
    long progressEvery = Math.max(1, total / 10);
    Runnable[] next = new Runnable[1];
    next[0] =
        () -> {
          if (started.incrementAndGet() > total) {
            return;
          }
          long t0 = System.nanoTime();
          client
              .summarize(request)
              .onComplete(
                  ar -> {
                    long elapsed = System.nanoTime() - t0;
                    if (ar.failed()) {
                      failed.incrementAndGet();
                    } else if (histogram != null) {
                      synchronized (histogram) {
                        histogram.recordValue(
                            Math.min(elapsed, histogram.getHighestTrackableValue()));
                      }
                    }
                    int n = done.incrementAndGet();
                    if (histogram != null && n % progressEvery == 0) {
                      System.err.printf(Locale.ROOT, "  %d/%d%n", n, total);
                    }
                    if (n == total) {
                      finished.tryComplete();
                    } else {
                      next[0].run();
                    }
                  });
        };
    for (int i = 0; i < Math.min(concurrency, total); i++) {
      next[0].run();
    }
    Future<Void> all = finished.future();
    Await.result(all, 3_600_000);
    return failed.get();
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
