package org.privateprocessing.infer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.privateprocessing.api.Suggestion;
import org.privateprocessing.api.Tone;

/**
 * Rule-based rewording of a draft message. Deterministic; stateless and thread-safe.
 *
 * <ul>
 *   <li>{@code proofread}: common misspellings (case kept), doubled spaces and words, spacing
 *       around punctuation, capitalised sentence starts and weekdays, a closing full stop (or
 *       question mark after a question word) when the draft has no terminal punctuation.</li>
 *   <li>{@code formal}: proofread, contractions expanded, casual words replaced; variant with a
 *       "Hello," line.</li>
 *   <li>{@code friendly}: proofread, common contractions used, a friendly opener; variants with a
 *       smile and plain.</li>
 *   <li>{@code concise}: proofread, filler words and wordy phrases removed or shortened; variant
 *       with contractions.</li>
 * </ul>
 *
 * URLs, e-mail addresses and @mentions are never changed. The first suggestion is the main
 * rewrite; a draft that needs no change comes back unchanged as the only suggestion.
 */
public final class WritingAssistant {
    static final int MAX_SUGGESTIONS = 3;

    private static final String NOT_WORD_BEFORE = "(?<![\\p{L}\\p{N}'’])";
    private static final String NOT_WORD_AFTER = "(?![\\p{L}\\p{N}]|['’]\\p{L})";
    /** A word, possibly with one apostrophe part ("don't"), not the "i" of "i.e.". */
    private static final Pattern WORD = Pattern.compile(
            NOT_WORD_BEFORE + "\\p{L}+(?:['’]\\p{L}+)?" + NOT_WORD_AFTER + "(?!\\.\\p{L})");
    private static final Pattern PROTECTED = Pattern.compile(
            "(?i)(?:https?://|www\\.)\\S+|[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+|@[\\p{L}\\p{N}_]+");
    private static final char PLACEHOLDER_BASE = '\uE000';

    private static final Map<String, String> MISSPELLINGS = Map.ofEntries(
            Map.entry("teh", "the"), Map.entry("recieve", "receive"), Map.entry("recieved", "received"),
            Map.entry("definately", "definitely"), Map.entry("definatly", "definitely"),
            Map.entry("seperate", "separate"), Map.entry("occured", "occurred"), Map.entry("untill", "until"),
            Map.entry("wich", "which"), Map.entry("alot", "a lot"), Map.entry("dont", "don't"),
            Map.entry("doesnt", "doesn't"), Map.entry("didnt", "didn't"), Map.entry("cant", "can't"),
            Map.entry("wont", "won't"), Map.entry("isnt", "isn't"), Map.entry("wasnt", "wasn't"),
            Map.entry("arent", "aren't"), Map.entry("couldnt", "couldn't"), Map.entry("shouldnt", "shouldn't"),
            Map.entry("wouldnt", "wouldn't"), Map.entry("havent", "haven't"), Map.entry("im", "I'm"),
            Map.entry("ive", "I've"), Map.entry("i", "I"), Map.entry("i'm", "I'm"), Map.entry("i'll", "I'll"),
            Map.entry("i've", "I've"), Map.entry("i'd", "I'd"), Map.entry("thier", "their"),
            Map.entry("beleive", "believe"), Map.entry("acheive", "achieve"), Map.entry("adress", "address"),
            Map.entry("accomodate", "accommodate"), Map.entry("begining", "beginning"),
            Map.entry("calender", "calendar"), Map.entry("comming", "coming"), Map.entry("tommorow", "tomorrow"),
            Map.entry("tomorow", "tomorrow"), Map.entry("tommorrow", "tomorrow"), Map.entry("wierd", "weird"),
            Map.entry("freind", "friend"), Map.entry("realy", "really"), Map.entry("reccomend", "recommend"),
            Map.entry("recomend", "recommend"), Map.entry("remeber", "remember"), Map.entry("suprise", "surprise"),
            Map.entry("truely", "truly"), Map.entry("becuase", "because"), Map.entry("beacuse", "because"),
            Map.entry("wiht", "with"), Map.entry("adn", "and"), Map.entry("taht", "that"), Map.entry("jsut", "just"),
            Map.entry("restaraunt", "restaurant"), Map.entry("resturant", "restaurant"),
            Map.entry("neccessary", "necessary"), Map.entry("necesary", "necessary"),
            Map.entry("occassion", "occasion"), Map.entry("sucessful", "successful"),
            Map.entry("succesful", "successful"), Map.entry("arguement", "argument"), Map.entry("tonite", "tonight"),
            Map.entry("enviroment", "environment"), Map.entry("goverment", "government"),
            Map.entry("monday", "Monday"), Map.entry("tuesday", "Tuesday"), Map.entry("wednesday", "Wednesday"),
            Map.entry("thursday", "Thursday"), Map.entry("friday", "Friday"), Map.entry("saturday", "Saturday"),
            Map.entry("sunday", "Sunday"));

