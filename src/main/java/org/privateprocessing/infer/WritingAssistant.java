package org.privateprocessing.infer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.privateprocessing.api.Edit;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.Tone;

/**
 * Rule-based rewording of a draft message. Deterministic; stateless and thread-safe.
 *
 * <ul>
 *   <li>{@code proofread}: common misspellings (case kept), doubled spaces and words, spacing
 *       around punctuation, capitalised sentence starts and weekdays, a closing full stop (or
 *       question mark after a question word) when the draft has no terminal punctuation.
 *   <li>{@code formal}: proofread, contractions expanded, casual words replaced; variant with a
 *       "Hello," line.
 *   <li>{@code friendly}: proofread, common contractions used, a friendly opener; variants with a
 *       smile and plain.
 *   <li>{@code concise}: proofread, filler words and wordy phrases removed or shortened; variant
 *       with contractions.
 * </ul>
 *
 * URLs, e-mail addresses and @mentions are never changed. The first suggestion is the main rewrite;
 * a draft that needs no change comes back unchanged as the only suggestion.
 */
public final class WritingAssistant {
  static final int MAX_SUGGESTIONS = 3;

  private static final String NOT_WORD_BEFORE = "(?<![\\p{L}\\p{N}'’])";
  private static final String NOT_WORD_AFTER = "(?![\\p{L}\\p{N}]|['’]\\p{L})";

  /** A word, possibly with one apostrophe part ("don't"), not the "i" of "i.e.". */
  private static final Pattern WORD =
      Pattern.compile(
          NOT_WORD_BEFORE + "\\p{L}+(?:['’]\\p{L}+)?" + NOT_WORD_AFTER + "(?!\\.\\p{L})");

  private static final Pattern PROTECTED =
      Pattern.compile(
          "(?i)(?:https?://|www\\.)\\S+|[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+|@[\\p{L}\\p{N}_]+");
  private static final char PLACEHOLDER_BASE = '\uE000';

  private static final Map<String, String> MISSPELLINGS =
      Map.ofEntries(
          Map.entry("teh", "the"),
          Map.entry("recieve", "receive"),
          Map.entry("recieved", "received"),
          Map.entry("definately", "definitely"),
          Map.entry("definatly", "definitely"),
          Map.entry("seperate", "separate"),
          Map.entry("occured", "occurred"),
          Map.entry("untill", "until"),
          Map.entry("wich", "which"),
          Map.entry("alot", "a lot"),
          Map.entry("dont", "don't"),
          Map.entry("doesnt", "doesn't"),
          Map.entry("didnt", "didn't"),
          Map.entry("cant", "can't"),
          Map.entry("wont", "won't"),
          Map.entry("isnt", "isn't"),
          Map.entry("wasnt", "wasn't"),
          Map.entry("arent", "aren't"),
          Map.entry("couldnt", "couldn't"),
          Map.entry("shouldnt", "shouldn't"),
          Map.entry("wouldnt", "wouldn't"),
          Map.entry("havent", "haven't"),
          Map.entry("im", "I'm"),
          Map.entry("ive", "I've"),
          Map.entry("i", "I"),
          Map.entry("i'm", "I'm"),
          Map.entry("i'll", "I'll"),
          Map.entry("i've", "I've"),
          Map.entry("i'd", "I'd"),
          Map.entry("thier", "their"),
          Map.entry("beleive", "believe"),
          Map.entry("acheive", "achieve"),
          Map.entry("adress", "address"),
          Map.entry("accomodate", "accommodate"),
          Map.entry("begining", "beginning"),
          Map.entry("calender", "calendar"),
          Map.entry("comming", "coming"),
          Map.entry("tommorow", "tomorrow"),
          Map.entry("tomorow", "tomorrow"),
          Map.entry("tommorrow", "tomorrow"),
          Map.entry("wierd", "weird"),
          Map.entry("freind", "friend"),
          Map.entry("realy", "really"),
          Map.entry("reccomend", "recommend"),
          Map.entry("recomend", "recommend"),
          Map.entry("remeber", "remember"),
          Map.entry("suprise", "surprise"),
          Map.entry("truely", "truly"),
          Map.entry("becuase", "because"),
          Map.entry("beacuse", "because"),
          Map.entry("wiht", "with"),
          Map.entry("adn", "and"),
          Map.entry("taht", "that"),
          Map.entry("jsut", "just"),
          Map.entry("restaraunt", "restaurant"),
          Map.entry("resturant", "restaurant"),
          Map.entry("neccessary", "necessary"),
          Map.entry("necesary", "necessary"),
          Map.entry("occassion", "occasion"),
          Map.entry("sucessful", "successful"),
          Map.entry("succesful", "successful"),
          Map.entry("arguement", "argument"),
          Map.entry("tonite", "tonight"),
          Map.entry("enviroment", "environment"),
          Map.entry("goverment", "government"),
          Map.entry("monday", "Monday"),
          Map.entry("tuesday", "Tuesday"),
          Map.entry("wednesday", "Wednesday"),
          Map.entry("thursday", "Thursday"),
          Map.entry("friday", "Friday"),
          Map.entry("saturday", "Saturday"),
          Map.entry("sunday", "Sunday"));

