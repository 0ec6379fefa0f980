package org.privateprocessing.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.Tone;

/**
 * A model server for tests and measurements: it speaks the OpenAI-compatible chat completions API
 * ({@code POST /v1/chat/completions}, {@code "stream": true} as server-sent events or a whole JSON
 * answer) on a loopback address and writes its answer token by token at a fixed pace, so that the
 * time to the first chunk of a streamed answer can be measured without a language model.
 *
 * <p>What it answers is computed from the request by the embedded model, never a fixed text:
 *
 * <ul>
 *   <li>a request built from the {@code summarize} prompt (a {@code <<<CHAT} block of message
 *       lines): the extractive summary ({@link TextRankSummarizer}) of those messages, in at most
 *       the number of sentences the prompt asks for;
 *   <li>a request built from the {@code suggest} prompt (a {@code <<<DRAFT} block): a JSON array of
 *       the writing assistant's rewrites ({@link WritingAssistant}) in the tone the prompt names;
 *   <li>any other chat: the summary of its messages (role as sender, content as text).
 * </ul>
 *
 * <p>Tokens are a word with the white space before it; the first comes after one interval, then one
 * each interval ({@code 1 / tokensPerSecond}), scheduled from the start so that slow writes do not
 * add up. A streamed answer is a role chunk, one chunk per token, a last chunk with {@code
 * finish_reason: "stop"} and {@code data: [DONE]}; a whole answer comes after the time its tokens
 * take. Writes block while the client does not read (a slow reader slows it down).
 *
 * <p>Faults on demand, by option or per request with the header {@value #FAIL_AFTER_HEADER} (tokens
 * written before failing) and {@value #FAIL_MODE_HEADER}: {@code close} drops the connection
 * mid-answer, {@code error} sends an {@code error} event and ends the stream without {@code
 * [DONE]}. Bad requests get an OpenAI-style error object ({@code 400}, {@code 404}, {@code 405},
 * {@code 413}). It logs nothing and keeps nothing of a request.
 */
public final class PacedModelServer implements AutoCloseable {
  /** Request header: fail after this many tokens (overrides {@link Options#failAfterTokens}). */
  public static final String FAIL_AFTER_HEADER = "X-Paced-Fail-After";

  /** Request header: how to fail, {@code close} or {@code error}. */
  public static final String FAIL_MODE_HEADER = "X-Paced-Fail-Mode";

  /** Largest request body read. */
  public static final int MAX_REQUEST_BYTES = 8 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN = Pattern.compile("\\s*\\S+|\\s+$");
  private static final Pattern MAX_SENTENCES = Pattern.compile("at most (\\d{1,2}) sentences");
  private static final Pattern TONE = Pattern.compile("in an? ([a-z]+) tone");

  /** How a request fails on demand. */
  public enum FailMode {
    /** The connection is dropped mid-answer (no end of the chunked body, no {@code [DONE]}). */
    CLOSE,
    /** An {@code error} event is sent and the stream ends without {@code [DONE]}. */
    ERROR;

