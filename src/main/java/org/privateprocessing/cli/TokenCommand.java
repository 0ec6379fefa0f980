package org.privateprocessing.cli;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.privateprocessing.token.PrivateTokenAuthorization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Fetches one Privacy Pass token and prints it, without spending it.",
      "The token is for the gateway's challenge and printed as JSON. The challenge comes from the gateway (through the relay); the token from the",
      "issuer, which signs it blinded: it never sees the token it printed here."
    },
    footer = {"", "Example:  java -jar target/private-processing.jar token --account demo"})
final class TokenCommand implements Callable<Integer> {
  @Mixin ClientMixin client;

  @Override
  public Integer call() throws Exception {
    return client.callAndPrint(
        sdk ->
            sdk.listing()
                .compose(
                    listing -> {
                      if (listing.tokenChallenges().isEmpty()) {
                        throw new IllegalStateException("the gateway lists no token challenge");
                      }
                      return sdk.wallet().take(listing.tokenChallenges().get(0));
                    })
                .map(
                    token -> {
                      HexFormat hex = HexFormat.of();
                      return new JsonObject()
                          .put("tokenType", token.tokenType())
                          .put(
                              "token",
                              Base64.getUrlEncoder()
                                  .withoutPadding()
                                  .encodeToString(token.encode()))
                          .put("nonce", hex.formatHex(token.nonce()))
                          .put("challengeDigest", hex.formatHex(token.challengeDigest()))
                          .put("tokenKeyId", hex.formatHex(token.tokenKeyId()))
                          .put("authorization", PrivateTokenAuthorization.header(token))
                          .toBuffer()
                          .getBytes();
                    }));
  }
}
