package org.privateprocessing.infer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.Highlight;

/**
 * Extractive, speaker-aware chat summariser: TextRank (Mihalcea and Tarau, "TextRank: Bringing
 * Order into Texts", EMNLP 2004) over the sentences of the messages.
 *
 * <ol>
 *   <li>Messages (in chat order) lose the lines that quote an earlier message ({@code > …}) and are
 *       split into sentences at {@code . ! ? …}, CJK {@code 。！？}, line breaks and an emoji before a
 *       capital; blank messages and sentences of only emoji, emoticons or placeholders such as
 *       {@code <file_photo>} are skipped.
 *   <li>Sentences are tokenised by {@link Terms}: lower case, runs of Unicode letters and digits, a
 *       light plural strip, a small stop-word list (English, German, French, Spanish, Italian,
 *       Portuguese); Chinese and Japanese runs give character bigrams.
 *   <li>Edges join sentences that share terms, weighted by {@code Σ idf(shared term) / (ln(1+|a|) +
 *       ln(1+|b|))} (the TextRank overlap measure with IDF weights). To stay near-linear for
 *       thousands of messages a sentence is compared only with its {@value #WINDOW} predecessors
 *       and, for each of its terms, the last {@value #POSTING_CAP} earlier sentences holding that
 *       term (an inverted index with capped postings).
 *   <li>Weighted PageRank, damping {@value #DAMPING}, until no score moves by more than {@value
 *       #TOLERANCE} or after {@value #MAX_ITERATIONS} rounds.
 *   <li>Scores are discounted for very short sentences and raised for the opening messages (by
 *       {@code 1 + LEAD_BONUS·e^(−message/LEAD_DECAY)}: chats usually open with their topic). The
 *       best sentences (near-duplicates skipped; ties go to the earlier sentence) are reported in
 *       chat order in the third person by {@link ReportedSpeech} ("Priya will leave the bike at the
 *       door.", "Tomasz asks: …?", "Tomasz agrees."); consecutive quoted sentences of one speaker
 *       share one "Name:" prefix. Each highlight is the chosen source sentence, unchanged.
 * </ol>
 *
 * <p>Deterministic; stateless and thread-safe. Nothing is logged.
 */
public final class TextRankSummarizer {
  static final double DAMPING = 0.85;
  static final int MAX_ITERATIONS = 50;
  static final double TOLERANCE = 1e-4;
  static final int WINDOW = 6;
  static final int POSTING_CAP = 16;

  /** Sentences whose term sets overlap this much (Jaccard) with a chosen one are skipped. */
  static final double REDUNDANCY = 0.6;

  /** Extra weight of the first message's sentences; it halves about every 1.4 messages. */
  static final double LEAD_BONUS = 1.0;

  /** Messages over which the lead bonus falls by a factor e. */
  static final double LEAD_DECAY = 2.0;

  /** Longest sentence quoted in the summary text, in characters; longer ones are cut with "…". */
  static final int MAX_QUOTE_CHARS = 300;

  private static final Set<String> ABBREVIATIONS =
      Set.of(
          "mr", "mrs", "ms", "dr", "prof", "st", "vs", "e.g", "i.e", "approx", "ca", "nr", "z.b",
          "bzw", "usw", "p.s");

  /** One sentence of one message. */
  private record Sentence(int message, String text, int[] terms) {}

  /**
   * Summarises messages given in chat order.
   *
   * @param maxSentences at least 1; the summary has at most this many sentences
   * @return the summary; text {@code ""} and no highlights when no message has text
   */
  public Summary summarize(List<ChatMessage> messages, int maxSentences) {
    return summarize(messages, maxSentences, piece -> {});
  }

  /**
   * {@link #summarize(List, int)}, passing each sentence of the summary's text to {@code sink} as
   * soon as it is written (the sentences are chosen together, then written one by one in chat
   * order); every sentence after the first comes with the space before it, so the pieces joined are
   * exactly the returned text.
   */
  public Summary summarize(List<ChatMessage> messages, int maxSentences, TextSink sink) {
    java.util.Objects.requireNonNull(sink, "sink");
    if (maxSentences < 1) {
      throw new IllegalArgumentException("maxSentences must be at least 1");
    }
    Map<String, Integer> vocabulary = new HashMap<>();
    List<Sentence> sentences = new ArrayList<>();
    for (int m = 0; m < messages.size(); m++) {
      String text = withoutQuotedLines(messages.get(m).text());
      if (text.isBlank()) {
        continue;
      }
      for (String s : splitSentences(text)) {
        if (hasContent(s)) {
          sentences.add(new Sentence(m, s, termIds(Terms.forRanking(s), vocabulary)));
        }
      }
    }
    if (sentences.isEmpty()) {
      return new Summary("", List.of());
    }
    double[] scores = rank(sentences, vocabulary.size());
    List<Integer> chosen = choose(sentences, scores, maxSentences);
    return render(messages, sentences, chosen, sink);
  }

