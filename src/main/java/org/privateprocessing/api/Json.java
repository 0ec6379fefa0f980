package org.privateprocessing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * The one JSON configuration of the enclave API: strict reading (no duplicate keys, no data after
 * the value, at most {@link ApiLimits#MAX_JSON_BYTES}) and writing without null members. Reading
 * keeps nothing of the input: no recycled buffers, no canonicalised or interned member names, so
 * what a request carried is garbage once its tree is.
 *
 * <p>Parse errors never carry Jackson's message, which quotes the input; they name the place
 * ({@code $}, or the path of a duplicate key when every step of that path is a known member name)
 * and the kind of error only. Thread-safe.
 */
public final class Json {
  /** Member names of the v1 wire types; only these may appear in an error path. */
  private static final Set<String> KNOWN_NAMES =
      Set.of(
          "chat",
          "id",
          "title",
          "advancedChatPrivacy",
          "messages",
          "from",
          "sentAt",
          "text",
          "maxSentences",
          "draft",
          "tone",
          "summary",
          "highlights",
          "messageId",
          "model",
          "name",
          "version",
          "enclave",
          "measurement",
          "suggestions",
          "type",
          "status",
          "detail",
          "edits",
          "start",
          "end",
          "replacement",
          "reason");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  // Jackson keeps its read/write buffers for reuse by default, and a kept
                  // buffer still holds the last chat or answer: the canary heap-dump test
                  // found them live. Content must not outlive its request, so no recycling.
                  .recyclerPool(JsonRecyclerPools.nonRecyclingPool())
                  // By default the factory keeps every member name it ever read in a symbol
                  // table it owns (and interns it), so any text a client sends as a member name
                  // would stay reachable for the life of the process (issue #14). Each parse
                  // makes its own names instead, garbage with the tree.
                  .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                  .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  // write emoji and other non-BMP characters as UTF-8, not as escaped surrogates
                  .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  private Json() {}

  /** Reads one JSON value; syntax errors, duplicate keys, trailing data and oversize input fail. */
  public static JsonNode read(byte[] json) throws InvalidRequestException {
    if (json == null || json.length == 0) {
      throw new InvalidRequestException("$", "not valid JSON: empty document");
    }
    if (json.length > ApiLimits.MAX_JSON_BYTES) {
      throw new InvalidRequestException("$", "at most " + ApiLimits.MAX_JSON_BYTES + " bytes");
    }
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new InvalidRequestException("$", "not valid JSON: empty document");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new InvalidRequestException("$", "exceeds the parser's size or nesting limits");
    } catch (MismatchedInputException e) {
      // FAIL_ON_TRAILING_TOKENS reports a second value after the first as a mismatch.
      throw new InvalidRequestException("$", "not valid JSON: data after the end of the value");
    } catch (JsonParseException e) {
      String msg = e.getOriginalMessage();
      if (msg != null && msg.startsWith("Duplicate field")) {
        throw new InvalidRequestException(duplicatePath(e.getProcessor()), "duplicate key");
      }
      throw new InvalidRequestException("$", "not valid JSON");
    } catch (IOException e) {
      throw new InvalidRequestException("$", "not valid JSON");
    }
  }

  /** Writes a wire record (or any Jackson-serialisable value) as UTF-8 JSON, omitting nulls. */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /** The shared mapper, for callers that need a tree or a stream; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static String duplicatePath(Object processor) {
    if (!(processor instanceof JsonParser)) {
      return "$";
    }
    Deque<String> steps = new ArrayDeque<>();
    for (JsonStreamContext c = ((JsonParser) processor).getParsingContext();
        c != null && !c.inRoot();
        c = c.getParent()) {
      if (c.inObject()) {
        String name = c.getCurrentName();
        if (name == null || !KNOWN_NAMES.contains(name)) {
          return "$"; // an unknown key is input content: never echo it
        }
        steps.push("." + name);
      } else {
        steps.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
      }
    }
    String path = String.join("", steps);
    if (path.isEmpty()) {
      return "$";
    }
    return path.startsWith(".") ? path.substring(1) : "$" + path;
  }
}
