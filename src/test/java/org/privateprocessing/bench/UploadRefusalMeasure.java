package org.privateprocessing.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.privateprocessing.api.ApiPaths;
import org.privateprocessing.node.Node;
import org.privateprocessing.node.PrivatePathTest;
import org.privateprocessing.node.Role;
import org.privateprocessing.ohttp.ChunkLimits;
import org.privateprocessing.ohttp.ChunkedRequestEncapsulator;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.ohttp.KeyConfigs;
import org.privateprocessing.ohttp.MediaTypes;
import org.privateprocessing.ohttp.bhttp.Field;
import org.privateprocessing.ohttp.bhttp.IndeterminateRequestWriter;

/**
 * How long a client uploading a chunked request slowly waits before a bad token is refused, and how
 * much it uploaded by then, through the running relay and gateway: a 1 MiB request (sealed in 16
 * KiB chunks, the token in the first) written in 16 pieces of 64 KiB, one every {@code PAUSE_MS}.
 * Whether the gateway reads the request whole before checking the token, or checks it on the
 * request's head, shows here. Not a unit test: run it with {@code scripts/bench-upload-refusal.sh}.
 *
 * <p>Arguments: {@code ROUNDS PAUSE_MS}.
 */
public final class UploadRefusalMeasure {
  private UploadRefusalMeasure() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    long pauseMs = args.length > 1 ? Long.parseLong(args[1]) : 100;
    SecureRandom random = new SecureRandom();
    JsonObject conf =
        new JsonObject()
            .put("profile", "demo")
            .put("dataDir", Files.createTempDirectory("pp-measure").toString())
            .put("attestation", new JsonObject().put("tlsPort", -1))
            .put(
                "relay",
                new JsonObject().put("port", 0).put("maxBodyBytes", 4 << 20).put("timeout", "10s"))
            .put("log", new JsonObject().put("port", 0))
            .put("gateway", new JsonObject().put("port", 0).put("maxBodyBytes", 4 << 20))
            .put("enclave", new JsonObject().put("id", "3ea50e0000000001"))
            .put("issuer", new JsonObject().put("port", 0));
    Vertx vertx = Vertx.vertx();
    try {
      Node.Running node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf));
      HttpClient http = vertx.createHttpClient();
      Buffer keys =
          PrivatePathTest.await(
              http.request(
                      HttpMethod.GET,
                      node.relayPort(),
                      "127.0.0.1",
                      MediaTypes.WELL_KNOWN_GATEWAY_PATH)
                  .compose(r -> r.send().compose(HttpClientResponse::body)));
      KeyConfig key = KeyConfigs.preferred(KeyConfigs.parse(keys.getBytes())).orElseThrow();
      long[] millis = new long[rounds];
      long[] uploaded = new long[rounds];
      for (int round = 0; round < rounds; round++) {
        byte[] body = sealed(key, node.enclaveId(), random);
        HttpClientRequest request =
            PrivatePathTest.await(
                http.request(
                    new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(node.relayPort())
                        .setURI("/")
                        .putHeader("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST)));
        request.setChunked(true);
        request.exceptionHandler(t -> {});
        AtomicLong answeredAt = new AtomicLong();
        int[] status = {0};
        request
            .response()
            .onSuccess(
                r -> {
                  r.exceptionHandler(t -> {}); // the reset below, once the status is in
                  status[0] = r.statusCode();
                  answeredAt.set(System.nanoTime());
                });
        long start = System.nanoTime();
        long written = 0;
        int piece = 64 * 1024;
        for (int at = 0; at < body.length && answeredAt.get() == 0; at += piece) {
          request.write(
              Buffer.buffer(Arrays.copyOfRange(body, at, Math.min(body.length, at + piece))));
          written = Math.min(body.length, at + piece);
          Thread.sleep(pauseMs);
        }
        if (answeredAt.get() == 0) {
          request.end();
        }
        while (answeredAt.get() == 0 && System.nanoTime() - start < 30_000_000_000L) {
          Thread.sleep(1);
        }
        if (status[0] != 200) {
          throw new IllegalStateException("expected the sealed refusal (200), got " + status[0]);
        }
        millis[round] = (answeredAt.get() - start) / 1_000_000;
        uploaded[round] = written;
        request.reset();
      }
      Arrays.sort(millis);
      Arrays.sort(uploaded);
      System.out.printf(
          Locale.ROOT,
          "bad token, 1 MiB chunked upload in 64 KiB pieces every %d ms: refused after %d ms p50"
              + " (min %d, max %d), %d bytes uploaded by then (p50)%n",
          pauseMs,
          millis[rounds / 2],
          millis[0],
          millis[rounds - 1],
          uploaded[rounds / 2]);
      System.out.printf(
          Locale.ROOT,
          "{\"rounds\":%d,\"pauseMs\":%d,\"refusedMsP50\":%d,\"uploadedBytesP50\":%d}%n",
          rounds,
          pauseMs,
          millis[rounds / 2],
          uploaded[rounds / 2]);
    } finally {
      PrivatePathTest.await(vertx.close());
    }
  }

  /** 1 MiB of (random) inner content behind a head whose token is not one. */
  private static byte[] sealed(KeyConfig key, String enclaveId, SecureRandom random)
      throws Exception {
    ChunkedRequestEncapsulator outer = ChunkedRequestEncapsulator.start(key, random);
    IndeterminateRequestWriter w = new IndeterminateRequestWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(outer.header());
    out.writeBytes(
        outer.sealChunk(
            w.head(
                "POST",
                "https",
                "gateway",
                ApiPaths.ENCLAVE_PREFIX + enclaveId,
                List.of(
                    new Field("content-type", MediaTypes.OHTTP_CHUNKED_REQUEST),
                    new Field("authorization", "PrivateToken token=AAAA")))));
    byte[] piece = new byte[ChunkLimits.MAX_SEND_PLAINTEXT - 8];
    for (int total = 0; total < (1 << 20); total += piece.length) {
      random.nextBytes(piece);
      out.writeBytes(outer.sealChunk(w.content(piece)));
    }
    out.writeBytes(outer.sealFinal(w.end(List.of())));
    return out.toByteArray();
  }
}