    private static final Map<String, String> EXPANSIONS = Map.ofEntries(
            Map.entry("don't", "do not"), Map.entry("doesn't", "does not"), Map.entry("didn't", "did not"),
            Map.entry("can't", "cannot"), Map.entry("won't", "will not"), Map.entry("isn't", "is not"),
            Map.entry("aren't", "are not"), Map.entry("wasn't", "was not"), Map.entry("weren't", "were not"),
            Map.entry("couldn't", "could not"), Map.entry("shouldn't", "should not"),
            Map.entry("wouldn't", "would not"), Map.entry("haven't", "have not"), Map.entry("hasn't", "has not"),
            Map.entry("hadn't", "had not"), Map.entry("i'm", "I am"), Map.entry("i've", "I have"),
            Map.entry("i'll", "I will"), Map.entry("i'd", "I would"), Map.entry("you're", "you are"),
            Map.entry("we're", "we are"), Map.entry("they're", "they are"), Map.entry("you've", "you have"),
            Map.entry("we've", "we have"), Map.entry("they've", "they have"), Map.entry("you'll", "you will"),
            Map.entry("we'll", "we will"), Map.entry("they'll", "they will"), Map.entry("it's", "it is"),
            Map.entry("that's", "that is"), Map.entry("there's", "there is"), Map.entry("what's", "what is"),
            Map.entry("here's", "here is"), Map.entry("he's", "he is"), Map.entry("she's", "she is"),
            Map.entry("let's", "let us"), Map.entry("it'll", "it will"), Map.entry("that'll", "that will"));

    private static final Map<String, String> CASUAL = Map.ofEntries(
            Map.entry("hey", "Hello"), Map.entry("hi", "Hello"), Map.entry("hiya", "Hello"),
            Map.entry("thanks", "thank you"), Map.entry("thx", "thank you"), Map.entry("ty", "thank you"),
            Map.entry("gonna", "going to"), Map.entry("wanna", "want to"), Map.entry("gotta", "have to"),
            Map.entry("yeah", "yes"), Map.entry("yep", "yes"), Map.entry("yup", "yes"), Map.entry("nope", "no"),
            Map.entry("ok", "all right"), Map.entry("okay", "all right"), Map.entry("kinda", "somewhat"),
            Map.entry("sorta", "somewhat"), Map.entry("btw", "by the way"), Map.entry("asap", "as soon as possible"),
            Map.entry("pls", "please"), Map.entry("plz", "please"), Map.entry("u", "you"), Map.entry("ur", "your"),
            Map.entry("cuz", "because"), Map.entry("cos", "because"), Map.entry("awesome", "excellent"),
            Map.entry("guys", "everyone"), Map.entry("stuff", "things"), Map.entry("bye", "goodbye"),
            Map.entry("thru", "through"), Map.entry("tho", "though"));

    /** Phrase rewrites for {@code friendly}, applied in order. */
    private static final String[][] CONTRACTIONS = {
        {"do not", "don't"}, {"does not", "doesn't"}, {"did not", "didn't"}, {"cannot", "can't"},
        {"can not", "can't"}, {"will not", "won't"}, {"is not", "isn't"}, {"are not", "aren't"},
        {"I am", "I'm"}, {"I will", "I'll"}, {"we are", "we're"}, {"you are", "you're"},
        {"it is", "it's"}, {"that is", "that's"}, {"let us", "let's"},
    };

