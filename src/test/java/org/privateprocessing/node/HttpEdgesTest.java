package org.privateprocessing.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.privateprocessing.api.Problem;

/**
 * Every HTTP listener of a node (relay, gateway, issuer, log, the enclave's RA-TLS) against
 * malformed HTTP sent byte for byte: each gets a 4xx problem, or a closed connection where Vert.x
 * answers before any handler can; the log gets no stack trace and at most one line per request;
 * connections that never finish a request are closed within the configured deadlines.
 */
class HttpEdgesTest {
  /** Short deadlines, so the slow-client tests take seconds; the defaults are 10 s and 30 s. */
  private static final int HEADER_READ_MS = 1_000;

  private static final int BODY_READ_MS = 1_500;
  private static final int IDLE_MS = 3_000;

  /** How long past a deadline a connection may take to be closed (timers, a loaded machine). */
  private static final int SLACK_MS = 1_500;

  private static final String HOST = "Host: localhost\r\n";

  private static Vertx vertx;
  private static List<Listener> listeners;
  private static final Logger CORE = Logger.getLogger("org.privateprocessing.core");
  private static Level coreLevel;

  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /**
   * One listener under test: where it is, and a route of it that reads a body (so framing errors
   * reach a body handler) with the media type that route takes.
   */
  record Listener(String name, int port, boolean tls, String postPath, String postType) {}

  /** What a case may get: a 4xx problem, or Vert.x's own bare 501 and a closed connection. */
  enum Expect {
    PROBLEM,
    /**
     * A request line that parses but names an HTTP version other than 1.0 and 1.1 (HTTP/9.9,
     * HTTP/2.0): Vert.x answers 501 with no body and closes, in its own request dispatcher, before
     * the listener's handlers; Vert.x 5 has no hook there (only WebSocket handlers bypass it).
     */
    VERSION_REFUSED_BY_VERTX
  }

  record Case(String name, Function<Listener, byte[]> request, Expect expect) {}

