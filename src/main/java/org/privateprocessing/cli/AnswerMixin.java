package org.privateprocessing.cli;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.function.Function;
import org.privateprocessing.api.EnclaveInfo;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.client.AnswerStream;
import org.privateprocessing.client.PrivateProcessingClient;
import picocli.CommandLine.Option;

/**
 * What the commands that ask for an AI answer share ({@code summarize}, {@code suggest}): {@code
 * --stream} to print the text as it is written, {@code --receipt} to keep the answer's receipt, and
 * how the answer is printed: its JSON on stdout, and under it on stderr which model and enclave
 * answered (and where the receipt went).
 */
final class AnswerMixin {
  @Option(
      names = "--receipt",
      paramLabel = "FILE",
      description =
          "also save the answer's receipt to FILE (JSON, owner-only): the verified enclave, its "
              + "measurement and logged release, the model; no content. Re-check it later with "
              + "`audit receipt FILE`")
  Path receipt;

  @Option(names = "--stream", description = StreamedText.HELP)
  boolean stream;

  /** How a command reaches into its kind of answer (the SDK's answers share no type). */
  record Kind<T>(
      Function<PrivateProcessingClient, AnswerStream<T>> streamed,
      Function<PrivateProcessingClient, Future<PrivateProcessingClient.Answered<T>>> whole,
      Function<T, byte[]> encode,
      Function<T, ModelInfo> model,
      Function<T, EnclaveInfo> enclave) {}

  /**
   * Asks with a fresh client from {@code client}, streamed when {@code --stream} says so, and
   * prints the answer; checks first, before anything is sent (and a token spent), that the {@code
   * --receipt} file can be written.
   */
  <T> int ask(ClientMixin client, Kind<T> kind) throws Exception {
    if (receipt != null) {
      ReceiptFiles.checkWritable(receipt);
    }
    return client.run(
        sdk ->
            (stream ? StreamedText.print(kind.streamed().apply(sdk)) : kind.whole().apply(sdk))
                .map(
                    answered -> {
                      T answer = answered.answer();
                      return ReceiptFiles.printed(
                          receipt,
                          kind.encode().apply(answer),
                          ClientMixin.aiLine(
                              kind.model().apply(answer), kind.enclave().apply(answer)),
                          answered.receipt());
                    }),
        stream);
  }
}
