package org.privateprocessing.infer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The content terms of a sentence: the one tokeniser both summarisers use, {@link
 * TextRankSummarizer} to link chat sentences that share terms ({@link #forRanking}) and {@link
 * SummaryAlignment} to find the message sentence a generated sentence came from ({@link
 * #forMatching}).
 *
 * <ul>
 *   <li>Lower case ({@link Locale#ROOT}); runs of Unicode letters and digits are words, anything
 *       else separates them.
 *   <li>A word counts if it has two or more characters, or is a number, and is not a stop word.
 *   <li>A light plural strip ("tickets" meets "ticket"; "status", "analysis", "class" stay).
 *   <li>Chinese and Japanese runs give character bigrams (a run of one character, that character):
 *       most words there are two characters long, and single characters such as 的 would match
 *       almost every sentence.
 * </ul>
 *
 * <p>Two stop lists, because the two jobs disagree about one kind of word. Function words (of six
 * languages), interjections and the verbs a summary reports speech with are no content for either.
 * Chat words ("thanks", "good", "want", "get", "again" ...) are in almost every chat message, so
 * for ranking they would link every sentence to every other; in a generated summary ("Dorothy does
 * not want to go out", "Ross broke his leg again") they are what a sentence says and point at the
 * message it came from. Measured on the SAMSum sample (docs/QUALITY.md): ranking without the chat
 * list loses about one point of ROUGE-1; matching with it misplaces highlights.
 *
 * <p>Stateless and thread-safe.
 */
final class Terms {
  /** Stop words of both jobs: words no sentence is about. */
  private static final Set<String> FUNCTION_WORDS =
      words(
          // English
          "a about above after all also am an and any are as at be because been before being but",
          "by can could did do does doing don doesn didn isn aren wasn weren won wouldn couldn",
          "shouldn haven hasn ll ve re for from had has have he her him his how i if in into is",
          "it its just me my no not of off on or our out over she should so some than that the",
          "their them then there these they this those to up us was we were what when where which",
          "who why will with would you your im",
          // Interjections, and the parts of a web address
          "yes yeah yep ok okay lol haha oh hi hey http https www com org net",
          // Reported speech: the words of a generated summary, not of the chat
          "say says said asked asks agreed shall",
          // German
          "der die das den dem des und ist nicht ich du wir ihr sie es ein eine einen zu mit auf",
          "für von im auch aber noch ja nein doch mal schon dann wie was wer wo bei",
          // French
          "le la les et est un une des du de je tu nous vous il elle ils elles pas que qui pour",
          "dans sur avec ce ça oui non au aux mais ou se on en",
          // Spanish, Italian, Portuguese
          "el los las y es una por para con lo al del sí si il di che non per uno gli e è o os as",
          "um uma com não do da dos das em eu ele ela mas sim");

  /** Stop words of ranking only: what chat messages say all the time. */
  private static final Set<String> CHAT_WORDS =
      words(
          "thanks thank pls please sure good great well think know see go going gonna want need",
          "make take come let lets get got like really again here now one only still very too");

  private Terms() {}

  /**
   * The terms a chat sentence is ranked by, in order, with repeats: function words and chat words
   * dropped.
   */
  static List<String> forRanking(String sentence) {
    return tokenize(sentence, true);
  }

  /**
   * The distinct terms a generated sentence and a message sentence are matched by, in first-seen
   * order: function words dropped, chat words kept.
   */
  static Set<String> forMatching(String sentence) {
    return new LinkedHashSet<>(tokenize(sentence, false));
  }

  private static List<String> tokenize(String text, boolean dropChatWords) {
    List<String> out = new ArrayList<>();
    String s = text.toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (isCjk(cp)) {
        int j = i;
        List<Integer> run = new ArrayList<>();
        while (j < s.length() && isCjk(s.codePointAt(j))) {
          run.add(s.codePointAt(j));
          j += Character.charCount(s.codePointAt(j));
        }
        if (run.size() == 1) {
          out.add(Character.toString(run.get(0)));
        }
        for (int k = 0; k + 1 < run.size(); k++) {
          out.add(Character.toString(run.get(k)) + Character.toString(run.get(k + 1)));
        }
        i = j;
      } else if (Character.isLetterOrDigit(cp)) {
        int j = i;
        while (j < s.length()
            && Character.isLetterOrDigit(s.codePointAt(j))
            && !isCjk(s.codePointAt(j))) {
          j += Character.charCount(s.codePointAt(j));
        }
        String word = s.substring(i, j);
        boolean number = Character.isDigit(cp);
        if ((number || word.codePointCount(0, word.length()) > 1)
            && !isStopWord(word, dropChatWords)) {
          out.add(number ? word : stem(word));
        }
        i = j;
      } else {
        i += Character.charCount(cp);
      }
    }
    return out;
  }

  private static boolean isStopWord(String word, boolean dropChatWords) {
    return FUNCTION_WORDS.contains(word) || (dropChatWords && CHAT_WORDS.contains(word));
  }

  /** Whether {@code cp} is Han, Hiragana or Katakana. */
  static boolean isCjk(int cp) {
    if (cp < 0x2E80) {
      return false; // below the first Han block; the script lookup is a binary search per character
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA;
  }

  /** A light plural strip so "tickets" meets "ticket". */
  private static String stem(String word) {
    if (word.length() > 4
        && word.endsWith("s")
        && !word.endsWith("ss")
        && !word.endsWith("us")
        && !word.endsWith("is")) {
      return word.substring(0, word.length() - 1);
    }
    return word;
  }

  private static Set<String> words(String... lines) {
    return Arrays.stream(lines)
        .flatMap(line -> Arrays.stream(line.split(" ")))
        .collect(Collectors.toUnmodifiableSet());
  }
}
