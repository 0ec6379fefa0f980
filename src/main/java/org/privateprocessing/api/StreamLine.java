package org.privateprocessing.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One line of a streamed answer ({@value #MEDIA_TYPE}, docs/PROTOCOL.md "Streamed answers"): a
 * piece of the answer's text as the model wrote it, {@code {"text":"…"}}; then exactly one final
 * line, either {@code {"answer":{…}}} holding the complete answer JSON as the non-streaming
 * endpoint returns it, or {@code {"problem":{…}}} holding the problem that cut the answer short
 * (RFC 9457). Each line is padded with spaces before its newline to one of a few lengths ({@link
 * #paddedLength}), so that the size of each piece says little about its text.
 */
public sealed interface StreamLine {
  /** The media type of a streamed answer: JSON lines. */
  String MEDIA_TYPE = "application/jsonl";

  /** The shortest padded line. */
  int MIN_LINE = 128;

  /** Lines up to this length are padded to a power of two; longer ones to a multiple of it. */
  int MAX_BUCKET = 8192;

  /** The longest line a reader accepts (a final answer is at most this long). */
  int MAX_LINE = 2 << 20;

  /** A piece of the answer's text, never empty. */
  record Text(String text) implements StreamLine {
    public Text {
      Objects.requireNonNull(text, "text");
      if (text.isEmpty()) {
        throw new IllegalArgumentException("a text piece is never empty");
      }
    }

    @Override
    public String toString() {
      return "Text[" + text.length() + " chars]";
    }
  }

  /** The final line of a complete answer: its JSON, as the non-streaming endpoint returns it. */
  record Answer(byte[] json) implements StreamLine {
    public Answer {
      json = Objects.requireNonNull(json, "json").clone();
    }

    @Override
    public byte[] json() {
      return json.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Answer a && Arrays.equals(json, a.json);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(json);
    }

    @Override
    public String toString() {
      return "Answer[" + json.length + " bytes]";
    }
  }

  /** The final line of an answer the enclave could not complete. */
  record Failed(Problem problem) implements StreamLine {
    public Failed {
      Objects.requireNonNull(problem, "problem");
    }
  }

  /** Whether this is a final line (answer or problem). */
  default boolean isFinal() {
    return !(this instanceof Text);
  }

  /** The line as JSON, without padding or newline. */
  default byte[] encode() {
    if (this instanceof Text t) {
      return Json.write(java.util.Map.of("text", t.text()));
    }
    byte[] inner = this instanceof Answer a ? a.json() : ((Failed) this).problem().encode();
    byte[] head =
        (this instanceof Answer ? "{\"answer\":" : "{\"problem\":")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(head, head.length + inner.length + 1);
    System.arraycopy(inner, 0, out, head.length, inner.length);
    out[out.length - 1] = '}';
    Arrays.fill(inner, (byte) 0);
    return out;
  }

  /**
   * The line padded with spaces and ended by a newline, {@link #paddedLength} bytes long in all.
   */
  default byte[] encodePadded() {
    byte[] json = encode();
    try {
      return pad(json);
    } finally {
      Arrays.fill(json, (byte) 0);
    }
  }

  /**
   * The padded final line of a complete answer, built from {@code json} without keeping a copy of
   * it (the caller wipes {@code json}; the returned line is the caller's to wipe).
   */
  static byte[] answerLine(byte[] json) {
    byte[] head = "{\"answer\":".getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[paddedLength(head.length + json.length + 2)];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(json, 0, out, head.length, json.length);
    out[head.length + json.length] = '}';
    Arrays.fill(out, head.length + json.length + 1, out.length - 1, (byte) ' ');
    out[out.length - 1] = '\n';
    return out;
  }

  /**
   * {@code json}, then spaces, then a newline: {@link #paddedLength}{@code (json.length + 1)}
   * bytes. JSON allows whitespace after a value, so the line still parses as the same value.
   */
  static byte[] pad(byte[] json) {
    byte[] out = new byte[paddedLength(json.length + 1)];
    System.arraycopy(json, 0, out, 0, json.length);
    Arrays.fill(out, json.length, out.length - 1, (byte) ' ');
    out[out.length - 1] = '\n';
    return out;
  }

  /**
   * The length a line of {@code length} bytes (newline included) is padded to: the smallest power
   * of two from {@value #MIN_LINE} to {@value #MAX_BUCKET} that holds it, else the next multiple of
   * {@value #MAX_BUCKET}. Lines up to 64 KiB thus take at most 14 lengths.
   */
  static int paddedLength(int length) {
    if (length < 1) {
      throw new IllegalArgumentException("a line has at least its newline");
    }
    int bucket = MIN_LINE;
    while (bucket < length && bucket < MAX_BUCKET) {
      bucket <<= 1;
    }
    if (length <= bucket) {
      return bucket;
    }
    long rounded = ((long) length + MAX_BUCKET - 1) / MAX_BUCKET * MAX_BUCKET;
    if (rounded > MAX_LINE) {
      throw new IllegalArgumentException("a line is at most " + MAX_LINE + " bytes");
    }
    return (int) rounded;
  }

  /**
   * Parses one line (padding and newline allowed, not required).
   *
   * @throws InvalidRequestException naming what is wrong: not JSON, not an object with exactly one
   *     of {@code text}, {@code answer}, {@code problem}, or a member of the wrong kind
   */
  static StreamLine parse(byte[] line) throws InvalidRequestException {
    if (line.length > MAX_LINE) {
      throw new InvalidRequestException("$", "a line is at most " + MAX_LINE + " bytes");
    }
    int end = line.length;
    while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\n' || line[end - 1] == '\r')) {
      end--;
    }
    byte[] trimmed = Arrays.copyOf(line, end);
    JsonNode root = Fields.requireObject(Json.read(trimmed), "$");
    if (root.size() != 1) {
      throw new InvalidRequestException(
          "$", "a line holds exactly one member: text, answer or problem");
    }
    JsonNode text = root.get("text");
    if (text != null) {
      if (!text.isTextual() || text.asText().isEmpty()) {
        throw new InvalidRequestException("text", "must be a non-empty string");
      }
      return new Text(text.asText());
    }
    JsonNode answer = root.get("answer");
    if (answer != null) {
      if (!answer.isObject()) {
        throw new InvalidRequestException("answer", "must be an object");
      }
      // The answer's own bytes when the line has this type's form, so that it is exactly what
      // the enclave sent; otherwise the parsed value written anew.
      byte[] prefix = "{\"answer\":".getBytes(StandardCharsets.US_ASCII);
      if (trimmed.length > prefix.length + 1
          && Arrays.equals(Arrays.copyOf(trimmed, prefix.length), prefix)
          && trimmed[trimmed.length - 1] == '}') {
        return new Answer(Arrays.copyOfRange(trimmed, prefix.length, trimmed.length - 1));
      }
      return new Answer(Json.write(answer));
    }
    JsonNode problem = root.get("problem");
    if (problem != null) {
      if (!problem.isObject()) {
        throw new InvalidRequestException("problem", "must be an object");
      }
      return new Failed(Problem.parse(Json.write(problem)));
    }
    throw new InvalidRequestException(
        "$", "a line holds exactly one member: text, answer or problem");
  }
}