    /**
     * @throws IllegalArgumentException naming the allowed values
     */
    public static FailMode parse(String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "close" -> CLOSE;
        case "error" -> ERROR;
        default -> throw new IllegalArgumentException("fail mode must be close or error");
      };
    }
  }

  /**
   * Settings of a {@link PacedModelServer}.
   *
   * @param host a loopback address to listen on
   * @param port the port, 0 for any free one
   * @param tokensPerSecond the pace, 0.1 to 100000
   * @param model the model name the answers report
   * @param failAfterTokens fail every request after this many tokens, or -1 for never
   * @param failMode how to fail
   */
  public record Options(
      String host,
      int port,
      double tokensPerSecond,
      String model,
      int failAfterTokens,
      FailMode failMode) {
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** The default base URL of {@link OpenAiCompatibleModel}: it finds this server as it is. */
    public static final int DEFAULT_PORT = 8000;

    public static final double DEFAULT_TOKENS_PER_SECOND = 20;
    public static final String DEFAULT_MODEL = "paced-extractive";

    /**
     * @throws IllegalArgumentException naming the first bad setting
     */
    public Options {
      Objects.requireNonNull(host, "host");
      if (!OpenAiCompatibleModel.Options.isLoopback(host)) {
        throw new IllegalArgumentException(
            "host " + host + " is not a loopback address: the paced model listens on 127.0.0.1");
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0 to 65535");
      }
      if (!(tokensPerSecond >= 0.1 && tokensPerSecond <= 100_000)) {
        throw new IllegalArgumentException("tokens per second must be 0.1 to 100000");
      }
      if (model == null || !model.matches("[\\x21-\\x7E]{1,100}")) {
        throw new IllegalArgumentException("model must be 1 to 100 printable ASCII characters");
      }
      if (failAfterTokens < -1) {
        throw new IllegalArgumentException("fail after must be -1 (never) or a token count");
      }
      Objects.requireNonNull(failMode, "failMode");
    }

    public static Options defaults() {
      return new Options(
          DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TOKENS_PER_SECOND, DEFAULT_MODEL, -1, FailMode.CLOSE);
    }

    public Options withPort(int newPort) {
      return new Options(host, newPort, tokensPerSecond, model, failAfterTokens, failMode);
    }

    public Options withPace(double newTokensPerSecond) {
      return new Options(host, port, newTokensPerSecond, model, failAfterTokens, failMode);
    }

    public Options withFailure(int newFailAfterTokens, FailMode newFailMode) {
      return new Options(host, port, tokensPerSecond, model, newFailAfterTokens, newFailMode);
    }
  }

  /** A request the server refuses, with its status and OpenAI error type. */
  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** Thrown out of the handler to drop the connection (the JDK server closes it, logs nothing). */
  private static final class DropConnection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DropConnection() {
      super("failing on demand", null, false, false);
    }
  }

  private final Options options;
  private final HttpServer server;
  private final ExecutorService workers;
  private final TextRankSummarizer summarizer = new TextRankSummarizer();
  private final WritingAssistant assistant = new WritingAssistant();
  private final AtomicLong tokensWritten = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private PacedModelServer(Options options) throws IOException {
    this.options = options;
    this.server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getByName(options.host()), options.port()), 64);
    this.workers =
        Executors.newFixedThreadPool(
            16,
            r -> {
              Thread t = new Thread(r, "paced-model");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(workers);
    server.createContext("/", this::handle);
  }

  /**
   * Starts a server.
   *
   * @throws IOException if the address cannot be bound (the port is taken)
   */
  public static PacedModelServer start(Options options) throws IOException {
    PacedModelServer s = new PacedModelServer(Objects.requireNonNull(options, "options"));
    s.server.start();
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL to give {@link OpenAiCompatibleModel} ({@code enclave.openai.baseUrl}). */
  public URI baseUrl() {
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return URI.create("http://" + host + ":" + port());
  }

  public Options options() {
    return options;
  }

  /** Tokens written so far, over all requests. */
  public long tokensWritten() {
    return tokensWritten.get();
  }

  /** Requests received so far. */
  public long requests() {
    return requests.get();
  }

  /** Stops the server and its threads; calling it again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- requests

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    boolean drop = false;
    try {
      try {
        if (!exchange.getRequestURI().getPath().equals(OpenAiCompatibleModel.COMPLETIONS_PATH)) {
          throw new BadRequest(404, "no such endpoint: POST /v1/chat/completions only");
        }
        if (!exchange.getRequestMethod().equals("POST")) {
          exchange.getResponseHeaders().set("Allow", "POST");
          throw new BadRequest(405, "method not allowed: POST /v1/chat/completions only");
        }
        JsonNode body = readBody(exchange.getRequestBody());
        boolean stream = streamFlag(body);
        String content = answer(messages(body));
        int failAfter = failAfter(exchange);
        FailMode mode = failMode(exchange);
        List<String> tokens = tokens(content);
        if (stream) {
          stream(exchange, tokens, failAfter, mode);
        } else {
          whole(exchange, content, tokens, failAfter);
        }
      } catch (BadRequest e) {
        error(exchange, e.status, e.getMessage());
      }
    } catch (DropConnection e) {
      drop = true;
      throw e; // the JDK server then closes the connection: no end of the chunked body
    } finally {
      if (!drop) {
        exchange.close();
      }
    }
  }

  private static JsonNode readBody(InputStream in) throws IOException, BadRequest {
    byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
    if (bytes.length > MAX_REQUEST_BYTES) {
      throw new BadRequest(413, "request body is larger than " + MAX_REQUEST_BYTES + " bytes");
    }
    JsonNode body;
    try {
      body = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new BadRequest(400, "request body is not JSON"); // no parser message: it quotes
    }
    if (body == null || !body.isObject()) {
      throw new BadRequest(400, "request body must be a JSON object");
    }
    return body;
  }

  private static boolean streamFlag(JsonNode body) throws BadRequest {
    JsonNode stream = body.get("stream");
    if (stream == null || stream.isNull()) {
      return false;
    }
    if (!stream.isBoolean()) {
      throw new BadRequest(400, "stream must be true or false");
    }
    return stream.booleanValue();
  }

  /** The chat's messages as (role, content) pairs. */
  private static List<String[]> messages(JsonNode body) throws BadRequest {
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new BadRequest(400, "messages must be a non-empty array");
    }
    List<String[]> out = new ArrayList<>();
    int i = 0;
    for (JsonNode m : messages) {
      JsonNode role = m.get("role");
      JsonNode content = m.get("content");
      if (!m.isObject() || role == null || !role.isTextual() || content == null) {
        throw new BadRequest(400, "messages[" + i + "] needs a string role and a content");
      }
      if (!content.isTextual()) {
        throw new BadRequest(400, "messages[" + i + "].content must be a string");
      }
      out.add(new String[] {role.textValue(), content.textValue()});
      i++;
    }
    return out;
  }

  private int failAfter(HttpExchange exchange) throws BadRequest {
    String header = exchange.getRequestHeaders().getFirst(FAIL_AFTER_HEADER);
    if (header == null) {
      return options.failAfterTokens();
    }
    try {
      int n = Integer.parseInt(header.strip());
      if (n < -1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest(400, FAIL_AFTER_HEADER + " must be -1 (never) or a token count");
    }
  }

  private FailMode failMode(HttpExchange exchange) throws BadRequest {
    String header = exchange.getRequestHeaders().getFirst(FAIL_MODE_HEADER);
    if (header == null) {
      return options.failMode();
    }
    try {
      return FailMode.parse(header);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, FAIL_MODE_HEADER + " must be close or error");
    }
  }

  // ---------------------------------------------------------------- the answer

  /**
   * What the server answers to a chat: see the class. Package-private for tests.
   *
   * @throws BadRequest if there is nothing to summarise or rewrite
   */
  String answer(List<String[]> messages) throws BadRequest {
    String user = "";
    for (String[] m : messages) {
      if (m[0].equals("user")) {
        user = m[1];
      }
    }
    List<String> chat = block(user, "<<<CHAT", "CHAT>>>");
    if (chat != null) {
      List<ChatMessage> parsed = new ArrayList<>();
      for (String line : chat) {
        JsonNode m = dataLine(line);
        parsed.add(
            new ChatMessage(
                text(m, "id", "m" + parsed.size()),
                text(m, "from", "someone"),
                null,
                text(m, "text", "")));
      }
      return summary(parsed, maxSentences(user));
    }
    List<String> draft = block(user, "<<<DRAFT", "DRAFT>>>");
    if (draft != null) {
      if (draft.size() != 1) {
        throw new BadRequest(400, "the DRAFT block must hold one JSON line");
      }
      String text = text(dataLine(draft.get(0)), "draft", "");
      if (text.isBlank()) {
        throw new BadRequest(400, "the draft is blank");
      }
      Matcher tone = TONE.matcher(user);
      Tone t = Tone.PROOFREAD;
      if (tone.find()) {
        try {
          t = Tone.parse(tone.group(1));
        } catch (IllegalArgumentException e) {
          throw new BadRequest(400, "unknown tone in the prompt");
        }
      }
      ArrayNode array = JSON.createArrayNode();
      for (Suggestion s : assistant.suggest(text, t)) {
        array.add(s.text());
      }
      return array.toString();
    }
    List<ChatMessage> plain = new ArrayList<>();
    for (String[] m : messages) {
      if (!m[0].equals("system")) {
        plain.add(new ChatMessage("m" + plain.size(), m[0], null, m[1]));
      }
    }
    return summary(plain, 3);
  }

  private String summary(List<ChatMessage> messages, int maxSentences) throws BadRequest {
    String text = messages.isEmpty() ? "" : summarizer.summarize(messages, maxSentences).text();
    if (text.isBlank()) {
      throw new BadRequest(400, "no message has text to summarise");
    }
    return text;
  }

  private static int maxSentences(String prompt) {
    Matcher m = MAX_SENTENCES.matcher(prompt);
    if (m.find()) {
      int n = Integer.parseInt(m.group(1));
      if (n >= 1 && n <= 10) {
        return n;
      }
    }
    return 3;
  }

  /** The non-blank lines between two delimiter lines, or null if there is no such block. */
  private static List<String> block(String text, String open, String close) {
    int start = text.indexOf("\n" + open + "\n");
    if (start < 0 && !text.startsWith(open + "\n")) {
      return null;
    }
    int from = start < 0 ? open.length() + 1 : start + open.length() + 2;
    int end = text.indexOf("\n" + close, from - 1);
    if (end < 0) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    for (String line : text.substring(from, Math.max(from, end)).split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static JsonNode dataLine(String line) throws BadRequest {
    try {
      JsonNode node = JSON.readTree(line);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (IOException e) {
      // refused below, without the parser's message (it quotes)
    }
    throw new BadRequest(400, "a line of the data block is not a JSON object");
  }

  private static String text(JsonNode node, String field, String otherwise) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : otherwise;
  }

  /** The answer cut into tokens: each word with the white space before it. */
  static List<String> tokens(String content) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(content);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  // ---------------------------------------------------------------- writing it, paced

  private void stream(HttpExchange exchange, List<String> tokens, int failAfter, FailMode mode)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0); // chunked
    OutputStream out = exchange.getResponseBody();
    long created = System.currentTimeMillis() / 1000;
    event(out, chunk(created, delta("role", "assistant"), null));
    long start = System.nanoTime();
    for (int i = 0; i < tokens.size(); i++) {
      if (i == failAfter) {
        fail(out, mode);
        return;
      }
      pace(start, i + 1);
      event(out, chunk(created, delta("content", tokens.get(i)), null));
      tokensWritten.incrementAndGet();
    }
    if (failAfter >= 0 && failAfter >= tokens.size()) {
      fail(out, mode); // after the last token, before the end of the answer
      return;
    }
    event(out, chunk(created, JSON.createObjectNode(), "stop"));
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private void fail(OutputStream out, FailMode mode) throws IOException {
    if (mode == FailMode.ERROR) {
      ObjectNode error = JSON.createObjectNode();
      error
          .putObject("error")
          .put("message", "paced-model: failing on demand")
          .put("type", "server_error");
      event(out, error);
      return; // the stream ends without [DONE]
    }
    out.flush();
    throw new DropConnection();
  }

  private void whole(HttpExchange exchange, String content, List<String> tokens, int failAfter)
      throws IOException {
    long start = System.nanoTime();
    int n = failAfter >= 0 ? Math.min(failAfter, tokens.size()) : tokens.size();
    pace(start, n);
    tokensWritten.addAndGet(n);
    if (failAfter >= 0) {
      throw new DropConnection();
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-paced")
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", options.model());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", content);
    root.putObject("usage").put("completion_tokens", tokens.size());
    byte[] bytes = JSON.writeValueAsBytes(root);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** Sleeps until token {@code k} is due: {@code k} intervals after {@code start}. */
  private void pace(long start, int k) {
    long due = start + (long) (k * 1e9 / options.tokensPerSecond());
    long wait;
    while ((wait = due - System.nanoTime()) > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DropConnection(); // the server is stopping
      }
    }
  }

  private static ObjectNode delta(String field, String value) {
    ObjectNode d = JSON.createObjectNode();
    d.put(field, value);
    return d;
  }

  private ObjectNode chunk(long created, ObjectNode delta, String finishReason) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-paced")
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", options.model());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return root;
  }

  private static void event(OutputStream out, JsonNode data) throws IOException {
    out.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void error(HttpExchange exchange, int status, String message) {
    try {
      ObjectNode root = JSON.createObjectNode();
      root.putObject("error")
          .put("message", message)
          .put("type", status == 400 || status == 413 ? "invalid_request_error" : "not_found_error")
          .put("code", status);
      byte[] bytes = JSON.writeValueAsBytes(root);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the client is gone: the server drops the connection
    }
  }
}
