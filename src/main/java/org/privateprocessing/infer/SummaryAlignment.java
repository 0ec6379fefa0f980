package org.privateprocessing.infer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.Highlight;

/**
 * Turns a generated (abstractive) summary into a {@link Summary} whose highlights point at real
 * messages: the text is cut to at most {@code maxSentences} sentences, and each of its sentences is
 * mapped to the message sentence it shares the most content words with (token overlap, normalised
 * by length). Highlights are the chosen message sentences, in chat order, each with its message's
 * id, so a client can always find them. A summary sentence that shares no content word with any
 * message gets no highlight. Stateless and thread-safe.
 */
final class SummaryAlignment {
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?…。！？])\\s+|\\s*\\n\\s*");
  private static final Pattern LIST_MARKER = Pattern.compile("(?m)^\\s*(?:[-*•]|\\d{1,2}[.)])\\s+");
  private static final Set<String> STOP_WORDS =
      Set.of(
          "the", "and", "for", "are", "was", "were", "but", "not", "you", "your", "they", "them",
          "their", "she", "her", "his", "him", "its", "our", "has", "have", "had", "will", "would",
          "can", "could", "should", "with", "from", "that", "this", "these", "those", "there",
          "then", "than", "what", "when", "where", "which", "who", "why", "how", "all", "any",
          "some", "also", "just", "about", "into", "over", "out", "off", "been", "being", "did",
          "does", "doing", "yes", "okay", "said", "says", "say", "asked", "asks", "agreed", "shall",
          "der", "die", "das", "und", "ist", "les", "des", "est", "una", "los", "las", "por",
          "para", "con", "che", "per");

  private SummaryAlignment() {}

  /** One sentence of one message. */
  private record Candidate(int message, int sentence, String text, Set<String> terms) {}

  /**
   * The summary of a model's plain-text answer.
   *
   * @param answer the model's text (not blank)
   * @param messages the messages the model was shown, in chat order
   * @throws ModelException ({@link ModelException.Reason#EMPTY}) if no sentence is left
   */
  static Summary align(String answer, List<ChatMessage> messages, int maxSentences) {
    List<String> sentences = sentences(LIST_MARKER.matcher(answer.strip()).replaceAll(""));
    if (sentences.isEmpty()) {
      throw new ModelException(ModelException.Reason.EMPTY, "model answer has no sentence");
    }
    List<String> kept = sentences.subList(0, Math.min(maxSentences, sentences.size()));

    List<Candidate> candidates = new ArrayList<>();
    for (int m = 0; m < messages.size(); m++) {
      String text = messages.get(m).text();
      if (text == null || text.isBlank()) {
        continue;
      }
      List<String> parts = sentences(text);
      for (int s = 0; s < parts.size(); s++) {
        Set<String> terms = terms(parts.get(s));
        if (!terms.isEmpty()) {
          candidates.add(new Candidate(m, s, parts.get(s), terms));
        }
      }
    }
    Map<String, Candidate> chosen = new LinkedHashMap<>();
    for (String sentence : kept) {
      Candidate best = best(terms(sentence), candidates);
      if (best != null) {
        chosen.putIfAbsent(best.message() + ":" + best.sentence(), best);
      }
    }
    List<Highlight> highlights =
        chosen.values().stream()
            .sorted(
                Comparator.comparingInt(Candidate::message).thenComparingInt(Candidate::sentence))
            .map(c -> new Highlight(messages.get(c.message()).id(), c.text()))
            .toList();
    return new Summary(String.join(" ", kept), highlights);
  }

  /** The candidate sharing the most terms (cosine-normalised); ties go to the later message. */
  private static Candidate best(Set<String> terms, List<Candidate> candidates) {
    if (terms.isEmpty()) {
      return null;
    }
    Candidate best = null;
    double bestScore = 0;
    for (Candidate c : candidates) {
      int shared = 0;
      for (String t : c.terms()) {
        if (terms.contains(t)) {
          shared++;
        }
      }
      if (shared == 0) {
        continue;
      }
      double score = shared / Math.sqrt((double) terms.size() * c.terms().size());
      if (score >= bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return best;
  }

  /** Trimmed, non-blank sentences, split after sentence punctuation and at line breaks. */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    for (String s : SENTENCE_END.split(text)) {
      String t = s.strip();
      if (!t.isEmpty() && t.codePoints().anyMatch(Character::isLetterOrDigit)) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * Content terms: lower-case runs of letters and digits of three or more characters (any number),
   * minus stop words, with a light plural strip; each Han, Hiragana or Katakana character is a term
   * of its own.
   */
  static Set<String> terms(String text) {
    Set<String> out = new HashSet<>();
    String s = text.toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int width = Character.charCount(cp);
      if (isCjk(cp)) {
        out.add(s.substring(i, i + width));
        i += width;
      } else if (Character.isLetterOrDigit(cp)) {
        int j = i;
        while (j < s.length()
            && Character.isLetterOrDigit(s.codePointAt(j))
            && !isCjk(s.codePointAt(j))) {
          j += Character.charCount(s.codePointAt(j));
        }
        String word = s.substring(i, j);
        boolean number = Character.isDigit(cp);
        if ((number || word.codePointCount(0, word.length()) >= 3) && !STOP_WORDS.contains(word)) {
          out.add(
              word.length() > 4 && word.endsWith("s") && !word.endsWith("ss")
                  ? word.substring(0, word.length() - 1)
                  : word);
        }
        i = j;
      } else {
        i += width;
      }
    }
    return out;
  }

  private static boolean isCjk(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA;
  }
}
