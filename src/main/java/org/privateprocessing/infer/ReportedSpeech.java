package org.privateprocessing.infer;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one chat sentence into a third-person summary sentence that says who said it: "I'll bring
 * the cake" from Priya to Tomasz becomes "Priya will bring the cake", "Can you call me?" becomes
 * "Priya asks Tomasz: can Tomasz call Priya?", "Sounds good!" becomes "Tomasz agrees."
 *
 * <ol>
 *   <li>{@link #clean(String)} removes chat noise that a summary never repeats: emoji, emoticons,
 *       attachment placeholders such as {@code <file_photo>}, and leading greetings and
 *       interjections ("Hi Tom,", "Oh, yes,", "Haha").
 *   <li>English pronouns are rewritten (only when the sentence looks English): first person
 *       singular becomes the speaker's name, second person the addressee's (the other speaker of a
 *       two-person chat, else the nearest other speaker around the message), first person plural
 *       "Priya and Tomasz" in a two-person chat and "they" otherwise; a present-tense verb after a
 *       new name subject gets its third-person form ("I want" → "Priya wants").
 *   <li>The sentence is framed: a question as "Name asks [Addressee]: …?", a bare agreement as
 *       "Name agrees.", a sentence that now starts with the speaker's name as it is, anything else
 *       as "Name: …".
 * </ol>
 *
 * <p>Rules, not a parser: the aim is a readable attributed sentence, not a grammatical guarantee.
 * Stateless and thread-safe.
 */
final class ReportedSpeech {
  private static final String W = "[\\p{L}\\p{N}]"; // a word character
  private static final String B = "(?<![\\p{L}\\p{N}'’])"; // word start
  private static final String E = "(?![\\p{L}\\p{N}'’])"; // word end
  private static final String AP = "['’]";

  private static final Pattern WORDS = Pattern.compile("[\\p{L}'’]+");

  /**
   * Pronoun phrases (lower case, straight apostrophes, single spaces) and their rewriting: S the
   * speaker, A the addressee, G the group ("Priya and Tomasz" or "they"), O the group as object.
   */
  private static final Map<String, String> PHRASES =
      phrases(
          "am i",
          "is S",
          "do i",
          "does S",
          "have i",
          "has S",
          "i'm",
          "S is",
          "i am",
          "S is",
          "im",
          "S is",
          "i'll",
          "S will",
          "i will",
          "S will",
          "i've",
          "S has",
          "i have",
          "S has",
          "i'd",
          "S would",
          "i was",
          "S was",
          "me",
          "S",
          "myself",
          "S",
          "my",
          "S's",
          "mine",
          "S's",
          "ourselves",
          "themselves",
          "are you",
          "is A",
          "are u",
          "is A",
          "r u",
          "is A",
          "do you",
          "does A",
          "do u",
          "does A",
          "have you",
          "has A",
          "have u",
          "has A",
          "were you",
          "was A",
          "were u",
          "was A",
          "you're",
          "A is",
          "you are",
          "A is",
          "you'll",
          "A will",
          "you will",
          "A will",
          "you've",
          "A has",
          "you have",
          "A has",
          "you'd",
          "A would",
          "you were",
          "A was",
          "your",
          "A's",
          "yours",
          "A's",
          "ur",
          "A's",
          "yourself",
          "A",
          "we're",
          "G are",
          "we are",
          "G are",
          "we'll",
          "G will",
          "we will",
          "G will",
          "we've",
          "G have",
          "we have",
          "G have",
          "we'd",
          "G would",
          "let's",
          "G will",
          "lets",
          "G will",
          "we",
          "G",
          "us",
          "O",
          "our",
          "their",
          "ours",
          "their");

  // The look-ahead on the phrases' first letters only makes the search cheaper: without it, every
  // position of every message is tried against each of the ~70 phrases.
  private static final Pattern PRONOUN_PHRASE =
      Pattern.compile(
          "(?iu)(?=["
              + PHRASES.keySet().stream()
                  .map(k -> k.substring(0, 1))
                  .distinct()
                  .sorted()
                  .collect(java.util.stream.Collectors.joining())
              + "])"
              + B
              + "(?:"
              + PHRASES.keySet().stream()
                  .sorted(
                      java.util.Comparator.comparingInt(String::length)
                          .reversed()
                          .thenComparing(k -> k))
                  .map(k -> k.replace("'", AP).replace(" ", "\\s+"))
                  .collect(java.util.stream.Collectors.joining("|"))
              + ")"
              + E);
  private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z_]{2,20}>");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern EMOTICON =
      Pattern.compile(
          "(?<!\\S)(?:[:;=8xX][-'^o]?[)(DPpOo3/\\\\|*\\]\\[}{@$]+|<3+|\\^\\^|\\^_\\^|[xX][dD]+|:-?[sS])(?!\\S)"
              + "|[:;=][-'^]?[)(DPp3*]+(?![\\p{L}\\p{N}/])");
  private static final Pattern SPACE_BEFORE_PUNCTUATION = Pattern.compile("\\s+([.,!?;:])");
  private static final Pattern LEADING_PUNCTUATION = Pattern.compile("^[\\s,;:.!-]+");
  private static final Pattern LAST_WORD = Pattern.compile("([\\p{L}'’]+)\\W*$");
  private static final Pattern SPACES = Pattern.compile("[ \\t\\u00a0]{2,}");
  private static final Pattern LEADING =
      Pattern.compile(
          "(?iu)^(?:(?:hi|hey|hello|heya|hiya|dear|yo)"
              + "(?:\\s+(?:there|guys|all|everyone|(?-i:\\p{Lu}[\\p{L}'-]*)))?"
              + E
              + "\\s*[,!.:]*\\s*"
              + "|(?:oh+|ah+|aw+|hmm+|um+|uh+|haha\\w*|hehe\\w*|lol|omg|wow|ugh|oops|btw)"
              + E
              + "\\s*[,!.:…-]*\\s*"
              + "|(?:well|ok+|okay|so|yeah|yes|yep|yup|sure|right|alright|cool|great|nice|sorry|thanks|thank you|"
              + "anyway|honestly|actually|no|nope)\\s*[,!.:…-]+\\s*)+");

  /** A question without its question mark: it opens with an auxiliary verb or a question word. */
  private static final Pattern QUESTION_START =
      Pattern.compile(
          "(?iu)^(?:do|does|did|can|could|will|would|"
              + "should|shall|is|are|was|were|have|has|had|may|what|when|where|who|whom|whose|why|how|which)"
              + E);

  private static final Pattern AGREEMENT =
      Pattern.compile(
          "(?iu)^(?:yes|yeah|yep|yup|sure|ok+|okay|fine|deal|"
              + "agreed|perfect|cool|great|good|alright|all right|of course|absolutely|definitely|sounds good|"
              + "sounds great|sounds like a plan|why not|no problem|np|ok then|good idea|great idea)"
              + "(?:[\\s,]+(?:then|thanks|thank you|sure|great|good|perfect|idea))*[\\s.!]*$");

  private static final Set<String> ENGLISH =
      Set.of(
          "i", "you", "we", "the", "a", "an", "to", "is", "are", "will", "and", "of", "it", "that",
          "can", "do", "my", "me", "your", "in", "on", "for", "with", "what", "this", "have", "be",
          "not", "at", "i'm", "i'll", "don't", "it's", "just", "so", "there", "was", "did");

  /** Words after which a new name subject keeps the verb as it is ("does Tomasz want"). */
  private static final Set<String> NO_AGREEMENT =
      Set.of(
          "do", "does", "did", "can", "could", "will", "would", "should", "shall", "may", "might",
          "must", "to", "don't", "doesn't", "didn't", "can't", "won't", "let", "make", "help",
          "than", "with", "for", "about", "at", "of", "from", "like", "and you");

  private static final Set<String> ADVERBS =
      Set.of(
          "really",
          "just",
          "also",
          "still",
          "never",
          "always",
          "actually",
          "only",
          "already",
          "usually",
          "totally",
          "definitely",
          "probably",
          "even",
          "kinda",
          "sometimes",
          "often",
          "finally",
          "seriously",
          "honestly",
          "literally",
          "all",
          "both");
  private static final Pattern SUBJECT =
      Pattern.compile(
          "(?iu)(?=[iuy])"
              + B
              + "(i|you|u)"
              + E
              + "(\\s+(?:(?:"
              + String.join("|", ADVERBS)
              + ")\\s+)*)?((?!(?:i|you|u|we)"
              + E
              + ")"
              + W
              + "[\\p{L}\\p{N}'’]*)?");
  private static final Map<String, String> IRREGULAR =
      Map.ofEntries(
          Map.entry("have", "has"),
          Map.entry("do", "does"),
          Map.entry("go", "goes"),
          Map.entry("am", "is"),
          Map.entry("are", "is"),
          Map.entry("were", "was"),
          Map.entry("try", "tries"),
          Map.entry("worry", "worries"),
          Map.entry("don't", "doesn't"),
          Map.entry("dont", "doesn't"),
          Map.entry("haven't", "hasn't"),
          Map.entry("havent", "hasn't"),
          Map.entry("aren't", "isn't"),
          Map.entry("weren't", "wasn't"));
  private static final Set<String> VERBS =
      Set.of(
          "want",
          "need",
          "think",
          "know",
          "like",
          "love",
          "hate",
          "hope",
          "guess",
          "feel",
          "mean",
          "prefer",
          "agree",
          "plan",
          "work",
          "live",
          "see",
          "get",
          "take",
          "bring",
          "buy",
          "make",
          "come",
          "say",
          "tell",
          "remember",
          "forget",
          "understand",
          "believe",
          "suppose",
          "wonder",
          "wish",
          "miss",
          "send",
          "call",
          "check",
          "find",
          "play",
          "watch",
          "leave",
          "start",
          "finish",
          "meet",
          "look",
          "use",
          "keep",
          "eat",
          "drink",
          "read",
          "write",
          "sleep",
          "stay",
          "visit",
          "help",
          "ask",
          "give",
          "put",
          "run",
          "pick",
          "book",
          "order",
          "cook",
          "bake",
          "wait",
          "expect",
          "care",
          "mind",
          "doubt",
          "recommend",
          "suggest",
          "promise",
          "offer",
          "owe",
          "study",
          "teach",
          "learn",
          "drive",
          "walk",
          "sell",
          "lend",
          "borrow",
          "show",
          "join",
          "arrive",
          "return",
          "move",
          "open",
          "close",
          "fix",
          "clean",
          "wear",
          "win",
          "lose",
          "sound",
          "seem",
          "realize",
          "realise",
          "appreciate",
          "enjoy",
          "apologize",
          "apologise",
          "hear",
          "trust",
          "count",
          "bet",
          "talk",
          "text",
          "email",
          "post",
          "deserve",
          "own",
          "remind",
          "invite",
          "afford",
          "admit",
          "fancy",
          "reckon",
          "hang",
          "drop",
          "cancel",
          "confirm",
          "share");

  private ReportedSpeech() {}

  private static Map<String, String> phrases(String... pairs) {
    Map<String, String> out = new java.util.HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return Map.copyOf(out);
  }

  /** The sentence without emoji, emoticons, placeholders and leading greetings; may be empty. */
  static String clean(String sentence) {
    StringBuilder b = new StringBuilder(sentence.length());
    sentence
        .codePoints()
        .forEach(
            cp -> {
              int type = Character.getType(cp);
              boolean emoji =
                  type == Character.OTHER_SYMBOL
                      || type == Character.SURROGATE
                      || (cp >= 0x1F3FB && cp <= 0x1F3FF)
                      || cp == 0x200D
                      || (cp >= 0xFE00 && cp <= 0xFE0F);
              if (!emoji) {
                b.appendCodePoint(cp);
              }
            });
    String s = PLACEHOLDER.matcher(b).replaceAll(" ");
    s = EMOTICON.matcher(s).replaceAll(" ");
    s = SPACES.matcher(s).replaceAll(" ").strip();
    s = SPACE_BEFORE_PUNCTUATION.matcher(s).replaceAll("$1");
    s = LEADING_PUNCTUATION.matcher(s).replaceFirst("");
    return s;
  }

  /** Whether the sentence is a bare agreement such as "Sure!" or "Sounds good". */
  static boolean isAgreement(String cleaned) {
    return AGREEMENT.matcher(cleaned).matches();
  }

  /**
   * The sentence as an attributed summary sentence.
   *
   * @param addressee who the speaker talks to, or null when unknown
   * @param others the other speakers of the chat (for "we")
   */
  static String report(String sentence, String speaker, String addressee, List<String> others) {
    String cleaned = clean(sentence);
    if (cleaned.isEmpty() || !cleaned.codePoints().anyMatch(Character::isLetterOrDigit)) {
      return "";
    }
    if (isAgreement(cleaned)) {
      return speaker + " agrees.";
    }
    String body = LEADING.matcher(cleaned).replaceFirst("");
    if (body.isEmpty() || !body.codePoints().anyMatch(Character::isLetterOrDigit)) {
      body = cleaned;
    }
    boolean question =
        body.endsWith("?")
            || body.endsWith("？")
            || (QUESTION_START.matcher(body).lookingAt()
                && !body.endsWith("!")
                && !body.endsWith("."));
    if (!looksEnglish(body)) {
      return speaker + (question ? " asks: " : ": ") + closed(body, false);
    }
    String group = others.size() == 1 ? speaker + " and " + others.get(0) : "they";
    String rewritten = thirdPerson(body, speaker, addressee, group);
    if (question) {
      return speaker + " asks: " + closed(lowerFirst(rewritten, speaker, addressee), true);
    }
    if (rewritten.startsWith(speaker + " ") || rewritten.startsWith(speaker + "'s ")) {
      return closed(rewritten, false);
    }
    return speaker + ": " + closed(rewritten, false);
  }

  private static boolean looksEnglish(String s) {
    Matcher m = WORDS.matcher(s.toLowerCase(Locale.ROOT));
    while (m.find()) {
      if (ENGLISH.contains(m.group().replace('’', '\''))) {
        return true;
      }
    }
    return false;
  }

  /** First and second person rewritten to names, "we" to the group. */
  static String thirdPerson(String s, String speaker, String addressee, String group) {
    Matcher m = PRONOUN_PHRASE.matcher(s);
    StringBuilder b = new StringBuilder(s.length() + 32);
    while (m.find()) {
      String key = m.group().toLowerCase(Locale.ROOT).replace('’', '\'');
      key = WHITESPACE.matcher(key).replaceAll(" ");
      String rule = PHRASES.get(key);
      String r;
      if (rule.contains("A") && addressee == null || m.group().equals("US")) {
        r = m.group(); // no addressee known; "US" is the country
      } else {
        r = expand(rule, speaker, addressee, group);
        if (m.start() == 0) {
          r = r.substring(0, 1).toUpperCase(Locale.ROOT) + r.substring(1);
        }
      }
      m.appendReplacement(b, Matcher.quoteReplacement(r));
    }
    m.appendTail(b);
    return subject(b.toString(), speaker, addressee);
  }

  /** The rule with its placeholders S, A, G and O (each a whole word or before "'s") filled in. */
  private static String expand(String rule, String speaker, String addressee, String group) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < rule.length(); i++) {
      char c = rule.charAt(i);
      boolean alone =
          (i == 0 || rule.charAt(i - 1) == ' ')
              && (i + 1 == rule.length()
                  || rule.charAt(i + 1) == ' '
                  || rule.charAt(i + 1) == '\'');
      if (alone && c == 'S') {
        b.append(speaker);
      } else if (alone && c == 'A') {
        b.append(addressee);
      } else if (alone && c == 'G') {
        b.append(group);
      } else if (alone && c == 'O') {
        b.append("they".equals(group) ? "them" : group);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Replaces the subject pronouns "I" and "you" by names and gives the verb after them its
   * third-person form, unless an auxiliary comes before ("does Tomasz want").
   */
  private static String subject(String s, String speaker, String addressee) {
    Matcher m = SUBJECT.matcher(s);
    StringBuilder b = new StringBuilder(s.length() + 16);
    while (m.find()) {
      boolean you = !m.group(1).equalsIgnoreCase("i");
      if (you && addressee == null) {
        m.appendReplacement(b, Matcher.quoteReplacement(m.group()));
        continue;
      }
      String before = s.substring(0, m.start()).strip();
      Matcher p = LAST_WORD.matcher(before);
      String previous = p.find() ? p.group(1).toLowerCase(Locale.ROOT) : "";
      boolean agree = before.isEmpty() || before.endsWith(",") || !NO_AGREEMENT.contains(previous);
      String gap = m.group(2) == null ? "" : m.group(2);
      String verb = m.group(3) == null ? "" : m.group(3);
      if (agree && !verb.isEmpty()) {
        verb = agree(verb);
      }
      m.appendReplacement(b, Matcher.quoteReplacement((you ? addressee : speaker) + gap + verb));
    }
    m.appendTail(b);
    return b.toString();
  }

  private static String agree(String verb) {
    String lower = verb.toLowerCase(Locale.ROOT).replace('’', '\'');
    String irregular = IRREGULAR.get(lower);
    if (irregular != null) {
      return verb.indexOf('’') >= 0 ? irregular.replace('\'', '’') : irregular;
    }
    if (!VERBS.contains(lower)) {
      return verb;
    }
    if (lower.endsWith("s")
        || lower.endsWith("sh")
        || lower.endsWith("ch")
        || lower.endsWith("x")) {
      return verb + "es";
    }
    return verb + "s";
  }

  private static String lowerFirst(String s, String speaker, String addressee) {
    if (s.isEmpty() || s.startsWith(speaker) || (addressee != null && s.startsWith(addressee))) {
      return s;
    }
    int first = s.codePointAt(0);
    int n = Character.charCount(first);
    boolean acronym = s.length() > n && Character.isUpperCase(s.codePointAt(n));
    return acronym
        ? s
        : new String(Character.toChars(Character.toLowerCase(first))) + s.substring(n);
  }

  /** Upper-cases the first letter and closes the sentence with a full stop or a question mark. */
  private static String closed(String s, boolean question) {
    String t = s.strip();
    if (t.isEmpty()) {
      return t;
    }
    int last = t.codePointBefore(t.length());
    if (question) {
      t = t.replaceAll("[.!?？]+$", "");
      return t + (t.endsWith("？") ? "" : "?");
    }
    if (Character.isLetterOrDigit(last) || ")]\"'”’»".indexOf(last) >= 0) {
      return t
          + (Character.UnicodeScript.of(last) == Character.UnicodeScript.HAN
                  || Character.UnicodeScript.of(last) == Character.UnicodeScript.HIRAGANA
                  || Character.UnicodeScript.of(last) == Character.UnicodeScript.KATAKANA
              ? "。"
              : ".");
    }
    return t;
  }
}
