package org.privateprocessing.cli;

import java.util.concurrent.Callable;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SuggestResponse;
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

  @Mixin AnswerMixin answer;

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
    return answer.ask(
        client,
        new AnswerMixin.Kind<>(
            sdk -> sdk.suggestStreaming(request),
            sdk -> sdk.suggestWithReceipt(request),
            SuggestResponse::encode,
            SuggestResponse::model,
            SuggestResponse::enclave));
  }
}
