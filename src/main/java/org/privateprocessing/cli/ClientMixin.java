package org.privateprocessing.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.privateprocessing.api.EnclaveInfo;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.TokenStore;
import org.privateprocessing.client.TrustFiles;
import picocli.CommandLine.Option;

/**
 * What every client command shares: where the relay is, how long to wait, and the SDK's lifecycle.
 */
final class ClientMixin {
  @Option(
      names = "--relay",
      defaultValue = ClientOptions.DEFAULT_RELAY,
      paramLabel = "URL",
      description = "relay base URL (default: ${DEFAULT-VALUE})")
  String relay;

  @Option(
      names = "--issuer",
      defaultValue = ClientOptions.DEFAULT_ISSUER,
      paramLabel = "URL",
      description =
          "Privacy Pass token issuer (default: ${DEFAULT-VALUE}); it sees your account, never your request")
  String issuer;

  @Option(
      names = "--account",
      defaultValue = ClientOptions.DEMO_ACCOUNT,
      paramLabel = "CREDENTIAL",
      description =
          "account credential for the issuer only (default: the demo profile's '${DEFAULT-VALUE}')")
  String account;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      paramLabel = "DURATION",
      converter = DurationParser.Converter.class,
      description =
          "round-trip timeout (with --stream: until the answer begins), e.g. 500ms, 30s or 2m"
              + " (default: ${DEFAULT-VALUE})")
  java.time.Duration timeout;

  @Option(
      names = "--idle-timeout",
      defaultValue = "20s",
      paramLabel = "DURATION",
      converter = DurationParser.Positive.class,
      description =
          "with --stream: how long the answer may be silent between pieces of text before it is"
              + " given up, e.g. 5s or 1m (default: ${DEFAULT-VALUE}); time you pause reading does not count")
  java.time.Duration idleTimeout;

  @Option(
      names = "--trust",
      defaultValue = TrustSettings.DEFAULT,
      paramLabel = "PATH",
      description =
          "which enclaves to trust: a JSON file or a directory of them with allowed measurements "
              + "(and, in the demo, simulated roots); default: ${DEFAULT-VALUE}, written by `serve` in the demo profile")
  java.nio.file.Path trust;

  ClientOptions options() throws java.io.IOException {
    return TrustSettings.load(trust)
        .applyTo(
            ClientOptions.forRelay(relay)
                .withIssuer(issuer, account)
                .withTimeoutMs(timeout.toMillis())
                .withStreamIdleMs(idleTimeout.toMillis()));
  }

  /** A token given on the command line: base64url, or a whole Authorization header value. */
  static org.privateprocessing.token.Token parseToken(String value)
      throws org.privateprocessing.token.TokenException {
    String header =
        value.trim().regionMatches(true, 0, "PrivateToken", 0, 12)
            ? value
            : "PrivateToken token=\"" + value.trim() + "\"";
    return org.privateprocessing.token.PrivateTokenAuthorization.parse(header);
  }

  /** What a command prints: the body on stdout, and an optional line under it on stderr. */
  record Printed(byte[] body, boolean json, String footer) {
    static Printed json(byte[] body) {
      return new Printed(body, true, null);
    }
  }

  /** Runs one call with a fresh client and prints its answer (wire JSON) pretty on stdout. */
  int callAndPrint(Function<PrivateProcessingClient, Future<byte[]>> call) throws Exception {
    return run(client -> call.apply(client).map(Printed::json));
  }

  /**
   * The line printed under every AI answer, so a user always sees that AI was used and where: which
   * model, which enclave, and what is known of that enclave's software (its measurement).
   */
  static String aiLine(ModelInfo model, EnclaveInfo enclave) {
    String where = enclave == null ? "an unnamed enclave" : "enclave " + enclave.id();
    String measured =
        enclave == null || enclave.measurement() == null
            ? "no measurement reported"
            : "verified measurement "
                + enclave.measurement().substring(0, Math.min(16, enclave.measurement().length()))
                + "...";
    return "AI: answered by "
        + model.name()
        + " "
        + model.version()
        + " in "
        + where
        + " ("
        + measured
        + ")";
  }

  /**
   * Puts the tokens this run fetched and did not spend back into the store, once the issuances
   * under way have finished, so the next one-shot command spends them.
   */
  private void keepUnspent(PrivateProcessingClient client, TokenStore store) {
    try {
      Await.result(client.wallet().idle(), timeout.toMillis());
    } catch (Exception notAllBack) {
      // keep what arrived
    }
    if (client.wallet().droppedRetired() > 0) {
      System.err.println(
          "note: dropped "
              + client.wallet().droppedRetired()
              + " kept token(s) of issuer keys that are no longer current");
    }
    try {
      store.putBack(client.wallet().drain());
    } catch (java.io.IOException e) {
      System.err.println(
          "warning: could not keep the unspent tokens in " + store.file() + ": " + e.getMessage());
    }
  }

  /**
   * Runs one call with a fresh client; prints the body (JSON pretty, or text as it is) on stdout
   * and the footer under it on stderr, so stdout stays machine-readable.
   */
  int run(Function<PrivateProcessingClient, Future<Printed>> call) throws Exception {
    return run(call, false);
  }

  /**
   * As {@link #run(Function)}; a {@code streamed} call is not given an overall deadline here: the
   * SDK bounds it (the answer must begin within {@code --timeout}, then may be silent at most
   * {@code --idle-timeout} between pieces), so an answer that keeps coming is never cut short.
   */
  int run(Function<PrivateProcessingClient, Future<Printed>> call, boolean streamed)
      throws Exception {
    ClientOptions options = options();
    TokenStore store = TokenStore.in(TrustFiles.stateDir(trust));
    Vertx vertx = Vertx.vertx();
    try (PrivateProcessingClient client = PrivateProcessingClient.create(vertx, options)) {
      TokenStore.Claimed kept = store.claimAll();
      if (kept.problem() != null) {
        System.err.println("warning: " + kept.problem());
      }
      client.wallet().restore(kept.tokens());
      Printed printed;
      try {
        printed =
            Await.result(
                call.apply(client), streamed ? Long.MAX_VALUE : timeout.toMillis() + 5_000);
      } finally {
        keepUnspent(client, store);
      }
      System.out.println(
          printed.json()
              ? new JsonObject(Buffer.buffer(printed.body())).encodePrettily()
              : new String(printed.body(), java.nio.charset.StandardCharsets.UTF_8));
      System.out.flush();
      if (printed.footer() != null) {
        System.err.println(printed.footer());
      }
      return 0;
    } finally {
      vertx.close();
    }
  }
}
