package org.privateprocessing.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;
import org.privateprocessing.infer.ModelException.Reason;

/**
 * Reads a streamed chat completions answer ({@code "stream": true}, as OpenAI's API, llama.cpp's
 * server, vLLM and Ollama send it): the {@code data} of each server-sent event is a {@code
 * chat.completion.chunk} object whose {@code choices[0].delta.content} is the next piece of the
 * answer, and the data {@code [DONE]} ends the stream. Fed the bytes of the body as they arrive
 * ({@link #feed}); each non-empty piece goes to {@code onContent} at once, nothing is collected.
 *
 * <ul>
 *   <li>An {@code error} object in the stream (a server failing after it began to answer), data
 *       that is not such a JSON object, or a {@code content} that is not a string, fails at once.
 *   <li>Limits: the longest line or event ({@link ServerSentEvents}), the longest content in all
 *       ({@link Reason#OVERSIZED}).
 *   <li>{@link #finish()} at the end of the body: a stream that ended without {@code [DONE]} is
 *       incomplete ({@link Reason#INCOMPLETE}); one whose last {@code finish_reason} is {@code
 *       length} was cut at the token budget ({@link Reason#TRUNCATED}); one without any non-blank
 *       content is {@link Reason#EMPTY}.
 * </ul>
 *
 * <p>Every failure is a {@link ModelException} naming its cause, never what the server sent. After
 * a failure the object refuses further input. Not thread-safe: one reader feeds it.
 */
final class ChatCompletionStream {
  /** The data that ends a chat completions stream. */
  static final String DONE = "[DONE]";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int maxContentChars;
  private final Consumer<String> onContent;
  private final ServerSentEvents events;
  private long contentChars;
  private boolean blank = true;
  private boolean done;
  private boolean truncated;
  private String serverModel;

  /**
   * @param maxEventBytes the longest line or event of the stream
   * @param maxContentChars the longest answer, all pieces together
   * @param onContent receives each non-empty piece of the answer, in order
   */
  ChatCompletionStream(int maxEventBytes, int maxContentChars, Consumer<String> onContent) {
    this.maxContentChars = maxContentChars;
    this.onContent = Objects.requireNonNull(onContent, "onContent");
    this.events = new ServerSentEvents(maxEventBytes, this::event);
  }

  /** The next bytes of the body. */
  void feed(byte[] bytes, int offset, int length) {
    events.feed(bytes, offset, length);
  }

  void feed(byte[] bytes) {
    feed(bytes, 0, bytes.length);
  }

  /** Whether {@code [DONE]} arrived: nothing after it is read. */
  boolean done() {
    return done;
  }

  /** The model the server says answered (the first printable {@code model} seen), or null. */
  String serverModel() {
    return serverModel;
  }

  /**
   * The body ended: checks that the answer is complete.
   *
   * @throws ModelException if it ended without {@code [DONE]}, was cut at the token budget, or had
   *     no content
   */
  void finish() {
    if (!done) {
      throw new ModelException(
          Reason.INCOMPLETE, "incomplete answer: the model stream ended without [DONE]");
    }
    if (truncated) {
      throw new ModelException(Reason.TRUNCATED, "model answer was cut at the token budget");
    }
    if (blank) {
      throw new ModelException(Reason.EMPTY, "model answer content is blank");
    }
  }

  private void event(String data) {
    if (done || data.isBlank()) {
      return; // nothing follows [DONE]; a blank event carries nothing
    }
    if (data.strip().equals(DONE)) {
      done = true;
      return;
    }
    JsonNode root;
    try {
      root = JSON.readTree(data);
    } catch (IOException e) {
      throw new ModelException(Reason.MALFORMED, "model stream event is not JSON"); // no quote
    }
    if (root == null || !root.isObject()) {
      throw new ModelException(Reason.MALFORMED, "model stream event is not a JSON object");
    }
    if (root.hasNonNull("error")) {
      throw new ModelException(
          Reason.INCOMPLETE, "incomplete answer: the model server reported an error mid-stream");
    }
    JsonNode model = root.get("model");
    if (serverModel == null && model != null && model.isTextual()) {
      serverModel = model.textValue();
    }
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray()) {
      throw new ModelException(Reason.MALFORMED, "model stream event has no choices array");
    }
    if (choices.isEmpty()) {
      return; // e.g. the usage chunk some servers send last
    }
    JsonNode choice = choices.get(0);
    JsonNode finish = choice.get("finish_reason");
    if (finish != null && finish.isTextual()) {
      truncated = finish.textValue().equals("length");
    }
    JsonNode delta = choice.get("delta");
    JsonNode content = delta == null ? null : delta.get("content");
    if (content == null || content.isNull()) {
      return; // the role chunk, or the last chunk with only finish_reason
    }
    if (!content.isTextual()) {
      throw new ModelException(Reason.MALFORMED, "model stream content is not a string");
    }
    String piece = content.textValue();
    if (piece.isEmpty()) {
      return;
    }
    contentChars += piece.length();
    if (contentChars > maxContentChars) {
      throw new ModelException(
          Reason.OVERSIZED,
          "model answer content is longer than " + maxContentChars + " characters");
    }
    if (!piece.isBlank()) {
      blank = false;
    }
    onContent.accept(piece);
  }
}
