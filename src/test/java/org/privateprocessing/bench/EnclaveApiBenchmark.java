package org.privateprocessing.bench;

import java.io.InputStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.privateprocessing.enclave.EnclaveApi;
import org.privateprocessing.enclave.EnclaveIdentity;
import org.privateprocessing.infer.EmbeddedModel;
import org.privateprocessing.ohttp.bhttp.BinaryHttpRequest;
import org.privateprocessing.ohttp.bhttp.Field;

/**
 * The enclave's plaintext work for one load-test request, no cryptography: parse the inner Binary
 * HTTP request and the sample chat's JSON, summarise with the embedded model, encode the answer. It
 * is part of what the ratio in {@code scripts/ratio.sh} counts as overhead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class EnclaveApiBenchmark {
  private EnclaveApi api;
  private byte[] request;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    api =
        new EnclaveApi(
            new EmbeddedModel(),
            EnclaveIdentity.generate("5e1ec7ed00000001", "00".repeat(48), new SecureRandom()));
    byte[] chat;
    try (InputStream in = EnclaveApiBenchmark.class.getResourceAsStream("/examples/chat.json")) {
      chat = in.readAllBytes();
    }
    request =
        BinaryHttpRequest.of(
                "POST",
                "https",
                "enclave",
                "/v1/summarize",
                List.of(new Field("content-type", "application/json")),
                chat)
            .encode();
    int status = api.handle(BinaryHttpRequest.parse(request)).status();
    if (status != 200) {
      throw new IllegalStateException("the sample chat was refused: " + status);
    }
  }

  @Benchmark
  public byte[] summarizeSampleChat() throws Exception {
    return api.handle(BinaryHttpRequest.parse(request)).encode();
  }
}