    /** Filler phrases for {@code concise}, longest first; "" removes. */
    private static final String[][] FILLERS = {
        {"I just wanted to let you know that", ""}, {"I just wanted to say that", ""},
        {"it is important to note that", ""}, {"please note that", ""}, {"I think that", ""},
        {"I believe that", ""}, {"I think", ""}, {"in my opinion", ""}, {"at this point in time", "now"},
        {"at the present time", "now"}, {"in spite of the fact that", "although"},
        {"due to the fact that", "because"}, {"in the event that", "if"}, {"for the purpose of", "for"},
        {"in order to", "to"}, {"with regards to", "about"}, {"with regard to", "about"},
        {"in the near future", "soon"}, {"a large number of", "many"}, {"the majority of", "most"},
        {"is able to", "can"}, {"are able to", "can"}, {"at the end of the day", ""}, {"needless to say", ""},
        {"as a matter of fact", ""}, {"each and every", "every"}, {"first and foremost", "first"},
        {"kind of", ""}, {"sort of", ""}, {"basically", ""}, {"actually", ""}, {"literally", ""},
        {"really", ""}, {"very", ""}, {"just", ""}, {"totally", ""}, {"quite", ""}, {"simply", ""},
    };

    private static final Set<String> QUESTION_WORDS = Set.of("can", "could", "would", "should", "shall", "is",
            "are", "does", "did", "what", "when", "where", "why", "who", "which", "may");
    private static final Set<String> LEGIT_DOUBLES = Set.of("had", "that", "is", "bye", "no", "very", "ha");
    private static final Pattern GREETING = Pattern.compile(
            "(?iu)^(?:hello|hi|hey|hiya|dear|good (?:morning|afternoon|evening)|hallo|bonjour|hola|ciao)"
                    + NOT_WORD_AFTER);

    private static final Pattern DOUBLE_WORD = Pattern.compile(
            "(?iu)" + NOT_WORD_BEFORE + "(\\p{L}+) \\1" + NOT_WORD_AFTER);
    private static final Pattern SPACE_BEFORE_PUNCT = Pattern.compile(" +([,;.!?])(?=\\s|$|\\p{L})");
    private static final Pattern NO_SPACE_AFTER_PUNCT = Pattern.compile("([,;!?])(?=\\p{L})");
    /** "end.Next" and "end.next word", but not "file.pdf" or "luigis.example". */
    private static final Pattern NO_SPACE_AFTER_DOT = Pattern.compile(
            "(?<=\\p{Ll}\\p{Ll})\\.(?=\\p{Lu}|(?!(?:com|org|net|de|uk|fr|es|nl|eu|io|info|app|dev|example"
                    + "|pdf|docx?|txt|jpe?g|png|gif|zip|xlsx?|pptx?|html?)\\s)\\p{Ll}{2,}\\s)");
    private static final Pattern SENTENCE_START = Pattern.compile("(^|[.!?…]\\s+|\\n\\s*)(\\p{Ll})");
    private static final Pattern[] FILLER_PATTERNS = compile(FILLERS, true);
    private static final Pattern[] CONTRACTION_PATTERNS = compile(CONTRACTIONS, false);

