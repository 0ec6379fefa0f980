package org.privateprocessing.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.privateprocessing.api.Edit;

/**
 * A text being rewritten that remembers, for every part of it, which span of the original it came
 * from and why it was changed, so the rewrite can be listed as {@link Edit}s against the original.
 *
 * <p>The text is a sequence of pieces that together cover the original left to right: a kept piece
 * is original text; a changed piece replaces an original span (possibly empty) by other text and
 * carries the reason of the first rule that changed it. A replacement that overlaps a changed piece
 * merges with it. A {@code null} reason marks an internal change (protected spans) that must be
 * undone before {@link #edits()} is called. Not thread-safe; {@link #copy()} to branch.
 */
final class TrackedText {
  /** A part of the text: original {@code [os, oe)} rendered as {@code out}. */
  private record Piece(int os, int oe, String out, boolean changed, String reason) {}

  private final String original;
  private final List<Piece> pieces;
  private String text;

  TrackedText(String original) {
    this.original = original;
    this.pieces = new ArrayList<>();
    if (!original.isEmpty()) {
      pieces.add(new Piece(0, original.length(), original, false, null));
    }
    this.text = original;
  }

  private TrackedText(TrackedText other) {
    this.original = other.original;
    this.pieces = new ArrayList<>(other.pieces);
    this.text = other.text;
  }

  TrackedText copy() {
    return new TrackedText(this);
  }

  String original() {
    return original;
  }

  /** The current text. */
  String text() {
    if (text == null) {
      StringBuilder b = new StringBuilder();
      for (Piece p : pieces) {
        b.append(p.out);
      }
      text = b.toString();
    }
    return text;
  }

  @Override
  public String toString() {
    return text();
  }

  /**
   * Replaces every match of the pattern (found in the current text) by {@code replacer}'s result.
   */
  TrackedText replaceAll(Pattern pattern, Function<MatchResult, String> replacer, String reason) {
    return replaceAll(pattern, replacer, (old, replacement) -> reason);
  }

  /** As {@link #replaceAll(Pattern, Function, String)}, the reason chosen per match. */
  TrackedText replaceAll(
      Pattern pattern, Function<MatchResult, String> replacer, ReasonFunction reasons) {
    String s = text();
    Matcher m = pattern.matcher(s);
    List<int[]> spans = new ArrayList<>();
    List<String> replacements = new ArrayList<>();
    while (m.find()) {
      String r = replacer.apply(m.toMatchResult());
      if (r != null && !r.equals(m.group())) {
        spans.add(new int[] {m.start(), m.end()});
        replacements.add(r);
      }
    }
    for (int i = spans.size() - 1; i >= 0; i--) { // right to left keeps earlier offsets valid
      int[] span = spans.get(i);
      String old = s.substring(span[0], span[1]);
      replace(span[0], span[1], replacements.get(i), reasons.reason(old, replacements.get(i)));
    }
    return this;
  }

  /** Chooses a reason from the matched text and its replacement. */
  @FunctionalInterface
  interface ReasonFunction {
    String reason(String old, String replacement);
  }

  TrackedText insert(int at, String s, String reason) {
    return replace(at, at, s, reason);
  }