  // ---------------------------------------------------------------- sentences and tokens

  /** The text without the lines that quote an earlier message (lines starting with {@code >}). */
  static String withoutQuotedLines(String text) {
    if (text == null) {
      return "";
    }
    if (text.indexOf('>') < 0) {
      return text;
    }
    StringBuilder b = new StringBuilder(text.length());
    for (String line : text.split("\\R", -1)) {
      if (!line.stripLeading().startsWith(">")) {
        b.append(line).append('\n');
      }
    }
    return b.toString();
  }

  /** Splits a message into trimmed, non-empty sentences. */
  static List<String> splitSentences(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      int end = -1; // exclusive end of a sentence ending here
      int next = i + 1;
      if (c == '\n' || c == '\r') {
        end = i;
      } else if (isEmoji(text.codePointAt(i))) {
        int j = i;
        while (j < n && (isEmoji(text.codePointAt(j)) || text.charAt(j) == ' ')) {
          j += Character.charCount(text.codePointAt(j));
        }
        next = j;
        if (j < n
            && j > i
            && text.charAt(j - 1) == ' '
            && Character.isUpperCase(text.codePointAt(j))) {
          end = j; // an emoji between two sentences ends the first: "Done 🎉 See you"
        }
      } else if (c == '。' || c == '！' || c == '？') {
        next = skipClosers(text, i + 1);
        end = next;
      } else if (c == '.' || c == '!' || c == '?' || c == '…') {
        int j = i;
        while (j < n && ".!?…".indexOf(text.charAt(j)) >= 0) {
          j++;
        }
        j = skipClosers(text, j);
        next = j;
        boolean atBreak = j >= n || Character.isWhitespace(text.charAt(j));
        boolean singleDot = c == '.' && j == i + 1;
        if (atBreak && !(singleDot && isAbbreviation(text, start, i))) {
          end = j;
        }
      }
      if (end >= 0) {
        add(out, text.substring(start, end));
        start = next;
      }
      i = next;
    }
    add(out, text.substring(Math.min(start, n)));
    return out;
  }

  /** Emoji, their modifiers and joiners. */
  static boolean isEmoji(int cp) {
    return Character.getType(cp) == Character.OTHER_SYMBOL
        || (cp >= 0x1F3FB && cp <= 0x1F3FF)
        || cp == 0x200D
        || (cp >= 0xFE00 && cp <= 0xFE0F);
  }

  private static int skipClosers(String text, int j) {
    while (j < text.length() && "\"')]}”’»」』）".indexOf(text.charAt(j)) >= 0) {
      j++;
    }
    return j;
  }

  /** True when the word before the dot at {@code dot} is a known abbreviation or an initial. */
  private static boolean isAbbreviation(String text, int start, int dot) {
    int b = dot;
    while (b > start && !Character.isWhitespace(text.charAt(b - 1))) {
      b--;
    }
    String word = text.substring(b, dot);
    if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
      return true; // an initial, as in "J. Smith"
    }
    return ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT));
  }

  private static void add(List<String> out, String s) {
    String t = s.strip();
    if (!t.isEmpty()) {
      out.add(t);
    }
  }

  /**
   * Whether a sentence has words worth reporting: three letters or digits outside placeholders such
   * as {@code <file_photo>} settle it cheaply; fewer (":D", "xD", "👍") are cleaned first.
   */
  static boolean hasContent(String s) {
    int letters = 0;
    boolean inTag = false;
    for (int i = 0; i < s.length() && letters < 3; i++) {
      char c = s.charAt(i);
      if (c == '<') {
        inTag = true;
      } else if (c == '>' || c == ' ') {
        inTag = false;
      } else if (!inTag && Character.isLetterOrDigit(c)) {
        letters++;
      }
    }
    return letters >= 3 || hasLetterOrDigit(ReportedSpeech.clean(s));
  }

  private static boolean hasLetterOrDigit(String s) {
    return s.codePoints().anyMatch(Character::isLetterOrDigit);
  }

  private static int[] termIds(List<String> tokens, Map<String, Integer> vocabulary) {
    return tokens.stream()
        .mapToInt(t -> vocabulary.computeIfAbsent(t, k -> vocabulary.size()))
        .distinct()
        .sorted()
        .toArray();
  }

  // ---------------------------------------------------------------- graph and ranking

  private static double[] rank(List<Sentence> sentences, int vocabularySize) {
    int n = sentences.size();
    int[] df = new int[vocabularySize];
    for (Sentence s : sentences) {
      for (int t : s.terms()) {
        df[t]++;
      }
    }
    double[] idf = new double[vocabularySize];
    for (int t = 0; t < vocabularySize; t++) {
      idf[t] = Math.log(1.0 + (double) n / df[t]);
    }
    double[] norm = new double[n];
    for (int i = 0; i < n; i++) {
      norm[i] = Math.log1p(sentences.get(i).terms().length);
    }

    // Edges (i, j) with j < i, found through the window and the capped postings.
    IntList from = new IntList();
    IntList to = new IntList();
    DoubleList weight = new DoubleList();
    IntList[] postings = new IntList[vocabularySize];
    int[] stamp = new int[n];
    Arrays.fill(stamp, -1);
    for (int i = 0; i < n; i++) {
      int[] a = sentences.get(i).terms();
      for (int j = Math.max(0, i - WINDOW); j < i; j++) {
        consider(i, j, a, sentences, idf, norm, stamp, from, to, weight);
      }
      for (int t : a) {
        IntList p = postings[t];
        if (p == null) {
          p = postings[t] = new IntList();
        }
        for (int k = p.size() - 1, seen = 0; k >= 0 && seen < POSTING_CAP; k--, seen++) {
          consider(i, p.get(k), a, sentences, idf, norm, stamp, from, to, weight);
        }
        p.add(i);
      }
    }

    // Weighted PageRank on the undirected graph.
    int[] degree = new int[n];
    double[] strength = new double[n];
    for (int e = 0; e < from.size(); e++) {
      degree[from.get(e)]++;
      degree[to.get(e)]++;
      strength[from.get(e)] += weight.get(e);
      strength[to.get(e)] += weight.get(e);
    }
    int[] offset = new int[n + 1];
    for (int i = 0; i < n; i++) {
      offset[i + 1] = offset[i] + degree[i];
    }
    int[] nbr = new int[offset[n]];
    double[] w = new double[offset[n]];
    int[] fill = Arrays.copyOf(offset, n);
    for (int e = 0; e < from.size(); e++) {
      int u = from.get(e);
      int v = to.get(e);
      nbr[fill[u]] = v;
      w[fill[u]++] = weight.get(e);
      nbr[fill[v]] = u;
      w[fill[v]++] = weight.get(e);
    }
    for (int i = 0; i < n; i++) {
      for (int k = offset[i]; k < offset[i + 1]; k++) {
        w[k] /= strength[nbr[k]]; // share of neighbour j's score that flows to i
      }
    }
    double[] score = new double[n];
    Arrays.fill(score, 1.0);
    double[] next = new double[n];
    for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
      double delta = 0;
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int k = offset[i]; k < offset[i + 1]; k++) {
          sum += w[k] * score[nbr[k]];
        }
        next[i] = (1 - DAMPING) + DAMPING * sum;
        delta = Math.max(delta, Math.abs(next[i] - score[i]));
      }
      double[] swap = score;
      score = next;
      next = swap;
      if (delta < TOLERANCE) {
        break;
      }
    }
    return score;
  }

  private static void consider(
      int i,
      int j,
      int[] a,
      List<Sentence> sentences,
      double[] idf,
      double[] norm,
      int[] stamp,
      IntList from,
      IntList to,
      DoubleList weight) {
    if (stamp[j] == i) {
      return;
    }
    stamp[j] = i;
    int[] b = sentences.get(j).terms();
    double shared = 0;
    for (int x = 0, y = 0; x < a.length && y < b.length; ) {
      if (a[x] == b[y]) {
        shared += idf[a[x]];
        x++;
        y++;
      } else if (a[x] < b[y]) {
        x++;
      } else {
        y++;
      }
    }
    if (shared > 0) {
      from.add(i);
      to.add(j);
      weight.add(shared / (norm[i] + norm[j]));
    }
  }

  // ---------------------------------------------------------------- selection and output

  private static List<Integer> choose(List<Sentence> sentences, double[] scores, int maxSentences) {
    int n = sentences.size();
    double[] adjusted = new double[n];
    for (int i = 0; i < n; i++) {
      // Discount sentences with fewer than three content terms ("Yes!", "Sounds good").
      // and favour the opening messages, which usually set the topic.
      adjusted[i] =
          scores[i]
              * Math.min(1.0, (sentences.get(i).terms().length + 1) / 4.0)
              * (1 + LEAD_BONUS * Math.exp(-sentences.get(i).message() / LEAD_DECAY));
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order, Comparator.<Integer>comparingDouble(i -> -adjusted[i]).thenComparingInt(i -> i));
    List<Integer> chosen = new ArrayList<>();
    for (int i : order) {
      if (chosen.size() == maxSentences) {
        break;
      }
      boolean redundant = false;
      for (int c : chosen) {
        if (redundant(sentences.get(i), sentences.get(c))) {
          redundant = true;
          break;
        }
      }
      if (!redundant) {
        chosen.add(i);
      }
    }
    chosen.sort(Comparator.naturalOrder());
    return chosen;
  }

  private static boolean redundant(Sentence a, Sentence b) {
    if (a.text().equalsIgnoreCase(b.text())) {
      return true;
    }
    int[] x = a.terms();
    int[] y = b.terms();
    if (x.length == 0 || y.length == 0) {
      return false;
    }
    int shared = 0;
    for (int i = 0, j = 0; i < x.length && j < y.length; ) {
      if (x[i] == y[j]) {
        shared++;
        i++;
        j++;
      } else if (x[i] < y[j]) {
        i++;
      } else {
        j++;
      }
    }
    return shared >= REDUNDANCY * (x.length + y.length - shared);
  }

  private static Summary render(
      List<ChatMessage> messages, List<Sentence> sentences, List<Integer> chosen, TextSink sink) {
    Set<String> speakers = new LinkedHashSet<>();
    for (ChatMessage m : messages) {
      speakers.add(m.from());
      if (speakers.size() > 2) {
        break;
      }
    }
    List<Highlight> highlights = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    List<String> speakerOfPart = new ArrayList<>();
    for (int c : chosen) {
      Sentence s = sentences.get(c);
      ChatMessage message = messages.get(s.message());
      String speaker = message.from();
      List<String> others = speakers.stream().filter(x -> !x.equals(speaker)).toList();
      String addressee =
          speakers.size() == 2 && others.size() == 1
              ? others.get(0)
              : addressee(messages, s.message());
      String part =
          ReportedSpeech.report(
              quote(s.text()), speaker, addressee, speakers.size() == 2 ? others : List.of());
      if (!part.isEmpty() && !parts.contains(part)) {
        parts.add(part);
        highlights.add(new Highlight(message.id(), s.text()));
        speakerOfPart.add(speaker);
      }
    }
    StringBuilder text = new StringBuilder();
    for (int k = 0; k < parts.size(); k++) {
      String part = parts.get(k);
      String prefix = speakerOfPart.get(k) + ": ";
      // A speaker's second quoted sentence in a row continues the first: "Ann: X. Y."
      boolean continues =
          k > 0
              && speakerOfPart.get(k).equals(speakerOfPart.get(k - 1))
              && part.startsWith(prefix)
              && parts.get(k - 1).startsWith(prefix);
      String written = continues ? capitalize(part.substring(prefix.length())) : part;
      if (text.length() > 0) {
        written = " " + written;
      }
      text.append(written);
      sink.text(written);
    }
    return new Summary(text.toString(), highlights);
  }

  private static String capitalize(String s) {
    if (s.isEmpty() || !Character.isLowerCase(s.codePointAt(0))) {
      return s;
    }
    int n = Character.charCount(s.codePointAt(0));
    return s.substring(0, n).toUpperCase(Locale.ROOT) + s.substring(n);
  }

  /** The nearest other speaker before the message, else after it; null in a monologue. */
  private static String addressee(List<ChatMessage> messages, int at) {
    String speaker = messages.get(at).from();
    for (int d = 1; at - d >= 0 || at + d < messages.size(); d++) {
      if (at - d >= 0 && !messages.get(at - d).from().equals(speaker)) {
        return messages.get(at - d).from();
      }
      if (at + d < messages.size() && !messages.get(at + d).from().equals(speaker)) {
        return messages.get(at + d).from();
      }
    }
    return null;
  }

  /** The sentence as quoted in the summary: cut when very long, closed with punctuation. */
  private static String quote(String sentence) {
    String s = sentence;
    if (s.codePointCount(0, s.length()) > MAX_QUOTE_CHARS) {
      int cut = s.offsetByCodePoints(0, MAX_QUOTE_CHARS);
      int space = s.lastIndexOf(' ', cut);
      s = s.substring(0, space > MAX_QUOTE_CHARS / 2 ? space : cut).strip() + "…";
    }
    int last = s.codePointBefore(s.length());
    if (Character.isLetterOrDigit(last)) {
      s += Terms.isCjk(last) ? "。" : ".";
    }
    return s;
  }

  // ---------------------------------------------------------------- small primitive lists

  private static final class IntList {
    private int[] a = new int[16];
    private int size;

    void add(int v) {
      if (size == a.length) {
        a = Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }

    int get(int i) {
      return a[i];
    }

    int size() {
      return size;
    }
  }

  private static final class DoubleList {
    private double[] a = new double[16];
    private int size;

    void add(double v) {
      if (size == a.length) {
        a = Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }

    double get(int i) {
      return a[i];
    }
  }
}
