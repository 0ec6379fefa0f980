package org.privateprocessing.infer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Finds the first suggestion in a model's answer while it is written, so that it can be passed on
 * before the model writes the others. The answer is expected as {@link
 * OpenAiCompatibleModel#parseSuggestions} reads it: a JSON array of strings (or of objects with a
 * {@code text}), or an object with a {@code suggestions} array, possibly after words or a code
 * fence. Text before the first {@code [} or <code>{</code> is skipped; from there Jackson's
 * non-blocking parser reads the JSON as it arrives. The first entry that is a string (or whose
 * object's last {@code text} is one) and that is not blank once trimmed, nor longer than {@code
 * maxChars}, goes to the consumer, trimmed, once its closing quote (or brace) arrived; after that
 * nothing more is parsed. Text that is not such JSON makes it give up quietly: the caller reads the
 * whole answer anyway and decides. Not thread-safe.
 */
final class FirstSuggestion {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final int maxChars;
  private final Consumer<String> onFirst;
  private JsonParser parser;
  private String heldHighSurrogate = "";
  private boolean finished;
  private int level; // how deep in the JSON value the parser is (1 = in the top-level value)
  private int arrayLevel = -1; // the level inside the array of suggestions, once found
  private boolean rootIsObject;
  private String field; // the member name the next value belongs to, if any
  private String objectText; // the last string "text" of the entry object being read

  /**
   * @param maxChars the longest suggestion kept
   * @param onFirst receives the first suggestion, trimmed, at most once
   */
  FirstSuggestion(int maxChars, Consumer<String> onFirst) {
    this.maxChars = maxChars;
    this.onFirst = Objects.requireNonNull(onFirst, "onFirst");
  }

  /** Whether the first suggestion was found, or the answer turned out not to be such JSON. */
  boolean finished() {
    return finished;
  }

  /** The next piece of the answer. */
  void feed(String piece) {
    if (finished || piece.isEmpty()) {
      return;
    }
    String rest = heldHighSurrogate + piece;
    heldHighSurrogate = "";
    if (Character.isHighSurrogate(rest.charAt(rest.length() - 1))) {
      // The rest of this character comes with the next piece: encode it whole.
      heldHighSurrogate = rest.substring(rest.length() - 1);
      rest = rest.substring(0, rest.length() - 1);
    }
    if (parser == null) {
      int open = firstOpening(rest);
      if (open < 0) {
        return; // still the words before the JSON
      }
      rest = rest.substring(open);
      try {
        parser = FACTORY.createNonBlockingByteArrayParser();
      } catch (IOException e) {
        finished = true;
        return;
      }
    }
    byte[] bytes = rest.getBytes(StandardCharsets.UTF_8);
    try {
      ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(bytes, 0, bytes.length);
      JsonToken token;
      while (!finished && (token = parser.nextToken()) != JsonToken.NOT_AVAILABLE) {
        if (token == null) {
          finished = true; // the JSON value ended without a suggestion
          break;
        }
        read(token);
      }
    } catch (IOException e) {
      finished = true; // not JSON (the parser's message quotes the input: dropped)
    }
    if (finished) {
      close();
    }
  }

  private void read(JsonToken token) throws IOException {
    switch (token) {
      case FIELD_NAME -> field = parser.currentName();
      case START_ARRAY -> {
        level++;
        if (arrayLevel < 0
            && (level == 1 || level == 2 && rootIsObject && "suggestions".equals(field))) {
          arrayLevel = level;
        }
        field = null;
      }
      case START_OBJECT -> {
        level++;
        if (level == 1) {
          rootIsObject = true;
        } else if (arrayLevel > 0 && level == arrayLevel + 1) {
          objectText = null; // an entry {"text": ...}
        } else if (arrayLevel > 0 && level == arrayLevel + 2 && "text".equals(field)) {
          objectText = null; // a text that is not a string
        }
        field = null;
      }
      case END_ARRAY, END_OBJECT -> {
        if (arrayLevel > 0 && level == arrayLevel + 1 && token == JsonToken.END_OBJECT) {
          level--;
          if (objectText != null) {
            offer(objectText);
          }
          return;
        }
        if (level == arrayLevel || level <= 1) {
          finished = true; // the array, or the whole answer, ended without a suggestion
        }
        level--;
        field = null;
      }
      case VALUE_STRING -> {
        if (level == 0) {
          finished = true; // a string, not suggestions
        } else if (arrayLevel > 0 && level == arrayLevel) {
          offer(parser.getText());
        } else if (arrayLevel > 0 && level == arrayLevel + 1 && "text".equals(field)) {
          objectText = parser.getText();
        }
        field = null;
      }
      default -> {
        if (level == 0) {
          finished = true; // a number, boolean or null, not suggestions
        } else if (arrayLevel > 0 && level == arrayLevel + 1 && "text".equals(field)) {
          objectText = null; // a text that is not a string
        }
        field = null;
      }
    }
  }

  private void offer(String text) {
    String t = text.strip();
    if (!t.isEmpty() && t.length() <= maxChars) {
      finished = true;
      onFirst.accept(t);
    }
  }

  private void close() {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException e) {
        // nothing held but memory
      }
    }
  }

  private static int firstOpening(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '[' || c == '{') {
        return i;
      }
    }
    return -1;
  }
}
