package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} in its own JVM with a real environment: a {@code PP_<SECTION>_<KEY>} variable
 * overrides the file, a bad one is refused naming the variable, and the relay starts with the
 * default config (which names a transparency log) without asking for a publisher key.
 */
class ServeEnvironmentTest {
  @TempDir Path dir;

  private Process serve(Map<String, String> env) throws Exception {
    Path conf = dir.resolve("all-in-one.json");
    Files.copy(Path.of("conf", "all-in-one.json"), conf);
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--role",
                "relay",
                "--conf",
                conf.toString()));
    pb.directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("PP_"));
    // The admin listener on a free port: another node may hold the default 9090.
    pb.environment().put("PP_ADMIN_PORT", "0");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    return pb.start();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  @DisplayName("PP_RELAY_PORT moves the relay of the default config; it needs no publisher key")
  void variableOverridesTheFile() throws Exception {
    int port = freePort();
    Process p = serve(Map.of("PP_RELAY_PORT", String.valueOf(port)));
    try {
      StringBuilder seen = new StringBuilder();
      CompletableFuture<Boolean> serving =
          CompletableFuture.supplyAsync(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    seen.append(line).append('\n');
                    if (line.contains("serving role relay")) {
                      return true;
                    }
                  }
                  return false;
                } catch (java.io.IOException e) {
                  return false;
                }
              });
      assertThat(serving.get(120, TimeUnit.SECONDS)).as(seen.toString()).isTrue();
      assertThat(seen.toString())
          .contains("--relay http://127.0.0.1:" + port)
          .doesNotContain("publisherKeyFile");
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        assertThat(s.isConnected()).isTrue();
      }
    } finally {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  @DisplayName("a bad value in PP_RELAY_PORT is one line naming the variable, exit 2")
  void badVariableIsNamed() throws Exception {
    Process p = serve(Map.of("PP_RELAY_PORT", "abc"));
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out)
        .contains(
            "error: environment variable PP_RELAY_PORT (relay.port): expected an integer"
                + " (0..65535), got \"abc\"")
        .doesNotContain("\tat ");
  }
}
