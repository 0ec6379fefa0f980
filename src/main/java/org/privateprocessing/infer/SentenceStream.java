package org.privateprocessing.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Cuts a model's plain-text answer into sentences while it is written, so that each sentence can be
 * passed on as soon as it ends: fed pieces of text of any size ({@link #feed}), it hands every
 * complete sentence to a consumer, and the last one at {@link #finish()}. The sentences do not
 * depend on how the text was cut into pieces: {@link #sentences(String)} (the whole text at once)
 * gives the same list as any sequence of pieces.
 *
 * <ul>
 *   <li>A list marker at the start of a line ({@code -}, {@code *}, {@code •}, {@code 1.}, {@code
 *       12)} followed by white space) is dropped: the prompts ask for plain text, but models like
 *       lists.
 *   <li>A sentence ends after {@code . ! ? …} or CJK {@code 。！？} followed by white space, and at
 *       every line break. Sentences are trimmed; one without a letter or digit is dropped.
 * </ul>
 *
 * <p>A sentence is held back until its end is seen (the next white space after its punctuation, a
 * line break, or the end of the text): until then the text could still continue it. Not
 * thread-safe.
 */
final class SentenceStream {
  private final Consumer<String> onSentence;
  private final StringBuilder sentence = new StringBuilder();
  private final StringBuilder lineHead = new StringBuilder();
  private boolean atLineStart = true;
  private boolean markerPending; // lineHead holds a list marker and the white space after it
  private char previous = '\n';

  /**
   * @param onSentence receives each sentence, trimmed and never empty, in order
   */
  SentenceStream(Consumer<String> onSentence) {
    this.onSentence = Objects.requireNonNull(onSentence, "onSentence");
  }

  /** The sentences of a whole text. */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    SentenceStream s = new SentenceStream(out::add);
    s.feed(text);
    s.finish();
    return out;
  }

  /** The next piece of the text. */
  void feed(String piece) {
    for (int i = 0; i < piece.length(); i++) {
      accept(piece.charAt(i));
    }
  }

  /** The text ended: the sentence still open, if any, is complete. */
  void finish() {
    if (atLineStart || markerPending) {
      markerPending = false; // a marker at the very end is text: nothing follows it
      flushLineHead();
    }
    endSentence();
  }

  private void accept(char c) {
    if (markerPending) {
      if (isSpace(c)) {
        lineHead.append(c);
        return;
      }
      // Text follows the marker and its white space: the marker is dropped.
      boolean newLine = lineHead.indexOf("\n") >= 0;
      lineHead.setLength(0);
      markerPending = false;
      if (!newLine) {
        atLineStart = false;
        previous = ' ';
        body(c);
        return;
      }
      atLineStart = true; // the marker stood alone on its line: c starts the next one
      previous = '\n';
    }
    if (c == '\n') {
      if (atLineStart && isMarker(markerToken())) {
        lineHead.append(c);
        markerPending = true;
        return;
      }
      if (atLineStart) {
        flushLineHead();
      }
      lineHead.setLength(0);
      endSentence();
      atLineStart = true;
      previous = c;
      return;
    }
    if (!atLineStart) {
      body(c);
      return;
    }
    lineHead.append(c);
    if (isSpace(c)) {
      String token = markerToken();
      if (token.isEmpty()) {
        return; // white space before the first token of the line
      }
      if (isMarker(token)) {
        markerPending = true; // dropped once text follows; kept if the answer ends here
      } else {
        flushLineHead();
      }
    } else if (!isMarkerPrefix(markerToken())) {
      flushLineHead();
    }
  }

  /** A character of the line after its (possible) list marker. */
  private void body(char c) {
    if (isSpace(c) && isSentenceEnd(previous)) {
      endSentence();
    }
    sentence.append(c);
    previous = c;
  }

  private void flushLineHead() {
    String head = lineHead.toString();
    lineHead.setLength(0);
    atLineStart = false;
    for (int i = 0; i < head.length(); i++) {
      body(head.charAt(i));
    }
  }

  /** The first run of non-space characters of the line so far. */
  private String markerToken() {
    int i = 0;
    while (i < lineHead.length() && isSpace(lineHead.charAt(i))) {
      i++;
    }
    int start = i;
    while (i < lineHead.length() && !isSpace(lineHead.charAt(i))) {
      i++;
    }
    return lineHead.substring(start, i);
  }

  private void endSentence() {
    String s = sentence.toString().strip();
    sentence.setLength(0);
    if (!s.isEmpty() && s.codePoints().anyMatch(Character::isLetterOrDigit)) {
      onSentence.accept(s);
    }
  }

  /** {@code -}, {@code *}, {@code •}, or one or two ASCII digits and {@code .} or {@code )}. */
  static boolean isMarker(String t) {
    if (t.length() == 1) {
      return t.equals("-") || t.equals("*") || t.equals("•");
    }
    int n = t.length();
    if (n < 2 || n > 3 || t.charAt(n - 1) != '.' && t.charAt(n - 1) != ')') {
      return false;
    }
    for (int i = 0; i < n - 1; i++) {
      if (!isDigit(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether more characters could still make {@code t} a list marker. */
  private static boolean isMarkerPrefix(String t) {
    if (t.isEmpty() || isMarker(t)) {
      return true;
    }
    return t.length() <= 2 && t.chars().allMatch(SentenceStream::isDigit);
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** Java's {@code \s}: space, tab, line feed, vertical tab, form feed, carriage return. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  private static boolean isSentenceEnd(char c) {
    return c == '.' || c == '!' || c == '?' || c == '…' || c == '。' || c == '！' || c == '？';
  }
}
