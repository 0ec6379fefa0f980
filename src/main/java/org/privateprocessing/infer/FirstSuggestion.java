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
 * Finds the first suggestion in a model's answer while it is written and passes its text on as it
 * arrives. The answer is expected as {@link OpenAiCompatibleModel#parseSuggestions} reads it: a
 * JSON array of strings (or of objects with a {@code text}), or an object with a {@code
 * suggestions} array, possibly after words or a code fence. Text before the first {@code [} or
 * <code>{</code> is skipped.
 *
 * <ul>
 *   <li>An array of strings (what the prompt asks for): the first string that is not blank is
 *       decoded as it arrives and passed on piece by piece, trimmed as {@link String#strip()}
 *       trims: white space at its start is dropped, a run of white space is held back until more
 *       text follows it (so the string's trailing white space is never sent), and so is half of a
 *       surrogate pair. Blank strings before it are skipped.
 *   <li>Any other shape (an object, entries that are objects): Jackson's non-blocking parser reads
 *       the JSON as it arrives, and the first usable entry, trimmed, not longer than {@code
 *       maxChars}, is passed on whole once its closing quote (or brace) arrived.
 * </ul>
 *
 * <p>After the first suggestion nothing more is parsed. Text that is not such JSON makes it give up
 * quietly: the caller reads the whole answer anyway, compares its first suggestion with what was
 * passed on, and decides. Not thread-safe.
 */
final class FirstSuggestion {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final int maxChars;
  private final Consumer<String> onFirst;
  private JsonParser parser;
  private String heldHighSurrogate = "";
  private boolean seeking = true; // before the first [ or {
  private boolean charLevel; // reading an array of strings character by character
  private final StringBuilder raw = new StringBuilder(); // the array so far, to replay to Jackson
  private CharState state = CharState.EXPECT_VALUE;
  private int unicode; // the code unit of a unicode escape being read
  private int unicodeDigits;
  private boolean sentAny; // a non-blank character of the current string went on
  private final StringBuilder held = new StringBuilder(); // white space not yet passed on
  private final StringBuilder out = new StringBuilder(); // what this feed passes on

  private enum CharState {
    EXPECT_VALUE,
    IN_STRING,
    ESCAPE,
    UNICODE,
    EXPECT_COMMA
  }

  private boolean finished;
  private int level; // how deep in the JSON value the parser is (1 = in the top-level value)
  private int arrayLevel = -1; // the level inside the array of suggestions, once found
  private boolean rootIsObject;
  private String field; // the member name the next value belongs to, if any
  private String objectText; // the last string "text" of the entry object being read

  /**
   * @param maxChars the longest suggestion kept
   * @param onFirst receives the text of the first suggestion, trimmed, in one or more non-empty
   *     pieces
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
    if (seeking) {
      int open = firstOpening(rest);
      if (open < 0) {
        return; // still the words before the JSON
      }
      seeking = false;
      rest = rest.substring(open);
      charLevel = rest.charAt(0) == '[';
      if (charLevel) {
        raw.append('[');
        rest = rest.substring(1);
      }
    }
    if (charLevel) {
      rest = chars(rest);
      if (rest == null) {
        return;
      }
      charLevel = false; // not an array of strings: Jackson reads it from its start
    }
    if (parser == null) {
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

  /**
   * Reads an array of strings character by character, passing the first non-blank one on.
   *
   * @return null when the piece was consumed; else the array from its start, to replay to Jackson
   */
  private String chars(String piece) {
    for (int i = 0; i < piece.length() && !finished; i++) {
      char c = piece.charAt(i);
      if (!sentAny) {
        raw.append(c);
      }
      switch (state) {
        case EXPECT_VALUE -> {
          if (c == '"') {
            state = CharState.IN_STRING;
          } else if (c == ']') {
            finished = true; // no usable suggestion
          } else if (!isJsonSpace(c)) {
            return raw + piece.substring(i + 1); // an object or another value: Jackson reads it
          }
        }
        case EXPECT_COMMA -> {
          if (c == ',') {
            state = CharState.EXPECT_VALUE;
          } else if (!isJsonSpace(c)) {
            finished = true; // ']' or not JSON: no usable suggestion
          }
        }
        case IN_STRING -> {
          if (c == '"') {
            if (sentAny) {
              finished = true; // its trailing white space stays held back
            } else {
              held.setLength(0);
              state = CharState.EXPECT_COMMA; // a blank string: the next one may be the first
            }
          } else if (c == '\\') {
            state = CharState.ESCAPE;
          } else {
            text(c);
          }
        }
        case ESCAPE -> {
          state = CharState.IN_STRING;
          switch (c) {
            case '"', '\\', '/' -> text(c);
            case 'b' -> text('\b');
            case 'f' -> text('\f');
            case 'n' -> text('\n');
            case 'r' -> text('\r');
            case 't' -> text('\t');
            case 'u' -> {
              state = CharState.UNICODE;
              unicode = 0;
              unicodeDigits = 0;
            }
            default -> finished = true; // not JSON: the caller's whole read will say so
          }
        }
        case UNICODE -> {
          int digit = Character.digit(c, 16);
          if (digit < 0) {
            finished = true;
          } else {
            unicode = unicode * 16 + digit;
            if (++unicodeDigits == 4) {
              state = CharState.IN_STRING;
              text((char) unicode);
            }
          }
        }
      }
    }
    passOn();
    return null;
  }

  /** One decoded character of the string being read. */
  private void text(char c) {
    if (Character.isWhitespace(c)) {
      if (sentAny) {
        held.append(c);
      }
      return;
    }
    if (!sentAny) {
      sentAny = true;
      raw.setLength(0); // no replay once text went on
    }
    out.append(held).append(c);
    held.setLength(0);
  }

  /** Passes on what this feed decoded, keeping back half of a surrogate pair. */
  private void passOn() {
    int end = out.length();
    if (end > 0 && Character.isHighSurrogate(out.charAt(end - 1)) && !finished) {
      end--;
    }
    if (end > 0) {
      String piece = out.substring(0, end);
      out.delete(0, end);
      onFirst.accept(piece);
    }
  }

  private static boolean isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
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
