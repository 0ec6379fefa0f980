package org.privateprocessing.cli;

import java.util.concurrent.Callable;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Tone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "suggest",
    mixinStandardHelpOptions = true,
    description = {
      "Suggests better wordings of a draft, privately (sealed twice, through the relay).",
      "Prints the result as JSON on stdout and, under it on stderr, which model and enclave answered.",
      "With --receipt FILE it also keeps the answer's receipt (audit receipt FILE re-checks it)."
    },
    footer = {
      "",
      "Example:",
      "  java -jar target/private-processing.jar suggest \\",
      "      --draft \"hey can u send me teh file\" --tone formal"
    })
final class SuggestCommand implements Callable<Integer> {
  @Mixin ClientMixin client;

  @Option(
      names = "--draft",
      required = true,
      paramLabel = "TEXT",
      description = "the draft to improve")
  String draft;

  @Option(
      names = "--tone",
      defaultValue = "proofread",
      paramLabel = "TONE",
      description = "formal, friendly, concise or proofread (default: ${DEFAULT-VALUE})")
  String tone;

  @Option(
      names = "--chat-id",
      defaultValue = "cli",
      paramLabel = "ID",
      description = "chat the draft belongs to")
  String chatId;

  @Option(
      names = "--receipt",
      paramLabel = "FILE",
      description =
          "also save the answer's receipt to FILE (JSON, owner-only): the verified enclave, its "
              + "measurement and logged release, the model; no content. Re-check it later with "
              + "`audit receipt FILE`")
  java.nio.file.Path receipt;

  @Option(names = "--stream", description = StreamedText.HELP)
  boolean stream;

  @Override
  public Integer call() throws Exception {
    Tone parsedTone;
    try {
      parsedTone = Tone.parse(tone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--tone must be one of formal, friendly, concise, proofread");
    }
    // Round-trip through the wire form so the same validation as the enclave's applies here.
    SuggestRequest request =
        SuggestRequest.parse(
            new SuggestRequest(new Chat(chatId, null, false), draft, parsedTone).encode());
    if (receipt != null) {
      ReceiptFiles.checkWritable(receipt);
    }
    return client.run(
        sdk ->
            (stream
                    ? StreamedText.print(sdk.suggestStreaming(request))
                    : sdk.suggestWithReceipt(request))
                .map(
                    answered ->
                        ReceiptFiles.printed(
                            receipt,
                            answered.answer().encode(),
                            ClientMixin.aiLine(
                                answered.answer().model(), answered.answer().enclave()),
                            answered.receipt())),
        stream);
  }
}