  private static final Map<String, String> EXPANSIONS =
      Map.ofEntries(
          Map.entry("don't", "do not"),
          Map.entry("doesn't", "does not"),
          Map.entry("didn't", "did not"),
          Map.entry("can't", "cannot"),
          Map.entry("won't", "will not"),
          Map.entry("isn't", "is not"),
          Map.entry("aren't", "are not"),
          Map.entry("wasn't", "was not"),
          Map.entry("weren't", "were not"),
          Map.entry("couldn't", "could not"),
          Map.entry("shouldn't", "should not"),
          Map.entry("wouldn't", "would not"),
          Map.entry("haven't", "have not"),
          Map.entry("hasn't", "has not"),
          Map.entry("hadn't", "had not"),
          Map.entry("i'm", "I am"),
          Map.entry("i've", "I have"),
          Map.entry("i'll", "I will"),
          Map.entry("i'd", "I would"),
          Map.entry("you're", "you are"),
          Map.entry("we're", "we are"),
          Map.entry("they're", "they are"),
          Map.entry("you've", "you have"),
          Map.entry("we've", "we have"),
          Map.entry("they've", "they have"),
          Map.entry("you'll", "you will"),
          Map.entry("we'll", "we will"),
          Map.entry("they'll", "they will"),
          Map.entry("it's", "it is"),
          Map.entry("that's", "that is"),
          Map.entry("there's", "there is"),
          Map.entry("what's", "what is"),
          Map.entry("here's", "here is"),
          Map.entry("he's", "he is"),
          Map.entry("she's", "she is"),
          Map.entry("let's", "let us"),
          Map.entry("it'll", "it will"),
          Map.entry("that'll", "that will"));

  private static final Map<String, String> CASUAL =
      Map.ofEntries(
          Map.entry("hey", "Hello"),
          Map.entry("hi", "Hello"),
          Map.entry("hiya", "Hello"),
          Map.entry("thanks", "thank you"),
          Map.entry("thx", "thank you"),
          Map.entry("ty", "thank you"),
          Map.entry("gonna", "going to"),
          Map.entry("wanna", "want to"),
          Map.entry("gotta", "have to"),
          Map.entry("yeah", "yes"),
          Map.entry("yep", "yes"),
          Map.entry("yup", "yes"),
          Map.entry("nope", "no"),
          Map.entry("ok", "all right"),
          Map.entry("okay", "all right"),
          Map.entry("kinda", "somewhat"),
          Map.entry("sorta", "somewhat"),
          Map.entry("btw", "by the way"),
          Map.entry("asap", "as soon as possible"),
          Map.entry("pls", "please"),
          Map.entry("plz", "please"),
          Map.entry("u", "you"),
          Map.entry("ur", "your"),
          Map.entry("cuz", "because"),
          Map.entry("cos", "because"),
          Map.entry("awesome", "excellent"),
          Map.entry("guys", "everyone"),
          Map.entry("stuff", "things"),
          Map.entry("bye", "goodbye"),
          Map.entry("thru", "through"),
          Map.entry("tho", "though"));

  /** Phrase rewrites for {@code friendly}, applied in order. */
  private static final String[][] CONTRACTIONS = {
    {"do not", "don't"}, {"does not", "doesn't"}, {"did not", "didn't"}, {"cannot", "can't"},
    {"can not", "can't"}, {"will not", "won't"}, {"is not", "isn't"}, {"are not", "aren't"},
    {"I am", "I'm"}, {"I will", "I'll"}, {"we are", "we're"}, {"you are", "you're"},
    {"it is", "it's"}, {"that is", "that's"}, {"let us", "let's"},
  };

