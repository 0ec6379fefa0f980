package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.Tone;
import org.privateprocessing.client.ClientOptions;
import org.privateprocessing.client.PrivateProcessingClient;
import org.privateprocessing.client.TrustFiles;

/**
 * Statelessness, checked where it matters: the enclave runs in its own JVM; this test sends it a
 * chat and a draft carrying a unique canary, waits for the answers, then has the JVM dump its live
 * objects (which forces a full GC) and searches the dump for the canary, in Latin-1/UTF-8 and
 * UTF-16. Anything of the request still reachable after its response (a cache, a log buffer, a
 * recycled parser buffer) would be found.
 */
class CanaryHeapTest {
  @TempDir Path dir;
  private Process server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Path javaTool(String name) {
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    return java.resolveSibling(name);
  }

  private void startEnclaveJvm(int relay, int gateway, int issuer) throws Exception {
    Path conf = dir.resolve("conf.json");
    Files.writeString(
        conf,
        "{\"profile\":\"demo\",\"attestation\":{\"tlsPort\":0},\"log\":{\"port\":0},\"dataDir\":\""
            + dir.resolve("data")
            + "\",\"relay\":{\"port\":"
            + relay
            + ",\"gatewayUrl\":\"http://127.0.0.1:"
            + gateway
            + "\"},"
            + "\"gateway\":{\"port\":"
            + gateway
            + "},\"issuer\":{\"port\":"
            + issuer
            + "},\"enclave\":{\"id\":\"ca0a1e\"}}");
    List<String> command =
        new ArrayList<>(
            List.of(
                javaTool("java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "org.privateprocessing.cli.Main",
                "serve",
                "--conf",
                conf.toString()));
    server =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), relay)) {
        return;
      } catch (IOException notYet) {
        assertThat(server.isAlive())
            .as("server JVM exited: %s", Files.readString(dir.resolve("server.log")))
            .isTrue();
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the server JVM did not open its relay port in time");
  }

  @Test
  @DisplayName("after answering, the enclave JVM holds no live copy of the request's content")
  void noCanaryInTheEnclaveHeap() throws Exception {
    int relay = freePort();
    int gateway = freePort();
    int issuer = freePort();
    startEnclaveJvm(relay, gateway, issuer);

    // The server writes its demo trust fragments after its listeners open, then says "serving
    // role".
    for (int i = 0;
        i < 300 && !Files.readString(dir.resolve("server.log")).contains("serving role");
        i++) {
      Thread.sleep(100);
    }
    String canary = "CANARY" + UUID.randomUUID().toString().replace("-", "");
    Vertx vertx = Vertx.vertx();
    try (PrivateProcessingClient client =
        PrivateProcessingClient.create(
            vertx,
            ClientOptions.forRelay("http://127.0.0.1:" + relay)
                .withIssuer("http://127.0.0.1:" + issuer, "demo")
                .withTrust(TrustFiles.load(dir.resolve("data").resolve("trust")).trust()))) {
      Chat chat = new Chat("c1", "Canary chat", false);
      SummarizeRequest summarize =
          new SummarizeRequest(
              chat,
              List.of(
                  new ChatMessage(
                      "m1",
                      "Ann",
                      null,
                      "The secret word is " + canary + " and nobody may keep it."),
                  new ChatMessage(
                      "m2", "Bob", null, "Understood, " + canary + " stays between us.")),
              2);
      assertThat(PrivatePathTest.await(client.summarize(summarize)).summary()).contains(canary);
      assertThat(
              PrivatePathTest.await(
                      client.suggest(new SuggestRequest(chat, "pls forget " + canary, Tone.FORMAL)))
                  .suggestions())
          .isNotEmpty();
    } finally {
      PrivatePathTest.await(vertx.close());
    }

    Path dump = dir.resolve("enclave.hprof");
    Process jcmd =
        new ProcessBuilder(
                javaTool("jcmd").toString(),
                Long.toString(server.pid()),
                "GC.heap_dump",
                dump.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String jcmdOutput = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jcmd.exitValue()).as(jcmdOutput).isZero();
    assertThat(dump).exists();

    byte[] heap = Files.readAllBytes(dump);
    assertThat(heap.length).as("a real heap dump").isGreaterThan(1_000_000);
    // Control: the dump does hold strings the server keeps live, so a miss below means something.
    assertThat(
            indexOf(heap, "issuer.private-processing.local".getBytes(StandardCharsets.ISO_8859_1)))
        .as("control string found in the dump")
        .isGreaterThanOrEqualTo(0);
    assertThat(indexOf(heap, canary.getBytes(StandardCharsets.ISO_8859_1)))
        .as("canary (Latin-1/UTF-8)")
        .isEqualTo(-1);
    assertThat(indexOf(heap, canary.getBytes(StandardCharsets.UTF_16BE)))
        .as("canary (UTF-16BE)")
        .isEqualTo(-1);
    assertThat(indexOf(heap, canary.getBytes(StandardCharsets.UTF_16LE)))
        .as("canary (UTF-16LE)")
        .isEqualTo(-1);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (haystack[i] != needle[0]) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