  @BeforeAll
  static void startNode() throws Exception {
    vertx = Vertx.vertx();
    int tlsPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      tlsPort = free.getLocalPort();
    }
    JsonObject conf =
        DemoConf.allInOne()
            .put(
                "http",
                new JsonObject()
                    .put("headerReadTimeoutMs", HEADER_READ_MS)
                    .put("bodyReadTimeoutMs", BODY_READ_MS)
                    .put("idleTimeoutMs", IDLE_MS))
            .put("attestation", new JsonObject().put("tlsPort", tlsPort))
            .put("enclave", new JsonObject().put("id", "ed9e000000000001"));
    Node.Running node = PrivatePathTest.await(Node.start(vertx, Role.ALL, conf));
    listeners =
        List.of(
            new Listener("relay", node.relayPort(), false, "/", "message/ohttp-req"),
            new Listener("gateway", node.gatewayPort(), false, "/ohttp", "message/ohttp-req"),
            new Listener(
                "issuer",
                node.issuerPort(),
                false,
                "/token-request",
                "application/private-token-request"),
            new Listener("log", node.logPort(), false, "/entries", "application/json"),
            new Listener("enclave RA-TLS", tlsPort, true, "/v1/summarize", "application/json"));
    coreLevel = CORE.getLevel();
  }

  @AfterAll
  static void stopNode() throws Exception {
    PrivatePathTest.await(vertx.close());
  }

  @BeforeEach
  void captureLog() {
    // Our own lines for a client's mistakes are at FINE: capture them too, to hold them to the
    // same rule (one line, no stack trace) as what an operator sees at INFO.
    CORE.setLevel(Level.FINE);
    capture.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void releaseLog() {
    Logger.getLogger("").removeHandler(capture);
    CORE.setLevel(coreLevel);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Case get(String name, String requestLineAndHeaders) {
    return new Case(name, l -> ascii(requestLineAndHeaders), Expect.PROBLEM);
  }

  /** A POST to the listener's body route, with its media type, these headers and this body. */
  private static Case post(String name, String headers, String body) {
    return new Case(
        name,
        l ->
            ascii(
                "POST "
                    + l.postPath()
                    + " HTTP/1.1\r\n"
                    + HOST
                    + "Content-Type: "
                    + l.postType()
                    + "\r\n"
                    + headers
                    + "\r\n"
                    + body),
        Expect.PROBLEM);
  }

  private static Case chunked(String name, String body) {
    return post(name, "Transfer-Encoding: chunked\r\n", body);
  }

  /** The malformed requests, by the part of HTTP/1.1 (RFC 9112) they break. */
  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // Request target (RFC 9112 section 3.2, RFC 3986 section 2.1).
    cases.add(get("percent-escape not hex: /%zz", "GET /%zz HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("percent-escape cut short: /%4", "GET /%4 HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("lone percent at the end", "GET /a% HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("broken escape in the query", "GET /?a=%zz HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("escaped dot segments", "GET /%2e%2e/%2e%2e/x HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("escaped NUL: /%00", "GET /%00 HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("raw NUL byte in the target", "GET /a\0b HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("control byte in the target", "GET /a\u0001 HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("DEL in the target", "GET /a\u007f HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(
        get("non-ASCII bytes in the target", "GET /\u00ff\u00fe HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("space inside the target", "GET /a b HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("asterisk form", "GET * HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(
        get(
            "absolute form, broken escape",
            "GET http://localhost/%zz HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("target without a leading slash", "GET foo HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("empty target", "GET  HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(
        get("request line over the limit", "GET /" + "a".repeat(8_000) + " HTTP/1.1\r\n\r\n"));
    // Method.
    cases.add(get("method with a separator", "G=T / HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("unknown method", "BREW / HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("lower-case method", "get / HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("CONNECT elsewhere", "CONNECT example.com:443 HTTP/1.1\r\n" + HOST + "\r\n"));
    cases.add(get("method over the limit", "A".repeat(5_000) + " / HTTP/1.1\r\n" + HOST + "\r\n"));
    // Version.
    cases.add(get("no version (HTTP/0.9 style)", "GET /\r\n\r\n"));
    cases.add(get("version with letters", "GET / HTTP/x.y\r\n" + HOST + "\r\n"));
    // Netty reads any "<token>/<digit>.<digit>" as a version; Vert.x refuses all but 1.0 and 1.1.
    for (String version : List.of("HTTP/9.9", "HTTP/1.2", "HTTP/2.0", "HTTX/1.1", "http/1.1")) {
      cases.add(
          new Case(
              "unsupported version " + version,
              l -> ascii("GET / " + version + "\r\n" + HOST + "\r\n"),
              Expect.VERSION_REFUSED_BY_VERTX));
    }
    // Header fields (RFC 9112 section 5, RFC 9110 section 5).
    cases.add(get("header without a colon", "GET / HTTP/1.1\r\nHost localhost\r\n\r\n"));
    cases.add(get("space before the colon", "GET / HTTP/1.1\r\nHost : localhost\r\n\r\n"));
    cases.add(get("NUL in a header value", "GET / HTTP/1.1\r\n" + HOST + "X-A: a\0b\r\n\r\n"));
    cases.add(get("NUL in a header name", "GET / HTTP/1.1\r\n" + HOST + "X-\0A: b\r\n\r\n"));
    cases.add(
        get("control byte in a header name", "GET / HTTP/1.1\r\n" + HOST + "X-\u0001: b\r\n\r\n"));
    cases.add(get("separator in a header name", "GET / HTTP/1.1\r\n" + HOST + "X(A): b\r\n\r\n"));
    cases.add(get("empty header name", "GET / HTTP/1.1\r\n" + HOST + ": b\r\n\r\n"));
    cases.add(get("obsolete line folding", "GET / HTTP/1.1\r\n" + HOST + "X-A: a\r\n b\r\n\r\n"));
    cases.add(
        get(
            "one header over the limit",
            "GET / HTTP/1.1\r\n" + HOST + "X-A: " + "a".repeat(10_000) + "\r\n\r\n"));
    StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n" + HOST);
    for (int i = 0; i < 1_500; i++) {
      many.append("X-").append(i).append(": v\r\n");
    }
    cases.add(get("1,500 headers", many.append("\r\n").toString()));
    cases.add(get("no Host header", "GET / HTTP/1.1\r\n\r\n"));
    cases.add(get("two Host headers", "GET / HTTP/1.1\r\n" + HOST + "Host: other\r\n\r\n"));
    cases.add(get("bare LF line ends", "GET / HTTP/1.1\nHost: localhost\n\n"));
    cases.add(get("bare CR line ends", "GET / HTTP/1.1\rHost: localhost\r\r\n\r\n"));
    cases.add(
        get(
            "binary garbage",
            "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n"));
    cases.add(
        get(
            "WebSocket upgrade",
            "GET / HTTP/1.1\r\n"
                + HOST
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"));
    cases.add(
        get(
            "h2c upgrade with broken settings",
            "GET / HTTP/1.1\r\n"
                + HOST
                + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: !!!\r\n\r\n"));
    // Body framing (RFC 9112 sections 6 and 7).
    cases.add(chunked("chunk size not hex", "zz\r\nabc\r\n0\r\n\r\n"));
    cases.add(chunked("chunk size overflows", "ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n"));
    cases.add(chunked("chunk without its CRLF", "3\r\nabcXY0\r\n\r\n"));
    cases.add(chunked("chunk extension with a NUL", "3;\0\r\nabc\r\n0\r\n\r\n"));
    cases.add(chunked("negative chunk size", "-3\r\nabc\r\n0\r\n\r\n"));
    cases.add(post("Content-Length not a number", "Content-Length: abc\r\n", "abc"));
    cases.add(post("negative Content-Length", "Content-Length: -1\r\n", "abc"));
    cases.add(
        post("two different Content-Lengths", "Content-Length: 3\r\nContent-Length: 4\r\n", "abc"));
    cases.add(
        post(
            "Content-Length with chunked",
            "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
            "3\r\nabc\r\n0\r\n\r\n"));
    cases.add(post("unknown Transfer-Encoding", "Transfer-Encoding: gzip\r\n", "abc"));
    cases.add(post("unknown expectation", "Expect: 100-bogus\r\nContent-Length: 3\r\n", "abc"));
    return cases;
  }

  /** What one listener answered to one case, with what it logged meanwhile. */
  record Outcome(String listener, Case c, RawHttp.Reply reply, List<LogRecord> log) {}

  private Outcome run(Listener l, Case c) throws IOException {
    int before = logged.size();
    RawHttp.Reply reply = RawHttp.exchange(l.port(), l.tls(), c.request().apply(l), 5_000);
    return new Outcome(l.name(), c, reply, List.copyOf(logged.subList(before, logged.size())));
  }

  /** What a stretch of log amounts to, as an operator would see it (INFO and above) and all. */
  record LogFigures(int lines, int infoLines, long infoBytes, int stackTraces) {
    static LogFigures of(List<LogRecord> records) {
      java.util.logging.SimpleFormatter format = new java.util.logging.SimpleFormatter();
      int info = 0;
      long bytes = 0;
      int traces = 0;
      for (LogRecord r : records) {
        if (r.getLevel().intValue() >= Level.INFO.intValue()) {
          info++;
          bytes += format.format(r).getBytes(StandardCharsets.UTF_8).length;
        }
        if (r.getThrown() != null) {
          traces++;
        }
      }
      return new LogFigures(records.size(), info, bytes, traces);
    }

    @Override
    public String toString() {
      return lines
          + " log lines ("
          + infoLines
          + " at INFO or above, "
          + infoBytes
          + " bytes), "
          + stackTraces
          + " stack traces";
    }
  }

  private static boolean isProblem(RawHttp.Reply r) {
    return r.status() >= 400
        && r.status() < 500
        && Problem.MEDIA_TYPE.equals(r.header("content-type"));
  }

  @Test
  @DisplayName(
      "each listener answers every malformed request with a 4xx problem (or Vert.x's 501 and a"
          + " close for an unknown HTTP version), logging at most one line and no stack trace")
  void malformedRequestsGetProblems() throws Exception {
    List<Case> cases = cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(45);
    List<Outcome> outcomes = new ArrayList<>();
    for (Listener l : listeners) {
      for (Case c : cases) {
        outcomes.add(run(l, c));
      }
    }
    Thread.sleep(200); // lines logged as a connection closes, after its reply was read
    Map<String, List<String>> byCase = new java.util.LinkedHashMap<>();
    int bare = 0;
    int serverErrors = 0;
    int versions = 0;
    for (Outcome o : outcomes) {
      byCase.computeIfAbsent(o.c().name(), k -> new ArrayList<>()).add(o.reply().toString());
      if (!isProblem(o.reply())) {
        bare++;
      }
      if (o.reply().status() >= 500) {
        serverErrors++;
      }
      if (o.c().expect() == Expect.VERSION_REFUSED_BY_VERTX) {
        versions++;
      }
    }
    byCase.forEach((name, replies) -> System.out.println(name + " -> " + replies));
    System.out.printf(
        "malformed HTTP: %d cases x %d listeners = %d requests: %d without a problem body (%d of"
            + " them unknown HTTP versions), %d 5xx; %s%n",
        cases.size(),
        listeners.size(),
        outcomes.size(),
        bare,
        versions,
        serverErrors,
        LogFigures.of(logged));

    for (Outcome o : outcomes) {
      RawHttp.Reply r = o.reply();
      String what = o.listener() + ": " + o.c().name();
      if (o.c().expect() == Expect.VERSION_REFUSED_BY_VERTX) {
        assertThat(r.status()).as(what).isEqualTo(501);
        assertThat(r.closed()).as(what + " closed").isTrue();
        continue;
      }
      assertThat(isProblem(r)).as(what + " -> " + r).isTrue();
      Problem problem = Problem.parse(r.body());
      assertThat(problem.status()).isEqualTo(r.status());
      assertThat(problem.detail()).isNotBlank();
      assertThat(o.log()).as(what + " log").hasSizeLessThanOrEqualTo(1);
    }
    assertNoStackTraceAndOneLineEach(logged, outcomes.size());
  }

  private static void assertNoStackTraceAndOneLineEach(List<LogRecord> records, int requests) {
    assertThat(records).hasSizeLessThanOrEqualTo(requests);
    for (LogRecord r : records) {
      assertThat(r.getThrown()).as("stack trace logged by " + r.getLoggerName()).isNull();
      String message = new java.util.logging.SimpleFormatter().formatMessage(r);
      assertThat(message).as("one line from " + r.getLoggerName()).doesNotContain("\n");
    }
  }

  @Test
  @DisplayName("100 x GET /%zz on each listener: 100 problems each, no stack trace, no INFO line")
  void brokenEscapeFloodDoesNotFillTheLog() throws Exception {
    for (Listener l : listeners) {
      int before = logged.size();
      int problems = 0;
      for (int i = 0; i < 100; i++) {
        RawHttp.Reply r =
            RawHttp.exchange(
                l.port(),
                l.tls(),
                ("GET /%zz HTTP/1.1\r\n" + HOST + "\r\n").getBytes(StandardCharsets.ISO_8859_1),
                2_000,
                0);
        if (r.status() == 400
            && isProblem(r)
            && Problem.parse(r.body()).type().endsWith(":http-400")) {
          problems++;
        }
      }
      Thread.sleep(100);
      List<LogRecord> lines = List.copyOf(logged.subList(before, logged.size()));
      System.out.printf(
          "%s: 100 x GET /%%zz -> %d 400 problems, %s%n", l.name(), problems, LogFigures.of(lines));
      assertThat(problems).as(l.name()).isEqualTo(100);
      assertThat(LogFigures.of(lines).infoLines()).as(l.name()).isZero();
      assertNoStackTraceAndOneLineEach(lines, 100);
    }
  }

  @Test
  @DisplayName(
      "slow clients: connections that never finish their headers (or send nothing, or start no TLS"
          + " handshake) are closed within the header-read deadline")
  void slowHeadersAreCut() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try {
      long opened = System.nanoTime();
      for (Listener l : listeners) {
        for (int i = 0; i < 20; i++) {
          // Half send a partial header, half send nothing at all; TCP only for the TLS listener's
          // "nothing" half (a client that never starts its handshake).
          Socket s =
              i % 2 == 0 ? RawHttp.open(l.port(), l.tls()) : new Socket("127.0.0.1", l.port());
          if (i % 2 == 0) {
            s.getOutputStream().write(ascii("GET / HTTP/1.1\r\n" + HOST + "X-Slow: "));
            s.getOutputStream().flush();
          }
          sockets.add(s);
          names.add(l.name() + (i % 2 == 0 ? " partial header" : " silent"));
        }
      }
      // Trickle a byte on the partial ones every 200 ms: bytes keep arriving, so an idle timeout
      // alone would never fire.
      // Each connection's deadline runs from its own opening; counted from the last one opened, so
      // TLS handshakes that take long on a loaded machine do not eat the slack.
      long lastOpened = System.nanoTime();
      int open = sockets.size();
      long deadline = lastOpened + (HEADER_READ_MS + SLACK_MS) * 1_000_000L;
      boolean[] closed = new boolean[sockets.size()];
      while (System.nanoTime() < deadline && open > 0) {
        for (int i = 0; i < sockets.size(); i++) {
          if (closed[i]) {
            continue;
          }
          if (i % 2 == 0) {
            try {
              OutputStream out = sockets.get(i).getOutputStream();
              out.write('a');
              out.flush();
            } catch (IOException gone) {
              closed[i] = true;
              open--;
              continue;
            }
          }
          if (RawHttp.closedWithin(sockets.get(i), 1)) {
            closed[i] = true;
            open--;
          }
        }
        Thread.sleep(200);
      }
      List<String> stillOpen = new ArrayList<>();
      for (int i = 0; i < sockets.size(); i++) {
        if (!closed[i]) {
          stillOpen.add(names.get(i));
        }
      }
      System.out.printf(
          "slow clients: %d of %d still open %d ms after the last was opened (opening took %d ms;"
              + " header-read deadline %d ms)%n",
          stillOpen.size(),
          sockets.size(),
          HEADER_READ_MS + SLACK_MS,
          (lastOpened - opened) / 1_000_000,
          HEADER_READ_MS);
      assertThat(stillOpen).isEmpty();
      assertNoStackTraceAndOneLineEach(logged, sockets.size());
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  @DisplayName("a body that stops arriving is cut at the body-read deadline")
  void slowBodiesAreCut() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (Listener l : listeners) {
        Socket s = RawHttp.open(l.port(), l.tls());
        s.getOutputStream()
            .write(
                ascii(
                    "POST "
                        + l.postPath()
                        + " HTTP/1.1\r\n"
                        + HOST
                        + "Content-Type: "
                        + l.postType()
                        + "\r\nContent-Length: 1000\r\n\r\n{\"a\":"));
        s.getOutputStream().flush();
        sockets.add(s);
      }
      long start = System.nanoTime();
      for (int i = 0; i < sockets.size(); i++) {
        long left = BODY_READ_MS + SLACK_MS - (System.nanoTime() - start) / 1_000_000;
        assertThat(RawHttp.closedWithin(sockets.get(i), (int) Math.max(1, left)))
            .as(listeners.get(i).name())
            .isTrue();
      }
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(BODY_READ_MS / 2);
      assertNoStackTraceAndOneLineEach(logged, sockets.size());
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  @DisplayName(
      "a kept-alive connection outlives the header-read deadline after an answer, and is closed"
          + " when no next request comes within the idle timeout")
  void keptAliveConnectionsCloseWhenIdle() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    List<Long> answered = new ArrayList<>();
    try {
      for (Listener l : listeners) {
        Socket s = RawHttp.open(l.port(), l.tls());
        s.setSoTimeout(5_000);
        s.getOutputStream().write(ascii("GET /nowhere HTTP/1.1\r\n" + HOST + "\r\n"));
        s.getOutputStream().flush();
        RawHttp.Reply first = RawHttp.read(s);
        answered.add(System.nanoTime());
        assertThat(first.status()).as(l.name()).isEqualTo(404);
        assertThat(first.closed()).as(l.name()).isFalse();
        sockets.add(s);
      }
      for (int i = 0; i < sockets.size(); i++) {
        sleepUntil(answered.get(i) + (HEADER_READ_MS + 500) * 1_000_000L);
        assertThat(RawHttp.closedWithin(sockets.get(i), 1))
            .as(listeners.get(i).name() + " closed at the header deadline")
            .isFalse();
      }
      for (int i = 0; i < sockets.size(); i++) {
        long left = IDLE_MS + SLACK_MS - (System.nanoTime() - answered.get(i)) / 1_000_000;
        assertThat(RawHttp.closedWithin(sockets.get(i), (int) Math.max(1, left)))
            .as(listeners.get(i).name())
            .isTrue();
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long ms = (nanoTime - System.nanoTime()) / 1_000_000;
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }
}