  /** Filler phrases for {@code concise}, longest first; "" removes. */
  private static final String[][] FILLERS = {
    {"I just wanted to let you know that", ""},
    {"I just wanted to say that", ""},
    {"it is important to note that", ""},
    {"please note that", ""},
    {"I think that", ""},
    {"I believe that", ""},
    {"I think", ""},
    {"in my opinion", ""},
    {"at this point in time", "now"},
    {"at the present time", "now"},
    {"in spite of the fact that", "although"},
    {"due to the fact that", "because"},
    {"in the event that", "if"},
    {"for the purpose of", "for"},
    {"in order to", "to"},
    {"with regards to", "about"},
    {"with regard to", "about"},
    {"in the near future", "soon"},
    {"a large number of", "many"},
    {"the majority of", "most"},
    {"is able to", "can"},
    {"are able to", "can"},
    {"at the end of the day", ""},
    {"needless to say", ""},
    {"as a matter of fact", ""},
    {"each and every", "every"},
    {"first and foremost", "first"},
    {"kind of", ""},
    {"sort of", ""},
    {"basically", ""},
    {"actually", ""},
    {"literally", ""},
    {"really", ""},
    {"very", ""},
    {"just", ""},
    {"totally", ""},
    {"quite", ""},
    {"simply", ""},
  };

  private static final Set<String> QUESTION_WORDS =
      Set.of(
          "can", "could", "would", "should", "shall", "is", "are", "does", "did", "what", "when",
          "where", "why", "who", "which", "may");
  private static final Set<String> LEGIT_DOUBLES =
      Set.of("had", "that", "is", "bye", "no", "very", "ha");
  private static final Pattern GREETING =
      Pattern.compile(
          "(?iu)^(?:hello|hi|hey|hiya|dear|good (?:morning|afternoon|evening)|hallo|bonjour|hola|ciao)"
              + NOT_WORD_AFTER);

  private static final Pattern DOUBLE_WORD =
      Pattern.compile("(?iu)" + NOT_WORD_BEFORE + "(\\p{L}+) \\1" + NOT_WORD_AFTER);
  private static final Pattern SPACE_BEFORE_PUNCT = Pattern.compile(" +([,;.!?])(?=\\s|$|\\p{L})");
  private static final Pattern NO_SPACE_AFTER_PUNCT = Pattern.compile("([,;!?])(?=\\p{L})");

  /** "end.Next" and "end.next word", but not "file.pdf" or "luigis.example". */
  private static final Pattern NO_SPACE_AFTER_DOT =
      Pattern.compile(
          "(?<=\\p{Ll}\\p{Ll})\\.(?=\\p{Lu}|(?!(?:com|org|net|de|uk|fr|es|nl|eu|io|info|app|dev|example"
              + "|pdf|docx?|txt|jpe?g|png|gif|zip|xlsx?|pptx?|html?)\\s)\\p{Ll}{2,}\\s)");

  private static final Pattern SENTENCE_START = Pattern.compile("(^|[.!?…]\\s+|\\n\\s*)(\\p{Ll})");
  private static final Pattern SPACE_RUN = Pattern.compile("[ \\t\\u00A0]+");
  private static final Pattern SPACED_NEWLINE = Pattern.compile(" *\\n *");
  private static final Pattern REPEATED_MARK = Pattern.compile("([!?])\\1+");
  private static final Pattern HELLO_WITHOUT_COMMA = Pattern.compile("(?m)^(Hello)(?= \\p{L})");
  private static final Pattern YES_NO_WITHOUT_COMMA =
      Pattern.compile("(^|[.!?]\\s|\\n|Hello, )([Yy]es|[Nn]o)(?= \\p{L})");
  private static final Pattern FORMAL_OPENER = Pattern.compile("^(?:Dear|Hello)(?=[ ,!])");
  private static final Pattern LEFTOVER_COMMA = Pattern.compile("(^|[.!?]\\s|\\n)\\s*[,;]\\s*");
  private static final Pattern TRAILING_COMMA = Pattern.compile("\\s*[,;]+\\s*(?=[.!?]?$)");
  private static final Pattern A_BEFORE_VOWEL =
      Pattern.compile("(?u)" + NOT_WORD_BEFORE + "([Aa]) (?=[aeiAEI])");
  private static final Pattern[] FILLER_PATTERNS = compile(FILLERS, true);
  private static final Pattern[] CONTRACTION_PATTERNS = compile(CONTRACTIONS, false);

