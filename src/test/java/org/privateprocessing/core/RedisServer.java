package org.privateprocessing.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's, 7.x) on 127.0.0.1, a free port and its own directory, with
 * the append-only file on, for tests. {@link #kill} is SIGKILL; {@link #start} again reuses the
 * port and directory, so what Redis persisted is back.
 */
public final class RedisServer implements AutoCloseable {
  /** Where Debian installs it. */
  public static final Path BINARY = Path.of("/usr/bin/redis-server");

  private final Path dir;
  private final int port;
  private final List<String> extra;
  private Process process;

  private RedisServer(Path dir, int port, List<String> extra) {
    this.dir = dir;
    this.port = port;
    this.extra = extra;
  }

  /** Skips the calling test, saying what to install, when redis-server is missing. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(
        Files.isExecutable(BINARY) || onPath(),
        "redis-server is not installed (apt-get install -y redis-server); .ci/run installs it");
  }

  private static boolean onPath() {
    for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!p.isEmpty() && Files.isExecutable(Path.of(p, "redis-server"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Starts one in {@code dir} with {@code appendfsync} = {@code fsync} and {@code extra} arguments
   * (e.g. {@code --requirepass x}, or {@code --appendonly no}).
   */
  public static RedisServer start(Path dir, String fsync, String... extra) throws Exception {
    assumeInstalled();
    List<String> args = new ArrayList<>(List.of("--appendfsync", fsync));
    args.addAll(List.of(extra));
    RedisServer r = new RedisServer(dir, freePort(), args);
    r.start();
    return r;
  }

  /** (Re)starts the server on the same port and directory; returns once it accepts connections. */
  public void start() throws Exception {
    Files.createDirectories(dir);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Files.isExecutable(BINARY) ? BINARY.toString() : "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--daemonize",
                "no",
                "--protected-mode",
                "yes"));
    cmd.addAll(extra);
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.out").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited: " + Files.readString(dir.resolve("redis.out")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + port + " within 30 s");
  }

  /** SIGKILL: no shutdown, no last fsync. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the server keeps its connections and answers nothing (a hung Redis). */
  public void pause() throws Exception {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String sig) throws Exception {
    new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid()))
        .inheritIO()
        .start()
        .waitFor(10, TimeUnit.SECONDS);
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      resume();
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
