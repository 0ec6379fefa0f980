package org.privateprocessing.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.Tone;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "loadtest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Drives a running relay at a fixed rate with the real client.",
      "Each request has a Privacy Pass token (fetched ahead) and both Oblivious HTTP layers",
      "sealed per request.",
      "",
      "Open-loop: requests fall due at --rate whatever the server does; at most --concurrency are",
      "in flight. A request that waits for a free slot counts its wait in its latency (nothing",
      "is shed).",
      "Latency is measured from when a request fell due (no coordinated omission).",
      "",
      "Prints a progress line on stderr each second, a summary on stderr, and last one JSON line",
      "on stdout:",
      "  {\"sent\":N, \"ok\":N, \"failedClear\":N, \"rps\":X, \"p50Ms\":X, \"p90Ms\":X,",
      "   \"p99Ms\":X, \"maxMs\":X, \"failedUnclear\":N}",
      "failedClear: the SDK gave a typed problem (e.g. 503 overloaded); failedUnclear: anything",
      "else, or no answer within --timeout. rps counts answered requests per second; the",
      "percentiles are of answered requests. Exit 0 when failedUnclear is 0 and ok > 0.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  java -jar target/private-processing.jar serve &     # an all-in-one node",
      "  java -jar target/private-processing.jar loadtest --rate 100 --duration 30s \\",
      "      --concurrency 64",
      "  scripts/loadtest.sh --rate 200 --duration 1m --warmup 10s --json-only",
      "  scripts/loadtest.sh --warmup 60s --steps 100,200,300 --duration 20s \\",
      "      --json-only",
      "  java -jar target/private-processing.jar loadtest \\",
      "      --relay http://127.0.0.1:8080 --issuer http://127.0.0.1:8082 \\",
      "      --account demo --rate 50 \\",
      "      --max-requests 500 --kind suggest",
      "",
      "Durations: 1500ms, 30s, 5m, 1h."
    })
final class LoadtestCommand implements Callable<Integer> {
  @Mixin ClientMixin client;

  @Spec CommandSpec spec;

  @Option(
      names = "--rate",
      defaultValue = "50",
      paramLabel = "R",
      description = "requests due per second (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      paramLabel = "D",
      converter = DurationParser.Converter.class,
      description =
          "how long requests keep falling due, e.g. 30s or 5m (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      paramLabel = "C",
      description = "most requests in flight at once (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--max-requests",
      defaultValue = "0",
      paramLabel = "N",
      description = "stop after N requests even before the duration (default: no cap)")
  long maxRequests;

  @Option(
      names = "--kind",
      defaultValue = "summarize",
      paramLabel = "KIND",
      description = "summarize (the bundled sample chat) or suggest (default: ${DEFAULT-VALUE})")
  String kind;