  /**
   * Up to {@value #MAX_SUGGESTIONS} distinct rewordings, the main rewrite first; never empty. Each
   * lists the edits that turn the draft into it ({@link Edit#apply}); a draft that needs no change
   * comes back as the only suggestion, with no edits.
   *
   * @throws NullPointerException if draft or tone is null
   */
  public List<Suggestion> suggest(String draft, Tone tone) {
    Objects.requireNonNull(draft, "draft");
    Objects.requireNonNull(tone, "tone");
    if (draft.isBlank()) {
      return List.of(new Suggestion(draft));
    }
    List<String> urls = new ArrayList<>();
    TrackedText base = proofread(protect(new TrackedText(draft), urls));
    List<TrackedText> candidates = new ArrayList<>();
    switch (tone) {
      case PROOFREAD -> candidates.add(base);
      case FORMAL -> {
        TrackedText formal = formal(base.copy());
        candidates.add(formal);
        if (!GREETING.matcher(formal.text()).find()) {
          candidates.add(formal.copy().insert(0, "Hello,\n", Edit.GREETING));
        }
      }
      case FRIENDLY -> {
        TrackedText friendly = friendly(base.copy());
        candidates.add(
            GREETING.matcher(friendly.text()).find()
                ? friendly
                : friendly.copy().insert(0, "Hi! ", Edit.GREETING));
        if (!endsWithSymbol(friendly.text())) {
          candidates.add(
              friendly.copy().insert(friendly.text().length(), " 🙂", Edit.FRIENDLINESS));
        }
        candidates.add(friendly);
      }
      case CONCISE -> {
        TrackedText concise = concise(base.copy());
        candidates.add(concise);
        candidates.add(
            replacePhrases(
                concise.copy(), CONTRACTION_PATTERNS, CONTRACTIONS, r -> Edit.CONTRACTION));
      }
    }
    Map<String, TrackedText> distinct = new LinkedHashMap<>();
    for (TrackedText c : candidates) {
      TrackedText restored = restore(c, urls);
      distinct.putIfAbsent(restored.text(), restored);
    }
    List<TrackedText> texts = new ArrayList<>(distinct.values());
    if (texts.get(0).text().equals(draft)) {
      return List.of(new Suggestion(draft));
    }
    List<Suggestion> out = new ArrayList<>();
    for (TrackedText t : texts.subList(0, Math.min(MAX_SUGGESTIONS, texts.size()))) {
      out.add(toSuggestion(draft, t));
    }
    return out;
  }

  /** The rewrite with its edits; should the edits not reproduce it (a bug), without edits. */
  private static Suggestion toSuggestion(String draft, TrackedText t) {
    try {
      List<Edit> edits = t.edits();
      if (Edit.apply(draft, edits).equals(t.text())) {
        return new Suggestion(t.text(), edits);
      }
    } catch (IllegalStateException | IllegalArgumentException e) {
      // fall through: the text is still right, only the listing failed
    }
    assert false : "edits do not reproduce the suggestion";
    return new Suggestion(t.text());
  }

  // ---------------------------------------------------------------- tones

  static String proofread(String text) {
    return proofread(new TrackedText(text)).text();
  }

  private static TrackedText proofread(TrackedText t) {
    normalizeSpaces(t);
    t.replaceAll(SPACE_BEFORE_PUNCT, m -> m.group(1), Edit.SPACING);
    t.replaceAll(NO_SPACE_AFTER_PUNCT, m -> m.group(1) + " ", Edit.SPACING);
    t.replaceAll(NO_SPACE_AFTER_DOT, m -> ". ", Edit.SPACING);
    replaceWords(
        t,
        MISSPELLINGS::get,
        (old, r) -> old.equalsIgnoreCase(r) ? Edit.CAPITALISATION : Edit.SPELLING);
    removeDoubledWords(t);
    return finish(t);
  }

  private static TrackedText formal(TrackedText t) {
    replaceWords(t, EXPANSIONS::get, (old, r) -> Edit.CONTRACTION);
    replaceWords(
        t,
        w -> w.equals("lol") || w.equals("haha") ? "" : CASUAL.get(w),
        (old, r) -> Edit.FORMALITY);
    t.replaceAll(REPEATED_MARK, m -> m.group(1), Edit.PUNCTUATION);
    t.replaceAll(HELLO_WITHOUT_COMMA, m -> m.group(1) + ",", Edit.PUNCTUATION);
    t.replaceAll(YES_NO_WITHOUT_COMMA, m -> m.group(1) + m.group(2) + ",", Edit.PUNCTUATION);
    return finish(normalizeSpaces(t));
  }

