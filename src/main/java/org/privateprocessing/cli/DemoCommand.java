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
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.ohttp.HpkeIds;
import org.privateprocessing.pipeline.Node;
import org.privateprocessing.pipeline.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Starts relay, gateway and enclave in this JVM on free loopback ports, summarises the sample",
        "chat through the whole private path (both Oblivious HTTP layers, real HPKE), asks for a",
        "writing suggestion, prints both results and stops. Progress goes to stderr, results to stdout."})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--chat", paramLabel = "FILE", description = "chat to summarise (default: the bundled conf/examples/chat.json)")
  Path chat;

  @Override
  public Integer call() throws Exception {
    PrintStream err = System.err;
    Logging.quiet();
    SummarizeRequest request = SummarizeRequest.parse(SampleChat.load(chat));
    JsonObject conf = new JsonObject()
        .put("relay", new JsonObject().put("port", 0))
        .put("gateway", new JsonObject().put("port", 0));
    Vertx vertx = Vertx.vertx();
    try {
      Node.Running running = Await.result(Node.start(vertx, Role.ALL, conf), 60_000);
      err.println("[1/4] started on 127.0.0.1: relay :" + running.relayPort() + ", gateway :"
          + running.gatewayPort() + ", enclave " + running.enclaveId() + " (simulated TEE)");
      try (PrivateProcessingClient client = PrivateProcessingClient.create(vertx, ClientOptions.forRelay(running.relayUrl()))) {
        EnclaveDescriptor enclave = Await.result(client.enclaves(), 30_000).get(0);
        err.println("[2/4] fetched the gateway's keys and the enclave list through the relay; sealing to enclave "
            + enclave.id() + " with " + HpkeIds.kemName(enclave.preferredKeyConfig().kemId()));
        SummarizeResponse summary = Await.result(client.summarize(request), 30_000);
        err.println("[3/4] summarised " + request.messages().size() + " messages of chat '"
            + request.chat().id() + "' (inner layer to the enclave, outer layer to the gateway, via the relay):");
        System.out.println(new JsonObject(Buffer.buffer(summary.encode())).encodePrettily());
        SuggestRequest suggestion = new SuggestRequest(request.chat(),
            "hey, i think we should definately book teh table for 7", Tone.FORMAL);
        SuggestResponse suggested = Await.result(client.suggest(suggestion), 30_000);
        err.println("[4/4] a formal rewrite of \"" + suggestion.draft() + "\":");
        System.out.println(new JsonObject(Buffer.buffer(suggested.encode())).encodePrettily());
        err.println("done: answered by model " + summary.model().name() + " " + summary.model().version()
            + " in enclave " + summary.enclave().id() + "; the relay saw only ciphertext and sizes.");
      }
      return 0;
    } finally {
      Await.result(vertx.close(), 10_000);
    }
  }
}
