package org.privateprocessing.infer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Finds the first suggestion in a model's answer while it is written and passes its text on as it
 * arrives, in every shape {@link OpenAiCompatibleModel#parseSuggestions} reads: a JSON array of
 * strings, an array of objects with a {@code text}, or an object with a {@code suggestions} array
 * of either, possibly after words or a code fence (text before the first {@code [} or <code>{
 * </code> is skipped).
 *
 * <p>Jackson's non-blocking parser reads the JSON as it arrives and says where the answer stands:
 * which array holds the suggestions, and where a value that may be the first suggestion starts (an
 * element of that array, or the {@code text} of an entry object in it). Jackson hands a string over
 * only once its closing quote arrived, so the text of such a string is decoded here from the bytes
 * after that position while it is still open ({@link OpenString}), and passed on piece by piece,
 * trimmed as {@link String#strip()} trims: white space at its start is dropped, a run of white
 * space is held back until more text follows it (so trailing white space is never sent), and so is
 * half of a surrogate pair. Once Jackson has the whole string, what is still unsent goes on. A
 * string that turns out blank sends nothing, and the next candidate is read; so does a string over
 * {@code maxChars} that arrived whole, as the whole read skips it.
 *
 * <p>After the first suggestion nothing more is parsed. Text that is not such JSON makes it give up
 * quietly. What went on is the first suggestion the whole read finds, except where the whole read
 * can only know later (a second {@code text} in the same entry, a first entry that turns out over
 * {@code maxChars}, JSON that breaks after it): the caller reads the whole answer anyway, compares
 * its first suggestion with what was passed on, and fails the call when they differ. Not
 * thread-safe.
 */
final class FirstSuggestion {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final int maxChars;
  private final Consumer<String> onFirst;
  private JsonParser parser;
  private String heldHighSurrogate = "";
  private boolean seeking = true; // before the first [ or {
  private final ByteArrayOutputStream fed = new ByteArrayOutputStream(); // all the parser read
  private boolean finished;
  private int level; // how deep in the JSON value the parser is (1 = in the top-level value)
  private int arrayLevel = -1; // the level inside the array of suggestions, once found
  private boolean rootIsObject;
  private String field; // the member name the next value belongs to, if any
  private OpenString open; // the candidate value being read, while it may be the first suggestion
  private int sent; // characters of the candidate's trimmed text passed on

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
      // The rest of this character comes with the next piece: encode it whole, so that every feed
      // ends on a character's last byte.
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
      try {
        parser = FACTORY.createNonBlockingByteArrayParser();
      } catch (IOException e) {
        finished = true;
        return;
      }
    }
    byte[] bytes = rest.getBytes(StandardCharsets.UTF_8);
    fed.writeBytes(bytes);
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
      if (!finished && open != null) {
        open.advance(fed.toByteArray());
        passOn(open.text(), false);
      }
    } catch (IOException e) {
      finished = true; // not JSON (the parser's message quotes the input: dropped)
    }
    if (finished) {
      close();
    }
  }

  private void read(JsonToken token) throws IOException {
    boolean candidateString = open != null && token == JsonToken.VALUE_STRING;
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
        }
        field = null;
      }
      case END_ARRAY, END_OBJECT -> {
        if (level == arrayLevel || level <= 1) {
          finished = true; // the array, or the whole answer, ended without a suggestion
        }
        level--;
        field = null;
      }
      case VALUE_STRING -> {
        if (level == 0) {
          finished = true; // a string, not suggestions
        } else if (candidateString) {
          whole(parser.getText());
        }
        field = null;
      }
      default -> {
        if (level == 0) {
          finished = true; // a number, boolean or null, not suggestions
        }
        field = null;
      }
    }
    if (finished) {
      return;
    }
    // Where the next value may be the first suggestion: an element of the array of suggestions,
    // or the text of an entry object in it. It starts after what the parser has read so far.
    boolean candidate =
        arrayLevel > 0
            && (level == arrayLevel
                || level == arrayLevel + 1
                    && token == JsonToken.FIELD_NAME
                    && "text".equals(field));
    open = candidate ? new OpenString((int) parser.currentLocation().getByteOffset()) : null;
    sent = 0;
  }

  /**
   * A candidate string is complete: the rest of it goes on, or it is skipped as the whole read
   * does.
   */
  private void whole(String text) {
    String t = text.strip();
    if (sent > 0 || !t.isEmpty() && t.length() <= maxChars) {
      finished = true;
      passOn(t, true);
    }
  }

  /**
   * Passes on what is new of the candidate's text, trimmed; while it is open ({@code complete}
   * false) its trailing white space and half of a surrogate pair wait.
   */
  private void passOn(String text, boolean complete) {
    String t = text.stripLeading();
    int end = t.length();
    if (!complete) {
      while (end > 0 && Character.isWhitespace(t.charAt(end - 1))) {
        end--;
      }
      if (end > 0 && Character.isHighSurrogate(t.charAt(end - 1))) {
        end--;
      }
    } else {
      end = t.strip().length();
    }
    if (end > sent) {
      String piece = t.substring(sent, end);
      sent = end;
      onFirst.accept(piece);
    }
  }

  /**
   * The text of a JSON string that has begun but may not have ended, decoded from the bytes after
   * {@code from}: white space, {@code :} and {@code ,} before it are skipped (Jackson checks the
   * structure); anything else there is not a string, and nothing is decoded. Decoding stops before
   * an escape that has not fully arrived. Feeds end on whole characters, and the bytes that delimit
   * (quote, backslash) are ASCII, so each run between them decodes as UTF-8 on its own.
   */
  private static final class OpenString {
    private int at;
    private boolean inside;
    private boolean notAString;
    private final StringBuilder text = new StringBuilder();

    OpenString(int from) {
      this.at = from;
    }

    String text() {
      return text.toString();
    }

    void advance(byte[] b) {
      if (!inside && !notAString) {
        while (at < b.length && (isJsonSpace(b[at]) || b[at] == ':' || b[at] == ',')) {
          at++;
        }
        if (at < b.length) {
          if (b[at] == '"') {
            inside = true;
            at++;
          } else {
            notAString = true;
          }
        }
      }
      while (inside && at < b.length && b[at] != '"') {
        if (b[at] == '\\') {
          int used = escape(b, at);
          if (used == 0) {
            return; // the rest of the escape comes later
          }
          at += used;
        } else {
          int end = at;
          while (end < b.length && b[end] != '"' && b[end] != '\\') {
            end++;
          }
          text.append(new String(b, at, end - at, StandardCharsets.UTF_8));
          at = end;
        }
      }
    }

    /** Decodes the escape at {@code i}; returns the bytes it took, or 0 if it is not all here. */
    private int escape(byte[] b, int i) {
      if (i + 1 >= b.length) {
        return 0;
      }
      switch (b[i + 1]) {
        case 'u' -> {
          if (i + 6 > b.length) {
            return 0;
          }
          int unit = 0;
          for (int k = i + 2; k < i + 6; k++) {
            int digit = Character.digit(b[k], 16);
            if (digit < 0) {
              inside = false; // not JSON: Jackson refuses it, and the caller's whole read
              notAString = true;
              return 0;
            }
            unit = unit * 16 + digit;
          }
          text.append((char) unit);
          return 6;
        }
        case 'b' -> text.append('\b');
        case 'f' -> text.append('\f');
        case 'n' -> text.append('\n');
        case 'r' -> text.append('\r');
        case 't' -> text.append('\t');
        case '"', '\\', '/' -> text.append((char) b[i + 1]);
        default -> {
          inside = false; // not JSON, as above
          notAString = true;
          return 0;
        }
      }
      return 2;
    }
  }

  private static boolean isJsonSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
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