  private static TrackedText friendly(TrackedText t) {
    replacePhrases(t, CONTRACTION_PATTERNS, CONTRACTIONS, r -> Edit.CONTRACTION);
    t.replaceAll(FORMAL_OPENER, m -> "Hi", Edit.GREETING);
    return finish(t);
  }

  private static TrackedText concise(TrackedText t) {
    replacePhrases(t, FILLER_PATTERNS, FILLERS, r -> r.isEmpty() ? Edit.FILLER : Edit.WORDINESS);
    normalizeSpaces(t);
    t.replaceAll(SPACE_BEFORE_PUNCT, m -> m.group(1), Edit.SPACING);
    t.replaceAll(
        LEFTOVER_COMMA, m -> m.group(1), Edit.PUNCTUATION); // a comma left where a filler began
    t.replaceAll(TRAILING_COMMA, m -> "", Edit.PUNCTUATION); // ... or where one ended the text
    t.replaceAll(A_BEFORE_VOWEL, m -> m.group(1) + "n ", Edit.GRAMMAR);
    return finish(t);
  }

  // ---------------------------------------------------------------- steps

  /** Collapses runs of spaces and tabs, trims every line and the whole text. */
  private static TrackedText normalizeSpaces(TrackedText t) {
    t.replaceAll(SPACE_RUN, m -> " ", Edit.SPACING);
    t.replaceAll(SPACED_NEWLINE, m -> "\n", Edit.SPACING);
    String s = t.text();
    String stripped = s.strip();
    if (!stripped.equals(s)) {
      int lead = s.indexOf(stripped.isEmpty() ? s : stripped);
      if (stripped.isEmpty()) {
        t.replace(0, s.length(), "", Edit.SPACING);
      } else {
        t.replace(lead + stripped.length(), s.length(), "", Edit.SPACING);
        t.replace(0, lead, "", Edit.SPACING);
      }
    }
    return t;
  }

  /** Capitalises sentence starts and closes the text with terminal punctuation if it has none. */
  private static TrackedText finish(TrackedText t) {
    capitalizeSentences(t);
    String s = t.text();
    if (s.isEmpty()) {
      return t;
    }
    int last = s.codePointBefore(s.length());
    String lastWord = s.substring(Math.max(s.lastIndexOf(' '), s.lastIndexOf('\n')) + 1);
    if (PROTECTED.matcher(lastWord).matches()) {
      return t; // a trailing URL or address gets no full stop
    }
    if (Character.isLetterOrDigit(last) || ")]\"'”’»".indexOf(last) >= 0) {
      t.insert(s.length(), isQuestion(s) ? "?" : ".", Edit.PUNCTUATION);
    }
    return t;
  }

  private static void capitalizeSentences(TrackedText t) {
    String text = t.text();
    t.replaceAll(
        SENTENCE_START,
        m -> {
          String before = text.substring(0, m.start(2));
          boolean afterAbbreviation = before.matches("(?s).*(?:e\\.g|i\\.e|etc|vs)\\.\\s+");
          return afterAbbreviation ? null : m.group(1) + m.group(2).toUpperCase(Locale.ROOT);
        },
        Edit.CAPITALISATION);
  }

  /** Whether the last sentence starts with a question word (after an optional greeting). */
  private static boolean isQuestion(String s) {
    int start =
        Math.max(
            Math.max(s.lastIndexOf(". "), s.lastIndexOf("! ")),
            Math.max(s.lastIndexOf("? "), s.lastIndexOf('\n')));
    String last = s.substring(start + 1).strip();
    last = GREETING.matcher(last).replaceFirst("").replaceFirst("^[,!]?\\s*", "");
    Matcher w = WORD.matcher(last);
    return w.lookingAt() && QUESTION_WORDS.contains(w.group().toLowerCase(Locale.ROOT));
  }

  private static boolean endsWithSymbol(String s) {
    int last = s.codePointBefore(s.length());
    return Character.getType(last) == Character.OTHER_SYMBOL
        || Character.isSurrogate(s.charAt(s.length() - 1));
  }

