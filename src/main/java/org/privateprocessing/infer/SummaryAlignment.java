package org.privateprocessing.infer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.Highlight;

/**
 * Turns a generated (abstractive) summary into a {@link Summary} whose highlights point at real
 * messages: the text is cut to at most {@code maxSentences} sentences, and each of its sentences is
 * mapped to the message sentence it shares the most content terms with ({@link Terms}, the same
 * tokeniser {@link TextRankSummarizer} ranks with; overlap normalised by length). Highlights are
 * the chosen message sentences, in chat order, each with its message's id, so a client can always
 * find them. A summary sentence that shares no content term with any message gets no highlight.
 * Stateless and thread-safe.
 */
final class SummaryAlignment {
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?…。！？])\\s+|\\s*\\n\\s*");

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
    return alignSentences(SentenceStream.sentences(answer), messages, maxSentences);
  }

  /**
   * The summary of a model's answer already cut into sentences (by {@link SentenceStream}, as
   * {@link #align} does): its text is the first {@code maxSentences} of them joined by one space.
   *
   * @throws ModelException ({@link ModelException.Reason#EMPTY}) if there is no sentence
   */
  static Summary alignSentences(
      List<String> sentences, List<ChatMessage> messages, int maxSentences) {
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
        Set<String> terms = Terms.forMatching(parts.get(s));
        if (!terms.isEmpty()) {
          candidates.add(new Candidate(m, s, parts.get(s), terms));
        }
      }
    }
    Map<String, Candidate> chosen = new LinkedHashMap<>();
    for (String sentence : kept) {
      Candidate best = best(Terms.forMatching(sentence), candidates);
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
}
