package org.privateprocessing.node;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;

/**
 * The config the in-process pipeline tests start from: the demo profile with every listener on an
 * ephemeral port (tests run side by side and never collide on a fixed port) and fresh data
 * directories for the node's durable state and the log. A test puts its own sections over it;
 * {@code put} replaces a whole section.
 */
public final class DemoConf {
  private DemoConf() {}

  public static JsonObject allInOne() throws IOException {
    return new JsonObject()
        .put("profile", "demo")
        .put("attestation", new JsonObject().put("tlsPort", 0))
        .put("relay", new JsonObject().put("port", 0))
        .put("dataDir", Files.createTempDirectory("pp-data").toString())
        .put(
            "log",
            new JsonObject()
                .put("port", 0)
                .put("dataDir", Files.createTempDirectory("pp-log").toString()))
        .put("gateway", new JsonObject().put("port", 0))
        .put("issuer", new JsonObject().put("port", 0));
  }

  /**
   * As {@link #allInOne()}, with the enclave's model an OpenAI-compatible server at {@code baseUrl}
   * (the paced model server, for streams that take a while): 30 s for each of its reads, 40 s for
   * the gateway's enclave.
   */
  public static JsonObject withOpenAiModel(java.net.URI baseUrl) throws IOException {
    return allInOne()
        .put(
            "enclave",
            new JsonObject()
                .put("model", "openai-compatible")
                .put(
                    "openai",
                    new JsonObject().put("baseUrl", baseUrl.toString()).put("timeout", "30s")))
        .put("gateway", new JsonObject().put("port", 0).put("enclaveTimeout", "40s"));
  }
}