  private static void removeDoubledWords(TrackedText t) {
    t.replaceAll(
        DOUBLE_WORD,
        m -> LEGIT_DOUBLES.contains(m.group(1).toLowerCase(Locale.ROOT)) ? null : m.group(1),
        Edit.DOUBLED_WORD);
  }

  /** Replaces each word whose lower-case form the table maps, keeping its capitalisation. */
  private static void replaceWords(
      TrackedText t, Function<String, String> table, TrackedText.ReasonFunction reasons) {
    t.replaceAll(
        WORD,
        m -> {
          String word = m.group();
          String replacement = table.apply(word.toLowerCase(Locale.ROOT).replace('’', '\''));
          if (replacement == null) {
            return null;
          }
          String r = matchCase(word, replacement);
          return word.indexOf('’') >= 0 ? r.replace('\'', '’') : r;
        },
        reasons);
  }

  private static Pattern[] compile(String[][] table, boolean eatTrailingComma) {
    Pattern[] out = new Pattern[table.length];
    for (int i = 0; i < table.length; i++) {
      String words = String.join("\\s+", table[i][0].split(" "));
      String tail = eatTrailingComma && table[i][1].isEmpty() ? ",?\\s*" : "";
      out[i] = Pattern.compile("(?iu)" + NOT_WORD_BEFORE + words + NOT_WORD_AFTER + tail);
    }
    return out;
  }

  private static TrackedText replacePhrases(
      TrackedText t,
      Pattern[] patterns,
      String[][] table,
      Function<String, String> reasonOfReplacement) {
    for (int i = 0; i < patterns.length; i++) {
      String replacement = table[i][1];
      t.replaceAll(
          patterns[i],
          m -> matchCase(m.group(), replacement),
          reasonOfReplacement.apply(replacement));
    }
    return t;
  }

  /**
   * The replacement in the original's case: upper case for an all-capitals original of five or more
   * letters (shorter ones are acronyms like "OK"), a capital first letter for a capitalised
   * original, else the replacement as written (which keeps "I'm" and "Monday").
   */
  static String matchCase(String original, String replacement) {
    if (replacement.isEmpty()) {
      return replacement;
    }
    String letters = original.replaceAll("[^\\p{L}]", "");
    if (letters.length() >= 5
        && letters.equals(letters.toUpperCase(Locale.ROOT))
        && !letters.equals(letters.toLowerCase(Locale.ROOT))) {
      return replacement.toUpperCase(Locale.ROOT);
    }
    if (!letters.isEmpty() && Character.isUpperCase(letters.codePointAt(0))) {
      return replacement.substring(0, 1).toUpperCase(Locale.ROOT) + replacement.substring(1);
    }
    return replacement;
  }

  // ---------------------------------------------------------------- protected spans

  /**
   * Replaces URLs, e-mail addresses and @mentions by one private-use character each, as internal
   * changes (no reason) that {@link #restore} undoes.
   */
  private static TrackedText protect(TrackedText t, List<String> spans) {
    String text = t.text();
    if (text.chars().anyMatch(c -> c >= PLACEHOLDER_BASE && c < PLACEHOLDER_BASE + 4096)) {
      return t; // the draft uses the placeholder range itself: protect nothing
    }
    Matcher m = PROTECTED.matcher(text);
    List<int[]> found = new ArrayList<>();
    while (m.find() && spans.size() < 4096) {
      String span = m.group();
      int keep = span.length();
      while (keep > 1 && ".,;:!?)]\"'".indexOf(span.charAt(keep - 1)) >= 0) {
        keep--; // sentence punctuation after a URL is not part of it
      }
      spans.add(span.substring(0, keep));
      found.add(new int[] {m.start(), m.start() + keep});
    }
    for (int i = found.size() - 1; i >= 0; i--) {
      t.replace(
          found.get(i)[0], found.get(i)[1], String.valueOf((char) (PLACEHOLDER_BASE + i)), null);
    }
    return t;
  }

  private static TrackedText restore(TrackedText t, List<String> spans) {
    if (spans.isEmpty()) {
      return t;
    }
    TrackedText r = t.copy();
    String text = r.text();
    for (int i = text.length() - 1; i >= 0; i--) {
      int k = text.charAt(i) - PLACEHOLDER_BASE;
      if (k >= 0 && k < spans.size()) {
        r.replace(i, i + 1, spans.get(k), null);
      }
    }
    return r;
  }
}
