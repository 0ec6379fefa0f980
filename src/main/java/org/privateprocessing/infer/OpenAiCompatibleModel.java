package org.privateprocessing.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.ModelInfo;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.Tone;
import org.privateprocessing.infer.ModelException.Reason;

/**
 * A language model behind an OpenAI-compatible chat completions endpoint ({@code POST
 * {baseUrl}/v1/chat/completions}, as served by llama.cpp's server, vLLM and Ollama) running inside
 * the enclave, normally on loopback.
 *
 * <ul>
 *   <li>Prompts come from {@code /prompts/summarize.txt} and {@code /prompts/suggest.txt}; chat
 *       content is fenced as data (see {@link PromptTemplates}).
 *   <li>Token budget: {@code max_tokens} is sent, and the input is capped: the oldest messages are
 *       left out until the prompt is at most {@code maxInputChars} characters.
 *   <li>Connect and request timeouts; answers larger than {@value #MAX_RESPONSE_BYTES} bytes, or
 *       whose content is empty, longer than {@value #CHARS_PER_TOKEN} characters per token of
 *       budget, or cut at the budget ({@code finish_reason: "length"}), are refused.
 *   <li>A summary's highlights are mapped back to the messages shown (see {@link
 *       SummaryAlignment}); suggestions are read from a JSON array of strings.
 *   <li>The calls with a {@link TextSink} stream ({@code "stream": true}, server-sent events): the
 *       summary sentence by sentence, the first suggestion's text as it is written; see {@link
 *       #summarize(SummarizeRequest, TextSink)}, {@link #suggest(SuggestRequest, TextSink)} and
 *       docs/MODELS.md.
 * </ul>
 *
 * <p>Every failure is a {@link ModelException} naming its cause only; wrap this model in a {@link
 * FallbackModel} to answer anyway. Synchronous (it blocks the calling worker thread), stateless
 * apart from its HTTP client, thread-safe; it logs nothing.
 */
public final class OpenAiCompatibleModel implements Model {
  /** Prefix of this model's {@link ModelInfo#name()}; the configured model name follows. */
  public static final String NAME_PREFIX = "openai-compatible:";

  /** Version reported before, or when, the server names no model. */
  public static final String UNKNOWN_VERSION = "unknown";

  /** Path of the chat completions endpoint below the base URL. */
  public static final String COMPLETIONS_PATH = "/v1/chat/completions";

  /** Sampling temperature: low, for faithful summaries and rewrites. */
  public static final double TEMPERATURE = 0.2;

  /** Largest response body read from the server. */
  public static final int MAX_RESPONSE_BYTES = 1 << 20;

  /** Upper estimate of characters per token, to refuse answers far over the token budget. */
  public static final int CHARS_PER_TOKEN = 8;

  /** Bytes of a streamed answer allowed per token of budget (see {@link #streamBytes()}). */
  public static final int STREAM_BYTES_PER_TOKEN = 1024;

  /** The longest line or event of a stream is at least this (see {@link #maxEventBytes}). */
  static final int MIN_EVENT_BYTES = 64 * 1024;

  /** Most suggestions returned. */
  public static final int MAX_SUGGESTIONS = 3;