  @Option(
      names = "--warmup",
      defaultValue = "0s",
      paramLabel = "D",
      converter = DurationParser.Converter.class,
      description = "run at the same rate this long first, not counted (default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(names = "--json-only", description = "print only the JSON line (no progress, no summary)")
  boolean jsonOnly;

  @Option(
      names = "--check-replays",
      description =
          "the double-spend check: each request spends a token taken from the wallet (no resend"
              + " with another token), and at the end every token sent is sent once more; each must"
              + " be refused as token-replayed. Adds replayChecked, replayRefused, doubleSpent,"
              + " replayAcceptedAfterFailure (the first request failed, so it was never spent),"
              + " replayOther and failedByType to the JSON line; exit 1 on any double spend."
              + " Only with --kind summarize, not with --steps.")
  boolean checkReplays;

  @Option(
      names = "--steps",
      split = ",",
      paramLabel = "R1,R2,...",
      description =
          "step up through these rates in this one client (instead of --rate): --warmup at the "
              + "first rate, then each rate for --duration after 5 s (at most --duration) at it, not "
              + "counted; one JSON line per step with its \"rate\" and \"sustainable\"; stops after "
              + "the first step that is not sustainable (a failure, p99 >= 1 s, or fewer than 95%% "
              + "of the rate answered). A warm client keeps its own JIT compiler out of the figures.")
  double[] steps;

  @Override
  public Integer call() throws Exception {
    if (steps != null) {
      if (steps.length == 0) {
        throw new IllegalArgumentException(
            "--steps needs at least one rate, e.g. --steps 100,200,300");
      }
      for (double step : steps) {
        LoadGenerator.Settings.requireRate(step, "--steps: each rate");
      }
      rate = steps[0];
    }
    LoadGenerator.Settings settings =
        new LoadGenerator.Settings(
            rate, duration, maxRequests, concurrency, client.timeout.toMillis());
    if (checkReplays && (steps != null || !"summarize".equals(kind))) {
      throw new IllegalArgumentException(
          "--check-replays works with --kind summarize and without --steps");
    }
    ReplayCheck replays = checkReplays ? new ReplayCheck() : null;
    Function<PrivateProcessingClient, Future<?>> request =
        checkReplays ? spendingOnce(replays) : request(kind);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Logging.quiet();
    // Enough tokens ahead that issuance, part of the real path, never stalls a request.
    ClientOptions options =
        client.options().withTokenBatch(Math.min(256, Math.max(8, 2 * concurrency)));
    Vertx vertx = Vertx.vertx();
    try (PrivateProcessingClient sdk = PrivateProcessingClient.create(vertx, options)) {
      // One request first: fetches the gateway's keys, the enclave listing and the first tokens,
      // and turns a relay that is not up into one clear line instead of a run of failures.
      try {
        Await.result(request.apply(sdk), client.timeout.toMillis() + 5_000);
      } catch (Exception e) {
        err.println("error: the first request failed: " + CliErrors.describe(e));
        err.println(
            "is a relay up at "
                + options.relayUrl()
                + "? start one with:"
                + " java -jar target/private-processing.jar serve");
        return CliErrors.EXIT_FAILED;
      }
      if (!warmup.isZero()) {
        if (!jsonOnly) {
          err.println("warming up for " + warmup.toMillis() + " ms (not counted)");
        }
        LoadGenerator.Settings warm =
            new LoadGenerator.Settings(rate, warmup, 0, concurrency, client.timeout.toMillis());
        runOnce(vertx, warm, () -> request.apply(sdk), new LoadReport(), null);
      }
      if (steps != null) {
        return stepUp(vertx, () -> request.apply(sdk), out, err);
      }
      LoadReport report = new LoadReport();
      double seconds =
          runOnce(
              vertx,
              settings,
              () -> request.apply(sdk),
              report,
              jsonOnly
                  ? null
                  : line -> {
                    err.println(line);
                    err.flush();
                  });
      if (!jsonOnly) {
        err.println(report.summary(seconds, rate, concurrency));
        err.flush();
      }
      if (replays == null) {
        out.println(report.jsonLine(seconds));
        out.flush();
        return report.exitCode();
      }
      SummarizeRequest chat = SummarizeRequest.parse(SampleChat.load(null));
      Await.result(
          replays.run(t -> sdk.summarize(chat, t), concurrency),
          (long) replays.recorded() * (client.timeout.toMillis() + 1_000) + 30_000);
      if (!jsonOnly) {
        err.println(replays.summary());
        err.flush();
      }
      io.vertx.core.json.JsonObject line =
          replays.putInto(new io.vertx.core.json.JsonObject(report.jsonLine(seconds)));
      io.vertx.core.json.JsonObject byType = new io.vertx.core.json.JsonObject();
      report.clearByType().forEach(byType::put);
      report.unclearByKind().forEach((k, n) -> byType.put("unclear " + k, n));
      out.println(line.put("failedByType", byType).encode());
      out.flush();
      return replays.doubleSpent() > 0 ? CliErrors.EXIT_FAILED : report.exitCode();
    } finally {
      Await.result(vertx.close(), 10_000);
    }
  }

  /**
   * The {@code --steps} run: each rate after 5 s at it, stopping after the first unsustainable one.
   */
  private int stepUp(
      Vertx vertx, java.util.function.Supplier<Future<?>> call, PrintWriter out, PrintWriter err)
      throws Exception {
    int exit = 0;
    for (double step : steps) {
      Duration settle =
          duration.compareTo(Duration.ofSeconds(5)) < 0 ? duration : Duration.ofSeconds(5);
      runOnce(
          vertx,
          new LoadGenerator.Settings(step, settle, 0, concurrency, client.timeout.toMillis()),
          call,
          new LoadReport(),
          null);
      LoadReport report = new LoadReport();
      double seconds =
          runOnce(
              vertx,
              new LoadGenerator.Settings(
                  step, duration, maxRequests, concurrency, client.timeout.toMillis()),
              call,
              report,
              null);
      io.vertx.core.json.JsonObject line =
          new io.vertx.core.json.JsonObject(report.jsonLine(seconds)).put("rate", step);
      boolean sustainable =
          line.getLong("failedClear") == 0
              && line.getLong("failedUnclear") == 0
              && line.getLong("ok") > 0
              && line.getDouble("p99Ms") < 1000
              && line.getDouble("rps") >= 0.95 * step;
      line.put("sustainable", sustainable);
      if (!jsonOnly) {
        err.println(report.summary(seconds, step, concurrency));
        err.flush();
      }
      out.println(line.encode());
      out.flush();
      exit = Math.max(exit, report.exitCode());
      if (!sustainable) {
        break;
      }
    }
    return exit;
  }

  private static double runOnce(
      Vertx vertx,
      LoadGenerator.Settings settings,
      java.util.function.Supplier<Future<?>> call,
      LoadReport report,
      java.util.function.Consumer<String> progress)
      throws Exception {
    LoadGenerator generator = new LoadGenerator(vertx, settings, call, report, progress);
    // The generator bounds itself; this is only a last guard for the command's own thread.
    long bound = settings.duration().toMillis() + 2 * settings.timeoutMs() + 30_000;
    return Await.result(generator.run(), bound);
  }

  /**
   * A summarize request that spends exactly one token taken from the wallet (no resend with
   * another), noting it and whether it was answered for the replay check.
   */
  private static Function<PrivateProcessingClient, Future<?>> spendingOnce(ReplayCheck replays)
      throws Exception {
    SummarizeRequest summarize = SummarizeRequest.parse(SampleChat.load(null));
    return sdk ->
        sdk.listing()
            .compose(
                listing -> {
                  if (listing.tokenChallenges().isEmpty()) {
                    return Future.failedFuture(
                        new IllegalStateException("the gateway lists no token challenge"));
                  }
                  return sdk.wallet().take(listing.tokenChallenges().get(0));
                })
            .compose(
                token ->
                    sdk.summarize(summarize, token)
                        .onComplete(ar -> replays.record(token, ar.succeeded())));
  }

  private static Function<PrivateProcessingClient, Future<?>> request(String kind)
      throws Exception {
    if ("summarize".equals(kind)) {
      SummarizeRequest summarize = SummarizeRequest.parse(SampleChat.load(null));
      return sdk -> sdk.summarize(summarize);
    }
    if ("suggest".equals(kind)) {
      SuggestRequest suggest =
          new SuggestRequest(
              new Chat("loadtest", null, false),
              "hey can u send me teh file before friday, i dont have it",
              Tone.PROOFREAD);
      return sdk -> sdk.suggest(suggest);
    }
    throw new IllegalArgumentException("--kind must be summarize or suggest");
  }
}
