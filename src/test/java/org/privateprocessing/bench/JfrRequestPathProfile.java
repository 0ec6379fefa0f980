package org.privateprocessing.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording of a node under load ({@code scripts/profile-node.sh}) and prints where its
 * CPU samples ({@code jdk.ExecutionSample}) and sampled allocation ({@code
 * jdk.ObjectAllocationSample}, by weight) went, per stage of the request path.
 *
 * <p>Each sample goes to one category, chosen from its stack in two passes from the leaf towards
 * the root: first the work a frame names (cryptography, the model, JSON, Binary HTTP, metrics, the
 * file stores, logging); when none does, the part of the server that runs it (the relay's HTTP
 * client, the event bus, the HTTP listeners, Netty, Vert.x). So a Netty write called by the relay's
 * client counts as the relay's client, and a hash map probe inside Micrometer as metrics. JFR does
 * not sample time inside the JDK's intrinsics (BigInteger's, AES's), so cryptography is
 * under-counted; read the other rows as shares of what was sampled.
 *
 * <p>Usage: {@code java -cp ... org.privateprocessing.bench.JfrRequestPathProfile FILE.jfr}
 */
public final class JfrRequestPathProfile {
  /** Pass 1: the work a frame names. Order matters only within a stack, not here. */
  private static final Map<String, List<String>> WORK = new LinkedHashMap<>();

  /** Pass 2: the part of the server a frame belongs to. */
  private static final Map<String, List<String>> PART = new LinkedHashMap<>();

  static {
    WORK.put(
        "cryptography",
        List.of(
            "org.bouncycastle.",
            "com.sun.crypto.",
            "sun.security.",
            "java.math.",
            "javax.crypto.",
            "java.security.",
            "com.sun.jna.",
            "org.privateprocessing.ohttp.Libsodium",
            "org.privateprocessing.ohttp.Hpke",
            "org.privateprocessing.ohttp.XWing",
            "org.privateprocessing.ohttp.JdkSymmetric",
            "org.privateprocessing.ohttp.KeyErasure",
            "org.privateprocessing.token.BlindRsa"));
    WORK.put(
        "metrics",
        List.of(
            "io.micrometer.", "io.vertx.micrometer.", "org.privateprocessing.core.NodeMetrics"));
    WORK.put("model (embedded summariser)", List.of("org.privateprocessing.infer."));
    WORK.put(
        "JSON (enclave API)",
        List.of("com.fasterxml.jackson.", "io.vertx.core.json.", "org.privateprocessing.api."));
    WORK.put("Binary HTTP", List.of("org.privateprocessing.ohttp.bhttp."));
    WORK.put("OHTTP framing, no cryptography", List.of("org.privateprocessing.ohttp."));
    WORK.put(
        "token parsing and checks, no cryptography",
        List.of(
            "org.privateprocessing.token.",
            "org.privateprocessing.core.CredentialCheck",
            "org.privateprocessing.core.VerificationKeys"));
    WORK.put(
        "spent-token and issuance files",
        List.of(
            "org.privateprocessing.core.RecordFile",
            "org.privateprocessing.core.FileSpentTokens",
            "org.privateprocessing.issuer.FileIssuanceWindows",
            "org.privateprocessing.issuer.IssuanceLimiter"));
    WORK.put("logging", List.of("java.util.logging."));
    WORK.put("JFR itself", List.of("jdk.jfr.", "com.sun.management."));
    PART.put(
        "relay's HTTP client",
        List.of(
            "io.vertx.ext.web.client.",
            "io.vertx.core.http.impl.HttpClient",
            "io.vertx.core.http.impl.CleanableHttpClient",
            "io.vertx.core.http.impl.http1.Http1Client",
            "io.vertx.core.http.impl.Http1xClient",
            "io.vertx.core.http.impl.SharedHttpClientConnectionGroup",
            "io.vertx.core.net.impl.pool.",
            "io.vertx.core.net.endpoint.",
            "io.netty.handler.codec.http.HttpClientCodec",
            "org.privateprocessing.relay."));
    PART.put(
        "event bus",
        List.of(
            "io.vertx.core.eventbus.",
            "org.privateprocessing.core.Envelope",
            "org.privateprocessing.core.LocalOnly"));
    PART.put(
        "HTTP listeners (Vert.x Web, servers)",
        List.of(
            "io.vertx.ext.web.",
            "io.vertx.core.http.impl.Http1Server",
            "io.vertx.core.http.impl.http1.Http1Server",
            "io.vertx.core.http.impl.Http1xServer",
            "io.vertx.core.http.impl.HttpServer",
            "io.netty.handler.codec.http.HttpServerCodec",
            "io.netty.handler.codec.http.HttpRequestDecoder",
            "org.privateprocessing.core.HttpListeners",
            "org.privateprocessing.core.ConnectionWatch"));
    PART.put("Netty I/O and codecs", List.of("io.netty.", "sun.nio."));
    PART.put("Vert.x futures, contexts, workers", List.of("io.vertx.core."));
    PART.put("other project code", List.of("org.privateprocessing."));
  }

  private JfrRequestPathProfile() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: JfrRequestPathProfile FILE.jfr");
      System.exit(2);
    }
    Map<String, long[]> totals = new HashMap<>();
    long samples = 0;
    long allocated = 0;
    try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        String type = e.getEventType().getName();
        boolean cpu = type.equals("jdk.ExecutionSample");
        if (!cpu && !type.equals("jdk.ObjectAllocationSample")) {
          continue;
        }
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null) {
          continue;
        }
        long[] t = totals.computeIfAbsent(category(stack.getFrames()), k -> new long[2]);
        if (cpu) {
          t[0]++;
          samples++;
        } else {
          long weight = e.getLong("weight");
          t[1] += weight;
          allocated += weight;
        }
      }
    }
    long n = Math.max(1, samples);
    long w = Math.max(1, allocated);
    System.out.printf("%-44s %8s %8s%n", "category", "CPU", "alloc");
    totals.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(
            c ->
                System.out.printf(
                    "%-44s %7.1f%% %7.1f%%%n",
                    c.getKey(), 100.0 * c.getValue()[0] / n, 100.0 * c.getValue()[1] / w));
    System.out.printf("%d CPU samples, %d MB sampled allocation%n", samples, allocated >> 20);
  }

  static String category(List<RecordedFrame> frames) {
    for (Map<String, List<String>> pass : List.of(WORK, PART)) {
      for (RecordedFrame f : frames) {
        String type = f.getMethod().getType().getName();
        for (Map.Entry<String, List<String>> c : pass.entrySet()) {
          for (String prefix : c.getValue()) {
            if (type.startsWith(prefix)) {
              return c.getKey();
            }
          }
        }
      }
    }
    return "other (JVM, JDK)";
  }
}
