package org.privateprocessing.cli;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "challenge",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the gateway's Privacy Pass token challenge.",
      "That is its WWW-Authenticate: PrivateToken value (RFC 9577), as the gateway answers a",
      "request without a token. Any RFC 9578 client can make a token for it and spend it with",
      "'summarize --token'. Nothing is spent."
    },
    footer = {"", "Example:  java -jar target/private-processing.jar challenge"})
final class ChallengeCommand implements Callable<Integer> {
  @Mixin ClientMixin client;

  @Override
  public Integer call() throws Exception {
    return client.run(
        sdk ->
            sdk.challenge()
                .map(
                    header ->
                        new ClientMixin.Printed(
                            header.getBytes(StandardCharsets.UTF_8), false, null)));
  }
}
