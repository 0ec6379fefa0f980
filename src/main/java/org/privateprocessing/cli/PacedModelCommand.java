package org.privateprocessing.cli;

import java.net.BindException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.privateprocessing.infer.PacedModelServer;
import org.privateprocessing.infer.PacedModelServer.FailMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts {@link PacedModelServer}: an OpenAI-compatible model server on loopback that answers with
 * the embedded model, token by token at a fixed pace, to measure streamed answers without a
 * language model.
 */
@Command(
    name = "paced-model",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a paced OpenAI-compatible model server on loopback for tests.",
      "Serves POST /v1/chat/completions on 127.0.0.1, streamed (\"stream\": true, server-sent",
      "events) or whole, writing each answer token by token at --tokens-per-second. The answer",
      "is computed from the request by the embedded model: the extractive summary of the",
      "chat, or the writing assistant's rewrites of the draft; never a fixed text. It can fail",
      "mid-answer on demand, for every request (--fail-after) or for one (the request header",
      PacedModelServer.FAIL_AFTER_HEADER
          + ": N, with "
          + PacedModelServer.FAIL_MODE_HEADER
          + ": close|error). It logs no content."
    },
    footer = {
      "",
      "Point an enclave at it (the default baseUrl is http://127.0.0.1:8000):",
      "  private-processing paced-model --tokens-per-second 20 &",
      "  PP_ENCLAVE_MODEL=openai-compatible private-processing serve",
      "Ask it directly:",
      "  curl -N http://127.0.0.1:8000/v1/chat/completions -d '{\"stream\": true,",
      "    \"messages\": [{\"role\": \"user\", \"content\": \"Lunch at noon?\"}]}'"
    })
public final class PacedModelCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "" + PacedModelServer.Options.DEFAULT_PORT,
      paramLabel = "P",
      description = "port on 127.0.0.1, 0 for any free one (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--tokens-per-second",
      defaultValue = "20",
      paramLabel = "N",
      description = "pace of the answers, 0.1 to 100000 (default: ${DEFAULT-VALUE})")
  double tokensPerSecond;

  @Option(
      names = "--model",
      defaultValue = PacedModelServer.Options.DEFAULT_MODEL,
      paramLabel = "NAME",
      description = "model name the answers report (default: ${DEFAULT-VALUE})")
  String model;

  @Option(
      names = "--fail-after",
      defaultValue = "-1",
      paramLabel = "TOKENS",
      description =
          "fail every answer after this many tokens; -1 never (default: ${DEFAULT-VALUE})")
  int failAfter;

  @Option(
      names = "--fail-mode",
      defaultValue = "close",
      paramLabel = "MODE",
      description =
          "close: drop the connection; error: send an error event, no [DONE] (default:"
              + " ${DEFAULT-VALUE})")
  String failMode;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PacedModelServer.Options options;
    try {
      options =
          new PacedModelServer.Options(
              PacedModelServer.Options.DEFAULT_HOST,
              port,
              tokensPerSecond,
              model,
              failAfter,
              FailMode.parse(failMode));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "bad option: " + e.getMessage());
    }
    PacedModelServer server;
    try {
      server = PacedModelServer.start(options);
    } catch (BindException e) {
      throw new IllegalStateException(
          "paced-model cannot listen on 127.0.0.1:"
              + port
              + ": the port is taken (another paced-model?); stop that process or choose"
              + " another port with --port");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "shutdown"));
    spec.commandLine()
        .getErr()
        .println(
            String.format(
                Locale.ROOT,
                "paced-model: serving %s%s at %s tokens/s%s; press Ctrl-C to stop",
                server.baseUrl(),
                "/v1/chat/completions",
                trim(tokensPerSecond),
                failAfter >= 0
                    ? ", failing (" + failMode + ") after " + failAfter + " tokens"
                    : ""));
    spec.commandLine().getErr().flush();
    try {
      stopped.await();
    } finally {
      server.close(); // also when the waiting thread is interrupted
    }
    return 0;
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
