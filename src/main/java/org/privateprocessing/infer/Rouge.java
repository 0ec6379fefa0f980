package org.privateprocessing.infer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ROUGE F1 scores of a candidate summary against one reference (Lin, "ROUGE: A Package for
 * Automatic Evaluation of Summaries", ACL Workshop 2004), computed the way Google's {@code
 * rouge-score} package does without stemming.
 *
 * <ul>
 *   <li>Tokens: the text in lower case (Unicode-aware {@code toLowerCase(Locale.ROOT)}), every run
 *       of characters other than {@code a-z} and {@code 0-9} replaced by a space, split on spaces.
 *       Letters outside ASCII (accents, emoji, CJK) are therefore separators, as in {@code
 *       rouge-score}. No stemming, no stop-word removal.
 *   <li>ROUGE-N: clipped n-gram overlap (each n-gram counts at most as often as in the other text);
 *       precision = overlap / candidate n-grams, recall = overlap / reference n-grams.
 *   <li>ROUGE-L: longest common subsequence of the two whole token sequences (the summary is one
 *       sequence, no sentence split: {@code rouge-score}'s {@code rougeL}, not {@code rougeLsum});
 *       precision = LCS / candidate tokens, recall = LCS / reference tokens.
 *   <li>F1 = 2PR / (P + R), and 0 when the overlap is 0 (including an empty candidate or
 *       reference).
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class Rouge {

  /** Precision, recall and F1 of one measure, each in [0, 1]. */
  public record Score(double precision, double recall, double f1) {
    static Score of(long overlap, long candidate, long reference) {
      if (overlap == 0 || candidate == 0 || reference == 0) {
        return new Score(0, 0, 0);
      }
      double p = (double) overlap / candidate;
      double r = (double) overlap / reference;
      return new Score(p, r, 2 * p * r / (p + r));
    }
  }

  /** ROUGE-1, ROUGE-2 and ROUGE-L of one candidate against one reference. */
  public record Scores(Score rouge1, Score rouge2, Score rougeL) {}

  private Rouge() {}

  /** All three measures of {@code candidate} against {@code reference}. */
  public static Scores score(String candidate, String reference) {
    List<String> c = tokenize(candidate);
    List<String> r = tokenize(reference);
    return new Scores(rougeN(c, r, 1), rougeN(c, r, 2), rougeL(c, r));
  }

  /** Lower-case tokens: maximal runs of {@code [a-z0-9]} after lower-casing. */
  public static List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    String s = text.toLowerCase(Locale.ROOT);
    int start = -1;
    for (int i = 0; i <= s.length(); i++) {
      char ch = i < s.length() ? s.charAt(i) : ' ';
      boolean word = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        out.add(s.substring(start, i));
        start = -1;
      }
    }
    return out;
  }

  /** Clipped n-gram overlap of two token lists. */
  public static Score rougeN(List<String> candidate, List<String> reference, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1");
    }
    Map<List<String>, Integer> ref = ngrams(reference, n);
    Map<List<String>, Integer> cand = ngrams(candidate, n);
    long overlap = 0;
    for (Map.Entry<List<String>, Integer> e : cand.entrySet()) {
      overlap += Math.min(e.getValue(), ref.getOrDefault(e.getKey(), 0));
    }
    return Score.of(
        overlap, Math.max(0, candidate.size() - n + 1), Math.max(0, reference.size() - n + 1));
  }

  /** LCS-based score of two token lists. */
  public static Score rougeL(List<String> candidate, List<String> reference) {
    return Score.of(lcs(candidate, reference), candidate.size(), reference.size());
  }

  /** Length of the longest common subsequence, in O(|a|·|b|) time and O(|b|) space. */
  static int lcs(List<String> a, List<String> b) {
    int[] prev = new int[b.size() + 1];
    int[] cur = new int[b.size() + 1];
    for (int i = 1; i <= a.size(); i++) {
      String x = a.get(i - 1);
      for (int j = 1; j <= b.size(); j++) {
        cur[j] = x.equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.size()];
  }

  private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
    Map<List<String>, Integer> out = new HashMap<>();
    for (int i = 0; i + n <= tokens.size(); i++) {
      out.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
    }
    return out;
  }
}