  /** Longest single suggestion kept, in characters. */
  public static final int MAX_SUGGESTION_CHARS = 8000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FENCE = Pattern.compile("^```[A-Za-z]*\\s*|\\s*```$");
  private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]{1,200}");

  private final Options options;
  private final URI endpoint;
  private final HttpClient http;
  private final PromptTemplates.Template summarizeTemplate;
  private final PromptTemplates.Template suggestTemplate;

  /**
   * Settings of an {@link OpenAiCompatibleModel}.
   *
   * @param baseUrl the server's base URL, {@code http} or {@code https}, without query or user
   *     info; a loopback host unless {@code allowRemote}
   * @param model the model name sent in each request (and reported after {@value #NAME_PREFIX})
   * @param apiKey sent as {@code Authorization: Bearer}, or null
   * @param connectTimeout how long connecting may take
   * @param timeout how long one request may take in all
   * @param maxTokens the answer's token budget ({@code max_tokens})
   * @param maxInputChars the longest prompt sent, in characters (about four per token)
   * @param allowRemote whether a non-loopback {@code baseUrl} is accepted: chat content then leaves
   *     this host, so it must be another part of the same enclave
   */
  public record Options(
      URI baseUrl,
      String model,
      String apiKey,
      Duration connectTimeout,
      Duration timeout,
      int maxTokens,
      int maxInputChars,
      boolean allowRemote) {
    public static final String DEFAULT_BASE_URL = "http://127.0.0.1:8000";
    public static final String DEFAULT_MODEL = "llama-3.1-8b-instruct";

    /**
     * Below the gateway's default 10 s enclave timeout, so a hung model still leaves time for the
     * fallback.
     */
    public static final long DEFAULT_TIMEOUT_MS = 8_000;

    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
    public static final int DEFAULT_MAX_TOKENS = 512;
    public static final int DEFAULT_MAX_INPUT_CHARS = 24_000;
    public static final int MIN_MAX_INPUT_CHARS = 6_000;
    public static final int MAX_MAX_INPUT_CHARS = 4_000_000;
    public static final int MIN_MAX_TOKENS = 16;
    public static final int MAX_MAX_TOKENS = 32_768;
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    /**
     * @throws IllegalArgumentException naming the first bad setting (never the API key)
     */
    public Options {
      Objects.requireNonNull(baseUrl, "baseUrl");
      String scheme =
          baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
        throw new IllegalArgumentException("baseUrl must be an http or https URL with a host");
      }
      if (baseUrl.getRawQuery() != null
          || baseUrl.getRawFragment() != null
          || baseUrl.getRawUserInfo() != null) {
        throw new IllegalArgumentException("baseUrl must have no query, fragment or user info");
      }
      if (!allowRemote && !isLoopback(baseUrl.getHost())) {
        throw new IllegalArgumentException(
            "baseUrl host "
                + baseUrl.getHost()
                + " is not loopback: the model "
                + "server runs inside the enclave; set allowRemote only if that host is part of it");
      }
      if (model == null
          || model.isBlank()
          || model.length() > 200 - NAME_PREFIX.length()
          || !PRINTABLE.matcher(model).matches()) {
        throw new IllegalArgumentException(
            "model must be 1 to " + (200 - NAME_PREFIX.length()) + " printable ASCII characters");
      }
      if (apiKey != null
          && (apiKey.isEmpty()
              || apiKey.length() > 4096
              || apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7E))) {
        throw new IllegalArgumentException("apiKey must be printable ASCII without spaces");
      }
      requireTimeout(connectTimeout, "connectTimeout");
      requireTimeout(timeout, "timeout");
      if (maxTokens < MIN_MAX_TOKENS || maxTokens > MAX_MAX_TOKENS) {
        throw new IllegalArgumentException(
            "maxTokens must be " + MIN_MAX_TOKENS + " to " + MAX_MAX_TOKENS);
      }
      if (maxInputChars < MIN_MAX_INPUT_CHARS || maxInputChars > MAX_MAX_INPUT_CHARS) {
        throw new IllegalArgumentException(
            "maxInputChars must be " + MIN_MAX_INPUT_CHARS + " to " + MAX_MAX_INPUT_CHARS);
      }
    }

    /** The defaults above with another base URL. */
    public static Options defaults(URI baseUrl) {
      return new Options(
          baseUrl,
          DEFAULT_MODEL,
          null,
          Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MS),
          Duration.ofMillis(DEFAULT_TIMEOUT_MS),
          DEFAULT_MAX_TOKENS,
          DEFAULT_MAX_INPUT_CHARS,
          false);
    }

    public Options withModel(String newModel) {
      return new Options(
          baseUrl,
          newModel,
          apiKey,
          connectTimeout,
          timeout,
          maxTokens,
          maxInputChars,
          allowRemote);
    }

    public Options withApiKey(String newApiKey) {
      return new Options(
          baseUrl,
          model,
          newApiKey,
          connectTimeout,
          timeout,
          maxTokens,
          maxInputChars,
          allowRemote);
    }

    public Options withTimeouts(Duration newConnectTimeout, Duration newTimeout) {
      return new Options(
          baseUrl,
          model,
          apiKey,
          newConnectTimeout,
          newTimeout,
          maxTokens,
          maxInputChars,
          allowRemote);
    }

    public Options withBudget(int newMaxTokens, int newMaxInputChars) {
      return new Options(
          baseUrl,
          model,
          apiKey,
          connectTimeout,
          timeout,
          newMaxTokens,
          newMaxInputChars,
          allowRemote);
    }

    /** Never shows the API key. */
    @Override
    public String toString() {
      return "Options[baseUrl="
          + baseUrl
          + ", model="
          + model
          + ", apiKey="
          + (apiKey == null ? "none" : "***")
          + ", connectTimeout="
          + connectTimeout
          + ", timeout="
          + timeout
          + ", maxTokens="
          + maxTokens
          + ", maxInputChars="
          + maxInputChars
          + ", allowRemote="
          + allowRemote
          + "]";
    }

    private static void requireTimeout(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException(name + " must be more than 0 and at most 10 minutes");
      }
    }

    /** {@code localhost} or a loopback IP literal; names are not resolved. */
    static boolean isLoopback(String host) {
      String h = host.toLowerCase(Locale.ROOT);
      if (h.equals("localhost")) {
        return true;
      }
      boolean ipv6 = h.startsWith("[") && h.endsWith("]");
      if (!ipv6 && !h.matches("[0-9.]+")) {
        return false; // a name: resolving it here would trust DNS
      }
      try {
        return InetAddress.getByName(ipv6 ? h.substring(1, h.length() - 1) : h).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }

  public OpenAiCompatibleModel(Options options) {
    this.options = Objects.requireNonNull(options, "options");
    String base = options.baseUrl().toString();
    this.endpoint =
        URI.create(
            (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + COMPLETIONS_PATH);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(options.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.summarizeTemplate = PromptTemplates.load("summarize");
    this.suggestTemplate = PromptTemplates.load("suggest");
  }

  public Options options() {
    return options;
  }

  @Override
  public ModelInfo info() {
    return new ModelInfo(NAME_PREFIX + options.model(), UNKNOWN_VERSION);
  }

  // ---------------------------------------------------------------- summarize

  @Override
  public Answer<Summary> summarize(SummarizeRequest request) {
    SummaryPrompt p = summaryPrompt(request);
    Completion c = complete(p.prompt());
    return new Answer<>(
        SummaryAlignment.align(c.content(), p.shown(), request.maxSentences()), infoFor(c));
  }

  /** The summarize prompt and the messages it shows (the newest that fit the input budget). */
  private record SummaryPrompt(PromptTemplates.Prompt prompt, List<ChatMessage> shown) {}

  private SummaryPrompt summaryPrompt(SummarizeRequest request) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("maxSentences", Integer.toString(request.maxSentences()));
    values.put("chat", "");
    int overhead = summarizeTemplate.render(values).chars();
    List<ChatMessage> shown = newestThatFit(request.messages(), options.maxInputChars() - overhead);
    List<String> lines = new ArrayList<>(shown.size());
    for (ChatMessage m : shown) {
      lines.add(messageLine(m));
    }
    values.put("chat", String.join("\n", lines));
    return new SummaryPrompt(summarizeTemplate.render(values), shown);
  }

  /**
   * Streams the summary sentence by sentence: the server is asked to stream ({@code "stream":
   * true}), its answer is cut into sentences as it arrives ({@link SentenceStream}), and each of
   * the first {@code maxSentences} sentences goes to the sink as soon as it ends, after a space
   * when it is not the first. A sentence is held back until it ends because the summary's text is
   * its sentences joined by one space (list markers and line breaks removed): what the sink saw is
   * then exactly the returned text. Nothing is sent of an answer that turns out to have no
   * sentence; a failure after the first sentence throws (the text sent is then incomplete).
   */
  @Override
  public Answer<Summary> summarize(SummarizeRequest request, TextSink sink) {
    Objects.requireNonNull(sink, "sink");
    SummaryPrompt p = summaryPrompt(request);
    List<String> kept = new ArrayList<>();
    boolean[] started = new boolean[1];
    SentenceStream sentences =
        new SentenceStream(
            sentence -> {
              if (kept.size() < request.maxSentences()) {
                kept.add(sentence);
                started[0] = true;
                sink.text(kept.size() == 1 ? sentence : " " + sentence);
              }
            });
    String serverModel =
        completeStreaming(p.prompt(), sentences::feed, sentences::finish, () -> started[0]);
    return new Answer<>(
        SummaryAlignment.alignSentences(kept, p.shown(), request.maxSentences()),
        infoFor(new Completion("", serverModel)));
  }

  /** One message as a data line: id, sender, time and text. */
  static String messageLine(ChatMessage m) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", m.id());
    fields.put("from", m.from());
    fields.put("sentAt", m.sentAt());
    fields.put("text", m.text() == null ? "" : m.text());
    return PromptTemplates.dataLine(fields);
  }

  /**
   * The newest messages whose lines (with line breaks) fit in {@code budget} characters, in chat
   * order; if not even the newest fits, it alone with its text cut to fit.
   */
  static List<ChatMessage> newestThatFit(List<ChatMessage> messages, int budget) {
    Deque<ChatMessage> kept = new ArrayDeque<>();
    int used = 0;
    for (int i = messages.size() - 1; i >= 0; i--) {
      int length = messageLine(messages.get(i)).length() + (kept.isEmpty() ? 0 : 1);
      if (used + length > budget) {
        break;
      }
      used += length;
      kept.addFirst(messages.get(i));
    }
    if (kept.isEmpty() && !messages.isEmpty()) {
      ChatMessage newest = messages.get(messages.size() - 1);
      String text = newest.text() == null ? "" : newest.text();
      int lo = 0;
      int hi = text.length();
      while (lo < hi) { // the longest prefix whose line fits
        int mid = (lo + hi + 1) >>> 1;
        if (messageLine(withText(newest, prefix(text, mid))).length() <= budget) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      kept.add(withText(newest, prefix(text, lo)));
    }
    return new ArrayList<>(kept);
  }

  private static ChatMessage withText(ChatMessage m, String text) {
    return new ChatMessage(m.id(), m.from(), m.sentAt(), text);
  }

  /** The first {@code n} chars, one fewer if that would split a surrogate pair. */
  private static String prefix(String text, int n) {
    int end =
        n > 0 && n < text.length() && Character.isHighSurrogate(text.charAt(n - 1)) ? n - 1 : n;
    return text.substring(0, end);
  }

  // ---------------------------------------------------------------- suggest

  @Override
  public Answer<List<Suggestion>> suggest(SuggestRequest request) {
    Completion c = complete(suggestPrompt(request));
    return new Answer<>(parseSuggestions(c.content()), infoFor(c));
  }

  /**
   * Streams the first suggestion as the model writes it, in every shape {@link #parseSuggestions}
   * accepts (an array of strings, an array of {@code {"text":...}} entries, an object with a {@code
   * suggestions} array of either): the text of the first usable entry is decoded and passed on as
   * it arrives ({@link FirstSuggestion}), trimmed (white space is held back until more text follows
   * it). The whole answer is then read as {@link #suggest(SuggestRequest)} reads it; should its
   * first suggestion differ from the text sent (JSON that breaks after it, a second {@code text} in
   * the entry, a first entry over {@value #MAX_SUGGESTION_CHARS} characters), the call fails
   * ({@link Reason#MALFORMED}) rather than return text the sink did not see. When nothing could be
   * streamed (the JSON is found only by the whole read's fallbacks), the first suggestion is sent
   * whole at the end.
   */
  @Override
  public Answer<List<Suggestion>> suggest(SuggestRequest request, TextSink sink) {
    Objects.requireNonNull(sink, "sink");
    PromptTemplates.Prompt prompt = suggestPrompt(request);
    StringBuilder content = new StringBuilder();
    StringBuilder sent = new StringBuilder();
    FirstSuggestion first =
        new FirstSuggestion(
            MAX_SUGGESTION_CHARS,
            text -> {
              sent.append(text);
              sink.text(text);
            });
    String serverModel =
        completeStreaming(
            prompt,
            piece -> {
              content.append(piece);
              first.feed(piece);
            },
            () -> {},
            () -> sent.length() > 0);
    List<Suggestion> suggestions = parseSuggestions(content.toString());
    String best = suggestions.get(0).text();
    if (sent.length() == 0) {
      sink.text(best); // never empty: parseSuggestions drops blank ones
    } else if (!sent.toString().equals(best)) {
      throw new ModelException(
          Reason.MALFORMED, "model answer's first suggestion is not the text streamed");
    }
    return new Answer<>(suggestions, infoFor(new Completion("", serverModel)));
  }

  private PromptTemplates.Prompt suggestPrompt(SuggestRequest request) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("tone", request.tone().wireName());
    values.put("toneGuide", toneGuide(request.tone()));
    values.put("maxSuggestions", Integer.toString(MAX_SUGGESTIONS));
    Map<String, Object> draft = new LinkedHashMap<>();
    draft.put("draft", request.draft());
    values.put("draft", PromptTemplates.dataLine(draft));
    PromptTemplates.Prompt prompt = suggestTemplate.render(values);
    if (prompt.chars() > options.maxInputChars()) {
      throw new ModelException(Reason.OVERSIZED, "draft does not fit in maxInputChars");
    }
    return prompt;
  }

  static String toneGuide(Tone tone) {
    return switch (tone) {
      case FORMAL ->
          "Polite and professional: full sentences, no slang, no contractions, no emoji.";
      case FRIENDLY ->
          "Warm and casual: contractions welcome, a light friendly touch, still clear.";
      case CONCISE -> "As short as possible: drop filler words and repetition, keep every fact.";
      case PROOFREAD ->
          "Fix spelling, grammar, punctuation and capitalisation only; keep the wording "
              + "and tone otherwise unchanged.";
    };
  }

  /**
   * Suggestions from a model's answer: a JSON array of strings (or of objects with a {@code text}),
   * or an object with a {@code suggestions} array, possibly in a code fence or with words around
   * it. Blank, duplicate and over-long entries are dropped; at most {@value #MAX_SUGGESTIONS} are
   * kept.
   *
   * @throws ModelException ({@link Reason#MALFORMED}) if no suggestion can be read
   */
  static List<Suggestion> parseSuggestions(String content) {
    String s = FENCE.matcher(content.strip()).replaceAll("").strip();
    JsonNode node = readJson(s);
    if (node == null) {
      int open = s.indexOf('[');
      int close = s.lastIndexOf(']');
      node = open >= 0 && close > open ? readJson(s.substring(open, close + 1)) : null;
    }
    if (node != null && node.isObject()) {
      node = node.get("suggestions");
    }
    if (node == null || !node.isArray()) {
      throw new ModelException(Reason.MALFORMED, "model answer is not a JSON array of suggestions");
    }
    Set<String> texts = new LinkedHashSet<>();
    for (JsonNode e : node) {
      JsonNode t = e.isObject() ? e.get("text") : e;
      if (t != null && t.isTextual()) {
        String text = t.textValue().strip();
        if (!text.isEmpty() && text.length() <= MAX_SUGGESTION_CHARS) {
          texts.add(text);
        }
      }
    }
    if (texts.isEmpty()) {
      throw new ModelException(Reason.MALFORMED, "model answer has no usable suggestion");
    }
    return texts.stream().limit(MAX_SUGGESTIONS).map(Suggestion::new).toList();
  }

  private static JsonNode readJson(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      return null; // the parser's message quotes the input: dropped
    }
  }

  // ---------------------------------------------------------------- the HTTP exchange

  /** The content of the first choice and the model the server says answered (or null). */
  record Completion(String content, String serverModel) {}

  private ModelInfo infoFor(Completion c) {
    String version =
        c.serverModel() != null && PRINTABLE.matcher(c.serverModel()).matches()
            ? c.serverModel()
            : UNKNOWN_VERSION;
    return new ModelInfo(NAME_PREFIX + options.model(), version);
  }

  /** The JSON body of a chat completions request for a prompt. */
  byte[] requestBody(PromptTemplates.Prompt prompt) {
    return requestBody(prompt, false);
  }

  /** The JSON body of a chat completions request, streamed ({@code "stream": true}) or not. */
  byte[] requestBody(PromptTemplates.Prompt prompt, boolean stream) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", options.model());
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", prompt.system());
    messages.addObject().put("role", "user").put("content", prompt.user());
    body.put("max_tokens", options.maxTokens());
    body.put("temperature", TEMPERATURE);
    body.put("stream", stream);
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("request body could not be written"); // no content
    }
  }

  private Completion complete(PromptTemplates.Prompt prompt) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint)
            .timeout(options.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(prompt)));
    if (options.apiKey() != null) {
      builder.header("Authorization", "Bearer " + options.apiKey());
    }
    CompletableFuture<HttpResponse<byte[]>> call =
        http.sendAsync(builder.build(), info -> new LimitedBody(MAX_RESPONSE_BYTES));
    // The request timeout covers the wait for headers; this deadline covers the body too.
    HttpResponse<byte[]> response = await(call);
    return parseCompletion(response.body(), options.maxTokens() * CHARS_PER_TOKEN);
  }

  /**
   * One streamed exchange: asks for {@code "stream": true} and passes each piece of the answer's
   * content to {@code onContent} as it arrives, then calls {@code onEnd} once the stream is known
   * to be complete. A server that answers with a whole JSON completion instead (one that ignores
   * {@code stream}) is read as {@link #complete} reads it, and its content passed on in one piece.
   *
   * <p>Deadlines: the headers within {@code timeout}, as in {@link #complete}; then every read
   * within {@code timeout} of the previous one (time the sink spends blocking does not count: a
   * slow reader slows the model down); and, until {@code started} says a piece reached the sink,
   * the whole exchange within {@code timeout}, so the fallback still has time. Limits: {@link
   * #streamBytes()} bytes in all, events and content as {@link ChatCompletionStream} says. The body
   * is read one buffer at a time ({@link StreamingBody}): while the sink blocks nothing more is
   * read, so nothing piles up here.
   *
   * @return the model the server says answered, or null
   */
  private String completeStreaming(
      PromptTemplates.Prompt prompt,
      java.util.function.Consumer<String> onContent,
      Runnable onEnd,
      java.util.function.BooleanSupplier started) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint)
            .timeout(options.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream, application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(prompt, true)));
    if (options.apiKey() != null) {
      builder.header("Authorization", "Bearer " + options.apiKey());
    }
    long timeoutNanos = options.timeout().toNanos();
    long deadline = System.nanoTime() + timeoutNanos;
    StreamingBody body = new StreamingBody();
    CompletableFuture<HttpResponse<StreamingBody>> call =
        http.sendAsync(
            builder.build(),
            info ->
                info.statusCode() == 200
                    ? body
                    : HttpResponse.BodySubscribers.replacing(body)); // the body is not read
    HttpResponse<StreamingBody> response = await(call); // the headers, for a stream
    String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    boolean whole = type.startsWith("application/json");
    if (!whole && !type.startsWith("text/event-stream")) {
      body.cancel();
      throw new ModelException(
          Reason.MALFORMED, "model server answered neither text/event-stream nor JSON");
    }
    int maxContentChars = options.maxTokens() * CHARS_PER_TOKEN;
    ChatCompletionStream stream =
        new ChatCompletionStream(maxEventBytes(maxContentChars), maxContentChars, onContent);
    ByteArrayOutputStream json = whole ? new ByteArrayOutputStream() : null;
    long limit = whole ? MAX_RESPONSE_BYTES : streamBytes();
    long read = 0;
    boolean ended = false;
    try {
      while (!ended && !stream.done()) {
        long wait =
            started.getAsBoolean()
                ? timeoutNanos
                : Math.min(timeoutNanos, deadline - System.nanoTime());
        Object item = body.next(Math.max(0, wait));
        if (item == null) {
          throw new ModelException(
              Reason.TIMEOUT,
              started.getAsBoolean()
                  ? "model server sent nothing for " + options.timeout().toMillis() + " ms"
                  : "model server did not answer within " + options.timeout().toMillis() + " ms");
        }
        if (item == StreamingBody.END) {
          ended = true;
        } else if (item instanceof Throwable t) {
          ModelException m = failure(t);
          throw whole || m.reason() == Reason.TIMEOUT
              ? m
              : new ModelException(
                  Reason.INCOMPLETE,
                  -1,
                  "incomplete answer: the model stream broke off ("
                      + (t == null ? "unknown" : t.getClass().getSimpleName())
                      + ")",
                  null);
        } else {
          for (ByteBuffer b : body.buffers(item)) {
            read += b.remaining();
            if (read > limit) {
              throw new ModelException(
                  Reason.OVERSIZED, "model answer is larger than " + limit + " bytes");
            }
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            if (whole) {
              json.write(bytes, 0, bytes.length);
            } else {
              stream.feed(bytes, 0, bytes.length);
            }
          }
          body.more();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException(
          Reason.INTERRUPTED, "interrupted while waiting for the model server");
    } finally {
      if (!ended) {
        body.cancel(); // after [DONE], a failure or a sink that threw: stop reading
      }
    }
    if (whole) {
      Completion c = parseCompletion(json.toByteArray(), maxContentChars);
      onContent.accept(c.content());
      onEnd.run();
      return c.serverModel();
    }
    stream.finish();
    onEnd.run();
    return stream.serverModel();
  }

  /**
   * Most bytes read from one streamed answer: each token comes in its own event of some hundred
   * bytes, so the limit grows with the token budget ({@value #STREAM_BYTES_PER_TOKEN} per token),
   * never below {@value #MAX_RESPONSE_BYTES}.
   */
  long streamBytes() {
    return Math.max(MAX_RESPONSE_BYTES, (long) options.maxTokens() * STREAM_BYTES_PER_TOKEN);
  }

  /** The longest event: a whole answer in one event, JSON-escaped, with room for the rest. */
  static int maxEventBytes(int maxContentChars) {
    return (int) Math.min(Integer.MAX_VALUE, (long) maxContentChars * 6 + MIN_EVENT_BYTES);
  }

  /**
   * Waits up to the timeout for the response (for a streamed body, its headers), and refuses any
   * status other than 200.
   */
  private <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> call) {
    HttpResponse<T> response;
    try {
      response = call.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new ModelException(
          Reason.TIMEOUT,
          "model server did not answer within " + options.timeout().toMillis() + " ms");
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new ModelException(
          Reason.INTERRUPTED, "interrupted while waiting for the model server");
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    }
    if (response.statusCode() != 200) {
      throw new ModelException(
          Reason.HTTP_STATUS,
          response.statusCode(),
          "model server answered HTTP " + response.statusCode(),
          null);
    }
    return response;
  }

  /** Maps a failed exchange to its cause, keeping only exceptions that carry no content. */
  private ModelException failure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ModelException m) {
        return m;
      }
      if (c instanceof HttpConnectTimeoutException) {
        return new ModelException(
            Reason.CONNECT,
            -1,
            "model server did not accept a connection within "
                + options.connectTimeout().toMillis()
                + " ms",
            null);
      }
      if (c instanceof HttpTimeoutException) {
        return new ModelException(
            Reason.TIMEOUT,
            "model server did not answer within " + options.timeout().toMillis() + " ms");
      }
      if (c instanceof ConnectException) {
        return new ModelException(Reason.CONNECT, -1, "model server could not be reached", null);
      }
    }
    return new ModelException(
        Reason.CONNECT,
        -1,
        "exchange with the model server failed ("
            + (t == null ? "unknown" : t.getClass().getSimpleName())
            + ")",
        null);
  }

  /**
   * Reads a chat completions response: {@code choices[0].message.content} and the top-level {@code
   * model}.
   *
   * @param maxContentChars the longest content accepted
   * @throws ModelException if the body is not such a response, or the content is empty, too long,
   *     or cut at the token budget
   */
  static Completion parseCompletion(byte[] body, int maxContentChars) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new ModelException(
          Reason.MALFORMED, "model answer is not JSON"); // no parser message: it quotes
    }
    if (root == null || !root.isObject()) {
      throw new ModelException(Reason.MALFORMED, "model answer is not a JSON object");
    }
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray()) {
      throw new ModelException(Reason.MALFORMED, "model answer has no choices array");
    }
    if (choices.isEmpty()) {
      throw new ModelException(Reason.EMPTY, "model answer has no choices");
    }
    JsonNode choice = choices.get(0);
    JsonNode message = choice.get("message");
    JsonNode content = message == null ? null : message.get("content");
    if (content == null || content.isNull()) {
      throw new ModelException(Reason.EMPTY, "model answer has no content");
    }
    if (!content.isTextual()) {
      throw new ModelException(Reason.MALFORMED, "model answer content is not a string");
    }
    String text = content.textValue();
    if (text.isBlank()) {
      throw new ModelException(Reason.EMPTY, "model answer content is blank");
    }
    if (text.length() > maxContentChars) {
      throw new ModelException(
          Reason.OVERSIZED,
          "model answer content is longer than " + maxContentChars + " characters");
    }
    JsonNode finish = choice.get("finish_reason");
    if (finish != null && "length".equals(finish.asText())) {
      throw new ModelException(Reason.TRUNCATED, "model answer was cut at the token budget");
    }
    JsonNode model = root.get("model");
    return new Completion(text, model != null && model.isTextual() ? model.textValue() : null);
  }

  /**
   * A response body handed over one buffer list at a time: the next is requested only once the
   * reader took the last ({@link #more()}), so at most one list waits here and a reader that is
   * slow (a sink that blocks) holds the server back through TCP instead of filling memory. The
   * reader waits for each with a deadline ({@link #next}).
   */
  private static final class StreamingBody implements HttpResponse.BodySubscriber<StreamingBody> {
    static final Object END = new Object();

    private final java.util.concurrent.BlockingQueue<Object> items =
        new java.util.concurrent.LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    @Override
    public CompletionStage<StreamingBody> getBody() {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (cancelled) {
        s.cancel();
      } else {
        s.request(1);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      items.add(buffers);
    }

    @Override
    public void onError(Throwable t) {
      items.add(t);
    }

    @Override
    public void onComplete() {
      items.add(END);
    }

    /** The next buffer list, {@link #END}, a {@link Throwable}, or null after {@code nanos}. */
    Object next(long nanos) throws InterruptedException {
      return items.poll(nanos, TimeUnit.NANOSECONDS);
    }

    @SuppressWarnings("unchecked")
    List<ByteBuffer> buffers(Object item) {
      return (List<ByteBuffer>) item;
    }

    void more() {
      subscription.request(1);
    }

    void cancel() {
      cancelled = true;
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      items.clear();
    }
  }

  /** Collects a response body, failing with {@link Reason#OVERSIZED} past a limit. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : buffers) {
        if (bytes.size() + b.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(
              new ModelException(
                  Reason.OVERSIZED, "model answer is larger than " + limit + " bytes"));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }
}