  /**
   * Replaces the current text's {@code [start, end)}. The common prefix and suffix of the old and
   * new text are kept, so only the characters that differ are recorded as changed.
   */
  TrackedText replace(int start, int end, String replacement, String reason) {
    String s = text();
    String old = s.substring(start, end);
    int p = commonPrefix(old, replacement);
    int q = commonSuffix(old, replacement, p);
    if (p + q == old.length() && p + q == replacement.length()) {
      return this;
    }
    String changed =
        s.substring(0, start + p)
            + replacement.substring(p, replacement.length() - q)
            + s.substring(end - q);
    int[] kept = wordAligned(s, changed, start + p, s.length() - end + q);
    int cs = kept[0];
    int ce = s.length() - kept[1];
    String repl = changed.substring(kept[0], changed.length() - kept[1]);
    List<Piece> result = new ArrayList<>(pieces.size() + 3);
    List<Piece> tail = new ArrayList<>(2);
    int pos = 0;
    int mergedOs = -1;
    int mergedOe = -1;
    String prefix = "";
    String suffix = "";
    String mergedReason = null;
    boolean placed = false;
    for (Piece piece : pieces) {
      int ps = pos;
      int pe = pos + piece.out.length();
      pos = pe;
      boolean absorb =
          cs < ce
              ? (pe > cs && ps < ce)
                  || (ps == pe && cs < ps && ps < ce)
                  // a deletion takes in deletions it touches: "lol" and the space after it
                  || (ps == pe && piece.changed && repl.isEmpty() && (ps == cs || ps == ce))
              : ps < cs && cs < pe;
      if (!absorb) {
        if (!placed && mergedOs >= 0) {
          placed = true; // the absorbed run has ended
          result.add(
              new Piece(
                  mergedOs,
                  mergedOe,
                  prefix + repl + suffix,
                  true,
                  strongerReason(mergedReason, reason)));
          result.addAll(tail);
        } else if (!placed && cs == ce && ps >= cs && pe > ps) {
          placed = true; // an insertion between two pieces
          result.add(new Piece(piece.os, piece.os, repl, true, reason));
        }
        result.add(piece);
        continue;
      }
      if (piece.changed) {
        if (mergedOs < 0) {
          mergedOs = piece.os;
          prefix = piece.out.substring(0, Math.max(0, cs - ps));
        }
        mergedOe = piece.oe;
        suffix = piece.out.substring(Math.min(piece.out.length(), ce - ps));
        mergedReason = strongerReason(mergedReason, piece.reason);
      } else {
        int from = Math.max(0, cs - ps);
        int to = Math.min(piece.out.length(), ce - ps);
        if (from > 0) {
          result.add(
              new Piece(piece.os, piece.os + from, piece.out.substring(0, from), false, null));
        }
        if (mergedOs < 0) {
          mergedOs = piece.os + from;
          prefix = "";
        }
        mergedOe = piece.os + to;
        suffix = "";
        tail.clear();
        if (to < piece.out.length()) {
          tail.add(new Piece(piece.os + to, piece.oe, piece.out.substring(to), false, null));
        }
      }
    }
    if (!placed) {
      if (mergedOs >= 0) {
        result.add(
            new Piece(
                mergedOs,
                mergedOe,
                prefix + repl + suffix,
                true,
                strongerReason(mergedReason, reason)));
        result.addAll(tail);
      } else {
        result.add(new Piece(original.length(), original.length(), repl, true, reason));
      }
    }
    pieces.clear();
    pieces.addAll(result);
    text = null;
    return this;
  }

  /**
   * The reason a merged change keeps: the first one, unless that is only capitalisation (which a
   * later rewrite of the same word explains better: "thanks" to "Thank you" is formality).
   */
  private static String strongerReason(String first, String next) {
    if (first == null || first.equals(Edit.CAPITALISATION) && next != null) {
      return next;
    }
    return first;
  }

  /**
   * The changes against the original, sorted by start, each trimmed to the characters that differ;
   * pieces whose text equals the original again are left out.
   *
   * @throws IllegalStateException if an internal change (null reason) was not undone
   */
  List<Edit> edits() {
    List<Edit> out = new ArrayList<>();
    for (Piece piece : pieces) {
      if (!piece.changed) {
        continue;
      }
      String old = original.substring(piece.os, piece.oe);
      int p = commonPrefix(old, piece.out);
      int q = commonSuffix(old, piece.out, p);
      if (p + q == old.length() && p + q == piece.out.length()) {
        continue;
      }
      int[] kept = wordAligned(old, piece.out, p, q);
      p = kept[0];
      q = kept[1];
      if (piece.reason == null) {
        throw new IllegalStateException("an internal change was not undone");
      }
      out.add(
          new Edit(
              piece.os + p,
              piece.oe - q,
              piece.out.substring(p, piece.out.length() - q),
              piece.reason));
    }
    return out;
  }

  /**
   * Shrinks a kept prefix and suffix (of {@code a} changed into {@code b}) so that the changed
   * middle does not start or end inside a word: "dont" to "don't" is one whole-word change, not an
   * inserted apostrophe.
   *
   * @return the new prefix and suffix lengths
   */
  static int[] wordAligned(String a, String b, int prefix, int suffix) {
    int p = prefix;
    int q = suffix;
    while (p > 0 && isWord(a.charAt(p - 1)) && (isWordAt(a, p) || isWordAt(b, p))) {
      p--;
    }
    while (q > 0
        && isWord(a.charAt(a.length() - q))
        && (isWordAt(a, a.length() - q - 1) || isWordAt(b, b.length() - q - 1))) {
      q--;
    }
    return new int[] {p, q};
  }

  private static boolean isWordAt(String s, int i) {
    return i >= 0 && i < s.length() && isWord(s.charAt(i));
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '\'' || c == '’';
  }

  /** Length of the common prefix, not ending inside a surrogate pair. */
  static int commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int p = 0;
    while (p < n && a.charAt(p) == b.charAt(p)) {
      p++;
    }
    if (p > 0 && Character.isHighSurrogate(a.charAt(p - 1))) {
      p--;
    }
    return p;
  }

  /**
   * Length of the common suffix not overlapping the first {@code prefix} characters, not splitting
   * a pair.
   */
  static int commonSuffix(String a, String b, int prefix) {
    int n = Math.min(a.length(), b.length()) - prefix;
    int q = 0;
    while (q < n && a.charAt(a.length() - 1 - q) == b.charAt(b.length() - 1 - q)) {
      q++;
    }
    if (q > 0 && Character.isLowSurrogate(a.charAt(a.length() - q))) {
      q--;
    }
    return q;
  }
}
