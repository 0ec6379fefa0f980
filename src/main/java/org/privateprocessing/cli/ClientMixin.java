package org.privateprocessing.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import picocli.CommandLine.Option;

/** What every client command shares: where the relay is, how long to wait, and the SDK's lifecycle. */
final class ClientMixin {
  @Option(names = "--relay", defaultValue = ClientOptions.DEFAULT_RELAY, paramLabel = "URL",
      description = "relay base URL (default: ${DEFAULT-VALUE})")
  String relay;

  @Option(names = "--issuer", defaultValue = ClientOptions.DEFAULT_ISSUER, paramLabel = "URL",
      description = "Privacy Pass token issuer (default: ${DEFAULT-VALUE}); it sees your account, never your request")
  String issuer;

  @Option(names = "--account", defaultValue = ClientOptions.DEMO_ACCOUNT, paramLabel = "CREDENTIAL",
      description = "account credential for the issuer only (default: the demo profile's '${DEFAULT-VALUE}')")
  String account;

  @Option(names = "--timeout", defaultValue = "30000", paramLabel = "MS",
      description = "round-trip timeout (default: ${DEFAULT-VALUE} ms)")
  long timeoutMs;

  ClientOptions options() {
    return ClientOptions.forRelay(relay).withIssuer(issuer, account).withTimeoutMs(timeoutMs);
  }

  /** A token given on the command line: base64url, or a whole Authorization header value. */
  static org.privateprocessing.token.Token parseToken(String value) throws org.privateprocessing.token.TokenException {
    String header = value.trim().regionMatches(true, 0, "PrivateToken", 0, 12) ? value : "PrivateToken token=\"" + value.trim() + "\"";
    return org.privateprocessing.token.PrivateTokenAuthorization.parse(header);
  }

  /** Runs one call with a fresh client and prints its answer (wire JSON) pretty on stdout. */
  int callAndPrint(Function<PrivateProcessingClient, Future<byte[]>> call) throws Exception {
    return call(call, true);
  }

  /** Runs one call with a fresh client and prints its answer: JSON pretty, or text as it is. */
  int call(Function<PrivateProcessingClient, Future<byte[]>> call, boolean json) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (PrivateProcessingClient client = PrivateProcessingClient.create(vertx, options())) {
      byte[] answer = Await.result(call.apply(client), timeoutMs + 5_000);
      System.out.println(json ? new JsonObject(Buffer.buffer(answer)).encodePrettily()
          : new String(answer, java.nio.charset.StandardCharsets.UTF_8));
      return 0;
    } finally {
      vertx.close();
    }
  }
}
