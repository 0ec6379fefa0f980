package org.privateprocessing.cli;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SuggestResponse;
import org.privateprocessing.api.Tone;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "suggest", mixinStandardHelpOptions = true,
    description = {"Suggests better wordings of a draft, privately (sealed twice, through the relay).",
        "Prints the result as JSON on stdout."},
    footer = {"", "Example:",
        "  java -jar target/private-processing.jar suggest --draft \"hey can u send me teh file\" --tone formal"})
final class SuggestCommand implements Callable<Integer> {
  @Option(names = "--relay", defaultValue = ClientOptions.DEFAULT_RELAY, paramLabel = "URL",
      description = "relay base URL (default: ${DEFAULT-VALUE})")
  String relay;

  @Option(names = "--draft", required = true, paramLabel = "TEXT", description = "the draft to improve")
  String draft;

  @Option(names = "--tone", defaultValue = "proofread", paramLabel = "TONE",
      description = "formal, friendly, concise or proofread (default: ${DEFAULT-VALUE})")
  String tone;

  @Option(names = "--chat-id", defaultValue = "cli", paramLabel = "ID", description = "chat the draft belongs to")
  String chatId;

  @Option(names = "--timeout", defaultValue = "30000", paramLabel = "MS", description = "round-trip timeout (default: ${DEFAULT-VALUE} ms)")
  long timeoutMs;

  @Override
  public Integer call() throws Exception {
    Tone parsedTone;
    try {
      parsedTone = Tone.parse(tone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--tone must be one of formal, friendly, concise, proofread");
    }
    // Round-trip through the wire form so the same validation as the enclave's applies here.
    SuggestRequest request = SuggestRequest.parse(
        new SuggestRequest(new Chat(chatId, null, false), draft, parsedTone).encode());
    Vertx vertx = Vertx.vertx();
    try (PrivateProcessingClient client = PrivateProcessingClient.create(vertx,
        ClientOptions.forRelay(relay).withTimeoutMs(timeoutMs))) {
      SuggestResponse response = Await.result(client.suggest(request), timeoutMs + 5_000);
      System.out.println(new JsonObject(Buffer.buffer(response.encode())).encodePrettily());
      return 0;
    } finally {
      vertx.close();
    }
  }
}
