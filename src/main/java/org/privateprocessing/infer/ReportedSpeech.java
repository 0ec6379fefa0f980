package org.privateprocessing.infer;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one chat sentence into a third-person summary sentence that says who said it: "I'll bring
 * the cake" from Amanda to Jerry becomes "Amanda will bring the cake", "Can you call me?" becomes
 * "Amanda asks Jerry: can Jerry call Amanda?", "Sounds good!" becomes "Jerry agrees."
 *
 * <ol>
 *   <li>{@link #clean(String)} removes chat noise that a summary never repeats: emoji, emoticons,
 *       attachment placeholders such as {@code <file_photo>}, and leading greetings and
 *       interjections ("Hi Tom,", "Oh, yes,", "Haha").</li>
 *   <li>English pronouns are rewritten (only when the sentence looks English): first person singular
 *       becomes the speaker's name, second person the addressee's (the other speaker of a two-person
 *       chat, else the nearest other speaker around the message), first person plural "Amanda and
 *       Jerry" in a two-person chat and "they" otherwise; a present-tense verb after a new name
 *       subject gets its third-person form ("I want" → "Amanda wants").</li>
 *   <li>The sentence is framed: a question as "Name asks [Addressee]: …?", a bare agreement as
 *       "Name agrees.", a sentence that now starts with the speaker's name as it is, anything else
 *       as "Name: …".</li>
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

    private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z_]{2,20}>");
    private static final Pattern EMOTICON = Pattern.compile(
            "(?<!\\S)(?:[:;=8xX][-'^o]?[)(DPpOo3/\\\\|*\\]\\[}{@$]+|<3+|\\^\\^|\\^_\\^|[xX][dD]+|:-?[sS])(?!\\S)"
            + "|[:;=][-'^]?[)(DPp3*]+(?![\\p{L}\\p{N}/])");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\u00a0]{2,}");
    private static final Pattern LEADING = Pattern.compile("(?iu)^(?:(?:hi|hey|hello|heya|hiya|dear|yo)"
            + "(?:\\s+(?:there|guys|all|everyone|(?-i:\\p{Lu}[\\p{L}'-]*)))?" + E + "\\s*[,!.:]*\\s*"
            + "|(?:oh+|ah+|aw+|hmm+|um+|uh+|haha\\w*|hehe\\w*|lol|omg|wow|ugh|oops|btw)" + E + "\\s*[,!.:…-]*\\s*"
            + "|(?:well|ok+|okay|so|yeah|yes|yep|yup|sure|right|alright|cool|great|nice|sorry|thanks|thank you|"
            + "anyway|honestly|actually|no|nope)\\s*[,!.:…-]+\\s*)+");
    /** A question without its question mark: it opens with an auxiliary verb or a question word. */
    private static final Pattern QUESTION_START = Pattern.compile("(?iu)^(?:do|does|did|can|could|will|would|"
            + "should|shall|is|are|was|were|have|has|had|may|what|when|where|who|whom|whose|why|how|which)" + E);
    private static final Pattern AGREEMENT = Pattern.compile("(?iu)^(?:yes|yeah|yep|yup|sure|ok+|okay|fine|deal|"
            + "agreed|perfect|cool|great|good|alright|all right|of course|absolutely|definitely|sounds good|"
            + "sounds great|sounds like a plan|why not|no problem|np|ok then|good idea|great idea)"
            + "(?:[\\s,]+(?:then|thanks|thank you|sure|great|good|perfect|idea))*[\\s.!]*$");

    private static final Set<String> ENGLISH = Set.of("i", "you", "we", "the", "a", "an", "to", "is", "are", "will",
            "and", "of", "it", "that", "can", "do", "my", "me", "your", "in", "on", "for", "with", "what", "this",
            "have", "be", "not", "at", "i'm", "i'll", "don't", "it's", "just", "so", "there", "was", "did");
    /** Words after which a new name subject keeps the verb as it is ("does Jerry want"). */
    private static final Set<String> NO_AGREEMENT = Set.of("do", "does", "did", "can", "could", "will", "would",
            "should", "shall", "may", "might", "must", "to", "don't", "doesn't", "didn't", "can't", "won't",
            "let", "make", "help", "than", "with", "for", "about", "at", "of", "from", "like", "and you");
    private static final Set<String> ADVERBS = Set.of("really", "just", "also", "still", "never", "always",
            "actually", "only", "already", "usually", "totally", "definitely", "probably", "even", "kinda",
            "sometimes", "often", "finally", "seriously", "honestly", "literally", "all", "both");
    private static final Map<String, String> IRREGULAR = Map.of("have", "has", "do", "does", "go", "goes",
            "am", "is", "are", "is", "were", "was", "try", "tries", "fly", "flies", "worry", "worries", "pay", "pays");
    private static final Set<String> VERBS = Set.of("want", "need", "think", "know", "like", "love", "hate", "hope",
            "guess", "feel", "mean", "prefer", "agree", "plan", "work", "live", "see", "get", "take", "bring", "buy",
            "make", "come", "say", "tell", "remember", "forget", "understand", "believe", "suppose", "wonder", "wish",
            "miss", "send", "call", "check", "find", "play", "watch", "leave", "start", "finish", "meet", "look",
            "use", "keep", "eat", "drink", "read", "write", "sleep", "stay", "visit", "help", "ask", "give", "put",
            "run", "pick", "book", "order", "cook", "bake", "wait", "expect", "care", "mind", "doubt", "recommend",
            "suggest", "promise", "offer", "owe", "study", "teach", "learn", "drive", "walk", "sell", "lend",
            "borrow", "show", "join", "arrive", "return", "move", "open", "close", "fix", "clean", "wear", "win",
            "lose", "sound", "seem", "realize", "realise", "appreciate", "enjoy", "apologize", "apologise",
            "hear", "trust", "count", "bet", "talk", "text", "email", "post");

    private ReportedSpeech() {
    }

    /** The sentence without emoji, emoticons, placeholders and leading greetings; may be empty. */
    static String clean(String sentence) {
        StringBuilder b = new StringBuilder(sentence.length());
        sentence.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean emoji = type == Character.OTHER_SYMBOL || type == Character.SURROGATE
                    || (cp >= 0x1F3FB && cp <= 0x1F3FF) || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F);
            if (!emoji) {
                b.appendCodePoint(cp);
            }
        });
        String s = PLACEHOLDER.matcher(b).replaceAll(" ");
        s = EMOTICON.matcher(s).replaceAll(" ");
        s = SPACES.matcher(s).replaceAll(" ").strip();
        s = s.replaceAll("\\s+([.,!?;:])", "$1").replaceAll("^[\\s,;:.!-]+", "");
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
        boolean question = body.endsWith("?") || body.endsWith("？")
                || (QUESTION_START.matcher(body).lookingAt() && !body.endsWith("!") && !body.endsWith("."));
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
        Matcher m = Pattern.compile("[\\p{L}'’]+").matcher(s.toLowerCase(Locale.ROOT));
        while (m.find()) {
            if (ENGLISH.contains(m.group().replace('’', '\''))) {
                return true;
            }
        }
        return false;
    }

    /** First and second person rewritten to names, "we" to the group. */
    static String thirdPerson(String s, String speaker, String addressee, String group) {
        String groupObject = "they".equals(group) ? "them" : group;
        String r = s;
        r = replaceIgnoreCase(r, "am I", "is " + speaker);
        r = replaceIgnoreCase(r, "do I", "does " + speaker);
        r = replaceIgnoreCase(r, "have I", "has " + speaker);
        r = replace(r, "I" + AP + "m|I am|i" + AP + "m|im", speaker + " is");
        r = replace(r, "I" + AP + "ll|I will|i" + AP + "ll", speaker + " will");
        r = replace(r, "I" + AP + "ve|I have|i" + AP + "ve", speaker + " has");
        r = replace(r, "I" + AP + "d|i" + AP + "d", speaker + " would");
        r = replace(r, "I was|i was", speaker + " was");
        r = subject(r, "I|i", speaker);
        r = replaceIgnoreCase(r, "me|myself", speaker);
        r = replaceIgnoreCase(r, "my|mine", speaker + "'s");
        if (addressee != null) {
            r = replaceIgnoreCase(r, "are (?:you|u)|r u", "is " + addressee);
            r = replaceIgnoreCase(r, "do (?:you|u)", "does " + addressee);
            r = replaceIgnoreCase(r, "have (?:you|u)", "has " + addressee);
            r = replaceIgnoreCase(r, "were (?:you|u)", "was " + addressee);
            r = replaceIgnoreCase(r, "you" + AP + "re|you are", addressee + " is");
            r = replaceIgnoreCase(r, "you" + AP + "ll|you will", addressee + " will");
            r = replaceIgnoreCase(r, "you" + AP + "ve|you have", addressee + " has");
            r = replaceIgnoreCase(r, "you" + AP + "d", addressee + " would");
            r = replaceIgnoreCase(r, "you were", addressee + " was");
            r = subject(r, "you|u", addressee);
            r = replaceIgnoreCase(r, "your|yours|ur", addressee + "'s");
            r = replaceIgnoreCase(r, "yourself", addressee);
        }
        r = replaceIgnoreCase(r, "we" + AP + "re|we are", group + " are");
        r = replaceIgnoreCase(r, "we" + AP + "ll|we will", group + " will");
        r = replaceIgnoreCase(r, "we" + AP + "ve|we have", group + " have");
        r = replaceIgnoreCase(r, "we" + AP + "d", group + " would");
        r = replaceIgnoreCase(r, "let" + AP + "s|lets", group + " will");
        r = replaceIgnoreCase(r, "we", group);
        r = replace(r, "us|Us", groupObject);
        r = replaceIgnoreCase(r, "our|ours", "their");
        return r;
    }

    /** Replaces a subject pronoun by a name and gives the verb after it its third-person form. */
    private static String subject(String s, String pronoun, String name) {
        Matcher m = Pattern.compile("(?u)" + B + "(?:" + pronoun + ")" + E + "(\\s+(?:(?:"
                + String.join("|", ADVERBS) + ")\\s+)*)?(" + W + "+)?").matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String before = s.substring(0, m.start()).strip();
            String previous = before.replaceAll("(?s).*?([\\p{L}'’]+)\\W*$", "$1").toLowerCase(Locale.ROOT);
            boolean agree = before.isEmpty() || before.endsWith(",") || !NO_AGREEMENT.contains(previous);
            String gap = m.group(1) == null ? "" : m.group(1);
            String verb = m.group(2) == null ? "" : m.group(2);
            if (agree && !verb.isEmpty()) {
                verb = agree(verb);
            }
            m.appendReplacement(b, Matcher.quoteReplacement(name + gap + verb));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String agree(String verb) {
        String lower = verb.toLowerCase(Locale.ROOT);
        String irregular = IRREGULAR.get(lower);
        if (irregular != null) {
            return irregular;
        }
        if (!VERBS.contains(lower)) {
            return verb;
        }
        if (lower.endsWith("s") || lower.endsWith("sh") || lower.endsWith("ch") || lower.endsWith("x")) {
            return verb + "es";
        }
        return verb + "s";
    }

    private static String replace(String s, String alternatives, String replacement) {
        return Pattern.compile("(?u)" + B + "(?:" + alternatives + ")" + E).matcher(s)
                .replaceAll(Matcher.quoteReplacement(replacement));
    }

    private static String replaceIgnoreCase(String s, String alternatives, String replacement) {
        Matcher m = Pattern.compile("(?iu)" + B + "(?:" + alternatives + ")" + E).matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String r = replacement;
            if (m.start() == 0 && !r.isEmpty()) {
                r = r.substring(0, 1).toUpperCase(Locale.ROOT) + r.substring(1);
            }
            m.appendReplacement(b, Matcher.quoteReplacement(r));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String lowerFirst(String s, String speaker, String addressee) {
        if (s.isEmpty() || s.startsWith(speaker) || (addressee != null && s.startsWith(addressee))) {
            return s;
        }
        int first = s.codePointAt(0);
        int n = Character.charCount(first);
        boolean acronym = s.length() > n && Character.isUpperCase(s.codePointAt(n));
        return acronym ? s : new String(Character.toChars(Character.toLowerCase(first))) + s.substring(n);
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
            return t + (Character.UnicodeScript.of(last) == Character.UnicodeScript.HAN
                    || Character.UnicodeScript.of(last) == Character.UnicodeScript.HIRAGANA
                    || Character.UnicodeScript.of(last) == Character.UnicodeScript.KATAKANA ? "。" : ".");
        }
        return t;
    }
}