    /**
     * Up to {@value #MAX_SUGGESTIONS} distinct rewordings, the main rewrite first; never empty.
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
        String base = proofread(protect(draft, urls));
        List<String> candidates = new ArrayList<>();
        switch (tone) {
            case PROOFREAD -> candidates.add(base);
            case FORMAL -> {
                String formal = formal(base);
                candidates.add(formal);
                if (!GREETING.matcher(formal).find()) {
                    candidates.add("Hello,\n" + formal);
                }
            }
            case FRIENDLY -> {
                String friendly = friendly(base);
                candidates.add(GREETING.matcher(friendly).find() ? friendly : "Hi! " + friendly);
                if (!endsWithSymbol(friendly)) {
                    candidates.add(friendly + " 🙂");
                }
                candidates.add(friendly);
            }
            case CONCISE -> {
                String concise = concise(base);
                candidates.add(concise);
                candidates.add(replacePhrases(concise, CONTRACTION_PATTERNS, CONTRACTIONS));
            }
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String c : candidates) {
            distinct.add(restore(c, urls));
        }
        List<String> texts = new ArrayList<>(distinct);
        if (texts.get(0).equals(draft)) {
            return List.of(new Suggestion(draft));
        }
        List<Suggestion> out = new ArrayList<>();
        for (String t : texts.subList(0, Math.min(MAX_SUGGESTIONS, texts.size()))) {
            out.add(new Suggestion(t));
        }
        return out;
    }

    // ---------------------------------------------------------------- tones

    static String proofread(String text) {
        String s = normalizeSpaces(text);
        s = SPACE_BEFORE_PUNCT.matcher(s).replaceAll("$1");
        s = NO_SPACE_AFTER_PUNCT.matcher(s).replaceAll("$1 ");
        s = NO_SPACE_AFTER_DOT.matcher(s).replaceAll(". ");
        s = replaceWords(s, w -> MISSPELLINGS.get(w));
        s = removeDoubledWords(s);
        return finish(s);
    }

    private static String formal(String text) {
        String s = replaceWords(text, w -> EXPANSIONS.get(w));
        s = replaceWords(s, w -> w.equals("lol") || w.equals("haha") ? "" : CASUAL.get(w));
        s = s.replaceAll("([!?])\\1+", "$1");
        s = s.replaceAll("(?m)^(Hello)(?= \\p{L})", "$1,");
        s = s.replaceAll("(^|[.!?]\\s|\\n|Hello, )([Yy]es|[Nn]o)(?= \\p{L})", "$1$2,");
        return finish(normalizeSpaces(s));
    }

    private static String friendly(String text) {
        String s = replacePhrases(text, CONTRACTION_PATTERNS, CONTRACTIONS);
        s = s.replaceAll("^(?:Dear|Hello)(?=[ ,!])", "Hi");
        return finish(s);
    }

    private static String concise(String text) {
        String s = replacePhrases(text, FILLER_PATTERNS, FILLERS);
        s = normalizeSpaces(s);
        s = SPACE_BEFORE_PUNCT.matcher(s).replaceAll("$1");
        s = s.replaceAll("(^|[.!?]\\s|\\n)\\s*[,;]\\s*", "$1"); // a comma left where a filler began
        s = s.replaceAll("(?u)" + NOT_WORD_BEFORE + "([Aa]) (?=[aeiAEI])", "$1n ");
        return finish(s);
    }

    // ---------------------------------------------------------------- steps

    /** Collapses runs of spaces and tabs, trims every line and the whole text. */
    private static String normalizeSpaces(String text) {
        String s = text.replaceAll("[ \\t\\u00A0]+", " ");
        s = s.replaceAll(" *\\n *", "\n");
        return s.strip();
    }

    /** Capitalises sentence starts and closes the text with terminal punctuation if it has none. */
    private static String finish(String text) {
        String s = capitalizeSentences(text);
        if (s.isEmpty()) {
            return s;
        }
        int last = s.codePointBefore(s.length());
        String lastWord = s.substring(Math.max(s.lastIndexOf(' '), s.lastIndexOf('\n')) + 1);
        if (PROTECTED.matcher(lastWord).matches()) {
            return s; // a trailing URL or address gets no full stop
        }
        if (Character.isLetterOrDigit(last) || ")]\"'”’»".indexOf(last) >= 0) {
            s += isQuestion(s) ? "?" : ".";
        }
        return s;
    }

