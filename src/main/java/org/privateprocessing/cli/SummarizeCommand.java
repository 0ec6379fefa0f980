package org.privateprocessing.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.token.Token;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "summarize",
    mixinStandardHelpOptions = true,
    description = {
      "Summarises a chat privately, through the relay.",
      "The chat is sealed to an enclave's key, then to the gateway's, and sent through the relay.",
      "Prints the result as JSON on stdout and, under it on stderr,",
      "which model and which enclave answered.",
      "With --receipt FILE it also keeps the answer's receipt, to re-check later which logged",
      "release answered (audit receipt FILE)."
    },
    footer = {
      "",
      "The chat file has the shape of POST /v1/summarize, e.g. conf/examples/chat.json:",
      "  {\"chat\":{\"id\":\"c1\",\"title\":\"Family\"},",
      "   \"messages\":[{\"id\":\"m1\", \"from\":\"Alice\", \"text\":\"...\"}],",
      "   \"maxSentences\":3}"
    })
final class SummarizeCommand implements Callable<Integer> {
  @Mixin ClientMixin client;

  @Option(
      names = "--chat",
      required = true,
      paramLabel = "FILE",
      description = "chat to summarise (JSON)")
  Path chat;

  @Option(
      names = "--max-sentences",
      paramLabel = "N",
      description = "override the file's maxSentences")
  Integer maxSentences;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "spend this token (base64url, or a full 'PrivateToken token=...' value) instead of the wallet's; "
              + "for tokens made by another RFC 9578 client")
  String token;

  @Mixin AnswerMixin answer;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (answer.stream && token != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--stream spends a token of the wallet; leave out --token, or --stream");
    }
    if (!Files.exists(chat)) {
      throw new java.nio.file.NoSuchFileException(chat.toString());
    }
    byte[] bytes = Files.readAllBytes(chat);
    // Syntax first, so a broken file is reported by line and column.
    ConfigFiles.parse(chat, "chat", new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    SummarizeRequest request;
    try {
      request = SummarizeRequest.parse(bytes);
    } catch (org.privateprocessing.api.InvalidRequestException e) {
      throw new ConfigFiles.BadFileException("chat file " + chat + ": " + e.getMessage());
    }
    if (maxSentences != null) {
      request =
          SummarizeRequest.parse(
              new SummarizeRequest(request.chat(), request.messages(), maxSentences).encode());
    }
    SummarizeRequest checked = request;
    Token given = token == null ? null : ClientMixin.parseToken(token);
    return answer.ask(
        client,
        new AnswerMixin.Kind<>(
            sdk -> sdk.summarizeStreaming(checked),
            sdk -> sdk.summarizeWithReceipt(checked, given),
            SummarizeResponse::encode,
            SummarizeResponse::model,
            SummarizeResponse::enclave));
  }
}
