package org.privateprocessing.cli;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SuggestResponse;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.SummarizeResponse;
import org.privateprocessing.api.Tone;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.EnclaveDescriptor;
import org.privateprocessing.client.GatewayListing;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.Role;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.token.TokenChallenge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole private path once in this JVM and prints what it answered.",
      "Starts relay, gateway and enclave in this JVM on free loopback ports, summarises the sample",
      "chat through the whole private path (both Oblivious HTTP layers, real HPKE), asks for a",
      "writing suggestion, prints both results and stops. Progress goes to stderr; stdout is one",
      "JSON document: {\"summarize\": ..., \"suggest\": ...}."
    })
final class DemoCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--chat",
      paramLabel = "FILE",
      description = "chat to summarise (default: the bundled conf/examples/chat.json)")
  Path chat;

  @Override
  public Integer call() throws Exception {
    PrintStream err = System.err;
    Logging.quiet();
    SummarizeRequest request = SummarizeRequest.parse(SampleChat.load(chat));
    JsonObject conf = DemoTrust.loopbackConf();
    Vertx vertx = Vertx.vertx();
    try {
      Node.Running running = Await.result(Node.start(vertx, Role.ALL, conf), 60_000);
      err.println(
          "[1/5] started on 127.0.0.1: relay :"
              + running.relayPort()
              + ", gateway :"
              + running.gatewayPort()
              + ", issuer :"
              + running.issuerPort()
              + ", enclave "
              + running.enclaveId()
              + " (simulated TEE)");
      // The demo made the simulated root itself, in this process: the one out-of-band channel it
      // trusts.
      ClientOptions options =
          ClientOptions.forRelay(running.relayUrl())
              .withIssuer(running.issuerUrl(), ClientOptions.DEMO_ACCOUNT);
      options = DemoTrust.apply(running, options);
      try (PrivateProcessingClient client = PrivateProcessingClient.create(vertx, options)) {
        GatewayListing listing = Await.result(client.listing(), 30_000);
        EnclaveDescriptor enclave = listing.enclaves().get(0);
        err.println(
            "[2/5] fetched the gateway's keys and the enclave list through the relay; verified enclave "
                + enclave.id()
                + "'s SEV-SNP evidence (report signature, VCEK chain to the explicitly trusted SIMULATED"
                + " root, measurement "
                + enclave.measurement().substring(0, 16)
                + "..., keys bound in REPORT_DATA, age)"
                + options
                    .log()
                    .newest()
                    .map(
                        cp ->
                            "; its release, the gateway's key and the issuer's key are proven in the "
                                + "transparency log (checkpoint of "
                                + cp.size()
                                + " entries signed by "
                                + cp.origin()
                                + ")")
                    .orElse("")
                + "; sealing to it with "
                + HpkeIds.kemName(enclave.preferredKeyConfig().kemId()));
        SummarizeResponse summary = Await.result(client.summarize(request), 30_000);
        TokenChallenge challenge = listing.tokenChallenges().get(0);
        err.println(
            "[3/5] spent one Privacy Pass token (type "
                + challenge.tokenType()
                + ", issuer '"
                + challenge.issuerName()
                + "'); the wallet fetched "
                + client.wallet().readyCount(challenge)
                + " more ahead for the demo account, blinded, so the issuer cannot link them to requests");
        err.println(
            "[4/5] summarised "
                + request.messages().size()
                + " messages of chat '"
                + request.chat().id()
                + "' (inner layer to the enclave, outer layer to the gateway, via the relay):");
        SuggestRequest suggestion =
            new SuggestRequest(
                request.chat(),
                "hey, i think we should definately book teh table for 7",
                Tone.FORMAL);
        SuggestResponse suggested = Await.result(client.suggest(suggestion), 30_000);
        err.println("[5/5] a formal rewrite of \"" + suggestion.draft() + "\":");
        // One JSON document on stdout, so `scripts/demo.sh | jq` works.
        spec.commandLine()
            .getOut()
            .println(
                new JsonObject()
                    .put("summarize", new JsonObject(Buffer.buffer(summary.encode())))
                    .put("suggest", new JsonObject(Buffer.buffer(suggested.encode())))
                    .encodePrettily());
        spec.commandLine().getOut().flush();
        err.println(ClientMixin.aiLine(summary.model(), summary.enclave()));
        err.println(
            "done: the relay saw only ciphertext and sizes; the gateway an anonymous token; the issuer"
                + " only that the demo account asked for tokens.");
      }
      return 0;
    } finally {
      Await.result(vertx.close(), 10_000);
    }
  }
}
