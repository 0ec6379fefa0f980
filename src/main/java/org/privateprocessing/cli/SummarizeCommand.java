package org.privateprocessing.cli;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "summarize", mixinStandardHelpOptions = true,
    description = {
        "Summarises a chat privately: the chat is sealed to an enclave's key, then to the gateway's,",
        "and sent through the relay. Prints the result as JSON on stdout."},
    footer = {"", "The chat file has the shape of POST /v1/summarize, e.g. conf/examples/chat.json:",
        "  {\"chat\":{\"id\":\"c1\",\"title\":\"Family\"},",
        "   \"messages\":[{\"id\":\"m1\",\"from\":\"Alice\",\"text\":\"...\"}], \"maxSentences\":3}"})
final class SummarizeCommand implements Callable<Integer> {
  @Option(names = "--relay", defaultValue = ClientOptions.DEFAULT_RELAY, paramLabel = "URL",
      description = "relay base URL (default: ${DEFAULT-VALUE})")
  String relay;

  @Option(names = "--chat", required = true, paramLabel = "FILE", description = "chat to summarise (JSON)")
  Path chat;

  @Option(names = "--max-sentences", paramLabel = "N", description = "override the file's maxSentences")
  Integer maxSentences;

  @Option(names = "--timeout", defaultValue = "30000", paramLabel = "MS", description = "round-trip timeout (default: ${DEFAULT-VALUE} ms)")
  long timeoutMs;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(chat)) {
      throw new java.nio.file.NoSuchFileException(chat.toString());
    }
    SummarizeRequest request = SummarizeRequest.parse(Files.readAllBytes(chat));
    if (maxSentences != null) {
      request = SummarizeRequest.parse(new SummarizeRequest(request.chat(), request.messages(), maxSentences).encode());
    }
    Vertx vertx = Vertx.vertx();
    try (PrivateProcessingClient client = PrivateProcessingClient.create(vertx,
        ClientOptions.forRelay(relay).withTimeoutMs(timeoutMs))) {
      SummarizeResponse response = Await.result(client.summarize(request), timeoutMs + 5_000);
      System.out.println(new JsonObject(Buffer.buffer(response.encode())).encodePrettily());
      return 0;
    } finally {
      vertx.close();
    }
  }
}