    private static String capitalizeSentences(String text) {
        Matcher m = SENTENCE_START.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String before = text.substring(0, m.start(2));
            boolean afterAbbreviation = before.matches("(?s).*(?:e\\.g|i\\.e|etc|vs)\\.\\s+");
            String letter = afterAbbreviation ? m.group(2) : m.group(2).toUpperCase(Locale.ROOT);
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + letter));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** Whether the last sentence starts with a question word (after an optional greeting). */
    private static boolean isQuestion(String s) {
        int start = Math.max(Math.max(s.lastIndexOf(". "), s.lastIndexOf("! ")),
                Math.max(s.lastIndexOf("? "), s.lastIndexOf('\n')));
        String last = s.substring(start + 1).strip();
        last = GREETING.matcher(last).replaceFirst("").replaceFirst("^[,!]?\\s*", "");
        Matcher w = WORD.matcher(last);
        return w.lookingAt() && QUESTION_WORDS.contains(w.group().toLowerCase(Locale.ROOT));
    }

    private static boolean endsWithSymbol(String s) {
        int last = s.codePointBefore(s.length());
        return Character.getType(last) == Character.OTHER_SYMBOL || Character.isSurrogate(s.charAt(s.length() - 1));
    }

    private static String removeDoubledWords(String text) {
        Matcher m = DOUBLE_WORD.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            boolean legit = LEGIT_DOUBLES.contains(m.group(1).toLowerCase(Locale.ROOT));
            m.appendReplacement(b, Matcher.quoteReplacement(legit ? m.group() : m.group(1)));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** Replaces each word whose lower-case form the table maps, keeping its capitalisation. */
    private static String replaceWords(String text, Function<String, String> table) {
        Matcher m = WORD.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String word = m.group();
            String replacement = table.apply(word.toLowerCase(Locale.ROOT).replace('’', '\''));
            if (replacement == null) {
                m.appendReplacement(b, Matcher.quoteReplacement(word));
            } else {
                String r = matchCase(word, replacement);
                if (word.indexOf('’') >= 0) {
                    r = r.replace('\'', '’');
                }
                m.appendReplacement(b, Matcher.quoteReplacement(r));
            }
        }
        m.appendTail(b);
        return b.toString();
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

    private static String replacePhrases(String text, Pattern[] patterns, String[][] table) {
        String s = text;
        for (int i = 0; i < patterns.length; i++) {
            String replacement = table[i][1];
            Matcher m = patterns[i].matcher(s);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(b, Matcher.quoteReplacement(matchCase(m.group(), replacement)));
            }
            m.appendTail(b);
            s = b.toString();
        }
        return s;
    }

    /**
     * The replacement in the original's case: upper case for an all-capitals original of five or
     * more letters (shorter ones are acronyms like "OK"), a capital first letter for a capitalised
     * original, else the replacement as written (which keeps "I'm" and "Monday").
     */
    static String matchCase(String original, String replacement) {
        if (replacement.isEmpty()) {
            return replacement;
        }
        String letters = original.replaceAll("[^\\p{L}]", "");
        if (letters.length() >= 5 && letters.equals(letters.toUpperCase(Locale.ROOT))
                && !letters.equals(letters.toLowerCase(Locale.ROOT))) {
            return replacement.toUpperCase(Locale.ROOT);
        }
        if (!letters.isEmpty() && Character.isUpperCase(letters.codePointAt(0))) {
            return replacement.substring(0, 1).toUpperCase(Locale.ROOT) + replacement.substring(1);
        }
        return replacement;
    }

    // ---------------------------------------------------------------- protected spans

    /** Replaces URLs, e-mail addresses and @mentions by one private-use character each. */
    private static String protect(String text, List<String> spans) {
        if (text.chars().anyMatch(c -> c >= PLACEHOLDER_BASE && c < PLACEHOLDER_BASE + 4096)) {
            return text; // the draft uses the placeholder range itself: protect nothing
        }
        Matcher m = PROTECTED.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String span = m.group();
            int keep = span.length();
            while (keep > 1 && ".,;:!?)]\"'".indexOf(span.charAt(keep - 1)) >= 0) {
                keep--; // sentence punctuation after a URL is not part of it
            }
            if (spans.size() >= 4096) {
                m.appendReplacement(b, Matcher.quoteReplacement(span));
                continue;
            }
            spans.add(span.substring(0, keep));
            m.appendReplacement(b, Matcher.quoteReplacement(
                    (char) (PLACEHOLDER_BASE + spans.size() - 1) + span.substring(keep)));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String restore(String text, List<String> spans) {
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int k = c - PLACEHOLDER_BASE;
            b.append(k >= 0 && k < spans.size() ? spans.get(k) : String.valueOf(c));
        }
        return b.toString();
    }
}
