package org.privateprocessing.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.client.AnswerStream;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.infer.PacedModelServer;
import org.privateprocessing.node.DemoConf;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.PrivatePathTest;
import org.privateprocessing.node.Role;

/**
 * Time to the first text and to the last byte of a summary through the whole running pipeline (SDK,
 * relay, gateway, enclave; both OHTTP layers, a Privacy Pass token per request), streamed (chunked
 * OHTTP) against whole (one sealed message), with the enclave's model an OpenAI-compatible server
 * that writes {@code TPS} tokens a second (the jar's paced model server, started in this process on
 * loopback). Prints p50/p99 of each and, last, one JSON line. Not a unit test: run it with {@code
 * scripts/bench-streaming-path.sh}.
 *
 * <p>Arguments: {@code ROUNDS TPS}.
 */
public final class PipelineStreamingMeasure {
  private PipelineStreamingMeasure() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int tps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    PacedModelServer model =
        PacedModelServer.start(PacedModelServer.Options.defaults().withPort(0).withPace(tps));
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject conf = DemoConf.withOpenAiModel(model.baseUrl());
      Node.Running node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf));
      PrivateProcessingClient client =
          PrivateProcessingClient.create(
              vertx,
              ClientOptions.forRelay(node.relayUrl())
                  .withIssuer(node.issuerUrl(), ClientOptions.DEMO_ACCOUNT)
                  .withTrust(PrivatePathTest.trust(node))
                  .withTimeoutMs(60_000));
      SummarizeRequest chat = StreamingModelMeasure.chat();
      // Warm-up: JIT, connections, the listing and the wallet.
      for (int i = 0; i < 3; i++) {
        PrivatePathTest.await(client.summarize(chat));
        PrivatePathTest.await(client.summarizeStreaming(chat).answer());
      }
      double[] first = new double[rounds];
      double[] last = new double[rounds];
      double[] whole = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        long[] firstAt = {0};
        long start = System.nanoTime();
        AnswerStream<?> stream = client.summarizeStreaming(chat);
        stream
            .text()
            .handler(
                piece -> {
                  if (firstAt[0] == 0) {
                    firstAt[0] = System.nanoTime();
                  }
                });
        PrivatePathTest.await(stream.answer());
        long end = System.nanoTime();
        first[i] = (firstAt[0] - start) / 1e6;
        last[i] = (end - start) / 1e6;
        long wholeStart = System.nanoTime();
        PrivatePathTest.await(client.summarize(chat));
        whole[i] = (System.nanoTime() - wholeStart) / 1e6;
        System.err.printf(Locale.ROOT, "round %d/%d done%n", i + 1, rounds);
      }
      client.close();
      System.out.printf(
          Locale.ROOT, "%-28s %10s %10s%n", "summary, " + tps + " tokens/s", "p50 ms", "p99 ms");
      row("streamed: first text", first);
      row("streamed: last byte", last);
      row("whole: answer", whole);
      System.out.printf(
          Locale.ROOT,
          "{\"rounds\":%d,\"tokensPerSecond\":%d,\"streamedFirstP50\":%.0f,\"streamedFirstP99\":%.0f,"
              + "\"streamedLastP50\":%.0f,\"streamedLastP99\":%.0f,\"wholeP50\":%.0f,\"wholeP99\":%.0f,"
              + "\"firstOverWholeP50\":%.3f}%n",
          rounds,
          tps,
          pct(first, 50),
          pct(first, 99),
          pct(last, 50),
          pct(last, 99),
          pct(whole, 50),
          pct(whole, 99),
          pct(first, 50) / pct(whole, 50));
    } finally {
      PrivatePathTest.await(vertx.close());
      model.close();
    }
  }

  private static void row(String name, double[] values) {
    System.out.printf(Locale.ROOT, "%-28s %10.0f %10.0f%n", name, pct(values, 50), pct(values, 99));
  }

  /** Nearest-rank percentile: with few rounds p99 is the slowest round. */
  private static double pct(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
