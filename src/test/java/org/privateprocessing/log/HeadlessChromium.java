package org.privateprocessing.log;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real headless Chromium (Debian's {@code chromium-headless-shell} or {@code chromium}) driven
 * over the Chrome DevTools Protocol on a loopback WebSocket: open a tab, navigate, evaluate
 * JavaScript, wait for a condition, take a screenshot. The protocol is JSON messages with ids; this
 * client sends one command at a time per caller and keeps every console message and uncaught
 * exception the page produced, so a test can assert there were none (a Content-Security-Policy
 * violation is one).
 */
final class HeadlessChromium implements AutoCloseable {
  private static final List<String> CANDIDATES =
      List.of(
          "/usr/bin/chromium-headless-shell",
          "/usr/lib/chromium/headless_shell",
          "/usr/bin/chromium",
          "/usr/bin/chromium-browser");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private String session;

  private HeadlessChromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /** The browser binary: {@code $PP_CHROMIUM}, else the first Debian path that exists. */
  static Optional<Path> binary() {
    String env = System.getenv("PP_CHROMIUM");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env)).filter(Files::isExecutable);
    }
    return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
  }

  /** Starts the browser with a fresh profile in {@code profile} and opens one blank tab. */
  static HeadlessChromium start(Path binary, Path profile) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.add("--headless");
    cmd.add("--no-sandbox"); // tests run as root in CI containers, where the sandbox cannot start
    cmd.add("--disable-gpu");
    cmd.add("--disable-dev-shm-usage");
    cmd.add("--no-first-run");
    cmd.add("--no-default-browser-check");
    cmd.add("--disable-extensions");
    cmd.add("--disable-background-networking");
    cmd.add("--disable-component-update");
    cmd.add("--disable-sync");
    cmd.add("--metrics-recording-only");
    cmd.add("--remote-debugging-address=127.0.0.1");
    cmd.add("--remote-debugging-port=0");
    cmd.add("--user-data-dir=" + profile);
    // Names under .test reach 127.0.0.1 without DNS: an origin that is not "potentially
    // trustworthy" to the browser (no secure context), yet still on loopback.
    cmd.add("--host-resolver-rules=MAP *.test 127.0.0.1");
    cmd.add("--window-size=1280,900");
    cmd.add("about:blank");
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    // A test JVM that exits without close() takes the browser (and its children) with it.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  p.descendants().forEach(ProcessHandle::destroyForcibly);
                  p.destroyForcibly();
                }));
    CompletableFuture<String> endpoint = new CompletableFuture<>();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                  int at = line.indexOf("ws://");
                  if (line.startsWith("DevTools listening on") && at >= 0) {
                    endpoint.complete(line.substring(at).trim());
                  }
                }
              } catch (IOException ignored) {
                // the browser went away
              }
              endpoint.completeExceptionally(
                  new IOException("the browser exited before listening: " + lines));
            },
            "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    String ws;
    try {
      ws = endpoint.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
    if (!ws.startsWith("ws://127.0.0.1:")) {
      p.destroyForcibly();
      throw new IOException("the browser listens off loopback: " + ws);
    }
    HeadlessChromium[] self = new HeadlessChromium[1];
    Listener listener = new Listener(self);
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .buildAsync(URI.create(ws), listener)
            .get(60, TimeUnit.SECONDS);
    HeadlessChromium chromium = new HeadlessChromium(p, socket);
    chromium.stderr.addAll(lines);
    self[0] = chromium;
    chromium.openTab();
    return chromium;
  }

  private void openTab() throws Exception {
    String target =
        command(null, "Target.createTarget", new JsonObject().put("url", "about:blank"))
            .getString("targetId");
    session =
        command(
                null,
                "Target.attachToTarget",
                new JsonObject().put("targetId", target).put("flatten", true))
            .getString("sessionId");
    command("Page.enable", new JsonObject());
    command("Runtime.enable", new JsonObject());
    command("Log.enable", new JsonObject());
    command(
        "Emulation.setDeviceMetricsOverride",
        new JsonObject()
            .put("width", 1280)
            .put("height", 900)
            .put("deviceScaleFactor", 1)
            .put("mobile", false));
  }

  /** Sends a command to the tab and waits for its result. */
  JsonObject command(String method, JsonObject params) throws Exception {
    return command(session, method, params);
  }

  private JsonObject command(String sessionId, String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    JsonObject msg = new JsonObject().put("id", id).put("method", method).put("params", params);
    if (sessionId != null) {
      msg.put("sessionId", sessionId);
    }
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    pending.put(id, reply);
    synchronized (socket) {
      socket.sendText(msg.encode(), true).get(30, TimeUnit.SECONDS);
    }
    JsonObject answer = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (answer.containsKey("error")) {
      throw new IllegalStateException(method + " failed: " + answer.getJsonObject("error"));
    }
    return answer.getJsonObject("result", new JsonObject());
  }

  /** Opens {@code url} in the tab (returns once navigation started; wait for the page's state). */
  void navigate(String url) throws Exception {
    JsonObject r = command("Page.navigate", new JsonObject().put("url", url));
    if (r.containsKey("errorText")) {
      throw new IllegalStateException(
          "navigation to " + url + " failed: " + r.getString("errorText"));
    }
  }

  /**
   * Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value, as
   * the protocol's JSON value (String, Boolean, Number, JsonObject, JsonArray or null).
   */
  Object evaluate(String expression) throws Exception {
    JsonObject r =
        command(
            "Runtime.evaluate",
            new JsonObject()
                .put("expression", expression)
                .put("awaitPromise", true)
                .put("returnByValue", true));
    if (r.containsKey("exceptionDetails")) {
      throw new IllegalStateException(
          "the page threw: " + r.getJsonObject("exceptionDetails").encode());
    }
    return r.getJsonObject("result").getValue("value");
  }

  /** The string value of an expression. */
  String string(String expression) throws Exception {
    Object v = evaluate(expression);
    return v == null ? null : v.toString();
  }

  /** Polls an expression until it is true, at most {@code timeout}. */
  void waitFor(String expression, Duration timeout) throws Exception {
    waitUntil(
        () -> {
          try {
            return Boolean.TRUE.equals(evaluate(expression));
          } catch (Exception e) {
            return false; // the page is between documents
          }
        },
        timeout,
        expression);
  }

  private static void waitUntil(BooleanSupplier condition, Duration timeout, String what)
      throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /** A PNG of the whole page (beyond the window), written to {@code file}. */
  void screenshot(Path file) throws Exception {
    JsonObject metrics = command("Page.getLayoutMetrics", new JsonObject());
    JsonObject size = metrics.getJsonObject("cssContentSize");
    JsonObject clip =
        new JsonObject()
            .put("x", 0)
            .put("y", 0)
            .put("width", Math.max(1, size.getDouble("width")))
            .put("height", Math.min(16_000, Math.max(1, size.getDouble("height"))))
            .put("scale", 1);
    JsonObject r =
        command(
            "Page.captureScreenshot",
            new JsonObject()
                .put("format", "png")
                .put("captureBeyondViewport", true)
                .put("clip", clip));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(r.getString("data")));
  }

  /**
   * Console errors, log entries at error level (CSP violations, failed loads) and uncaught
   * exceptions the page produced so far.
   */
  List<String> problems() {
    return List.copyOf(problems);
  }

  void clearProblems() {
    problems.clear();
  }

  private void event(JsonObject msg) {
    String method = msg.getString("method", "");
    JsonObject params = msg.getJsonObject("params", new JsonObject());
    switch (method) {
      case "Runtime.exceptionThrown" ->
          problems.add("exception: " + params.getJsonObject("exceptionDetails").encode());
      case "Runtime.consoleAPICalled" -> {
        String type = params.getString("type");
        if ("error".equals(type) || "warning".equals(type) || "assert".equals(type)) {
          JsonArray args = params.getJsonArray("args", new JsonArray());
          problems.add("console." + type + ": " + args.encode());
        }
      }
      case "Log.entryAdded" -> {
        JsonObject entry = params.getJsonObject("entry");
        if ("error".equals(entry.getString("level"))
            || "warning".equals(entry.getString("level"))) {
          problems.add(
              "log "
                  + entry.getString("source")
                  + ": "
                  + entry.getString("text")
                  + " "
                  + entry.getString("url", ""));
        }
      }
      default -> {}
    }
  }

  @Override
  public void close() throws Exception {
    try {
      command(null, "Browser.close", new JsonObject());
    } catch (Exception ignored) {
      // it may close the socket before answering
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    socket.abort();
  }

  /** Collects fragmented text frames into messages and routes replies and events. */
  private static final class Listener implements WebSocket.Listener {
    private final HeadlessChromium[] owner;
    private final StringBuilder partial = new StringBuilder();

    Listener(HeadlessChromium[] owner) {
      this.owner = owner;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        JsonObject msg = new JsonObject(text);
        HeadlessChromium c = owner[0];
        if (msg.containsKey("id")) {
          CompletableFuture<JsonObject> f =
              c == null ? null : c.pending.remove(msg.getInteger("id"));
          if (f != null) {
            f.complete(msg);
          }
        } else if (c != null) {
          c.event(msg);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
