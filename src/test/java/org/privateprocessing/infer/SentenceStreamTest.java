package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SentenceStreamTest {
  static final Path SAMSUM = Path.of("../shared/eval/samsum-val.jsonl");

  /** What SummaryAlignment did before answers were streamed: the whole text, with regexes. */
  private static final Pattern OLD_LIST_MARKER =
      Pattern.compile("(?m)^\\s*(?:[-*•]|\\d{1,2}[.)])\\s+");

  static List<String> oldSentences(String answer) {
    return SummaryAlignment.sentences(OLD_LIST_MARKER.matcher(answer.strip()).replaceAll(""));
  }

  /** The sentences of {@code text} fed in random pieces. */
  static List<String> inPieces(String text, Random random) {
    List<String> out = new ArrayList<>();
    SentenceStream s = new SentenceStream(out::add);
    int i = 0;
    while (i < text.length()) {
      int n = Math.min(text.length() - i, random.nextInt(6));
      s.feed(text.substring(i, i + n));
      i += n;
    }
    s.finish();
    return out;
  }

  @Test
  @DisplayName("sentences end after . ! ? … 。 and at line breaks; list markers are dropped")
  void examples() {
    assertThat(SentenceStream.sentences("Alice booked the table. Bob pays! Who drives?"))
        .containsExactly("Alice booked the table.", "Bob pays!", "Who drives?");
    assertThat(SentenceStream.sentences("- Alice books.\n- Bob pays\n\n* Carol\n• Dan\n"))
        .containsExactly("Alice books.", "Bob pays", "Carol", "Dan");
    assertThat(SentenceStream.sentences("1. First point\n2) Second\n12. Twelfth"))
        .containsExactly("First point", "Second", "Twelfth");
    assertThat(SentenceStream.sentences("It costs 1.5 euros. -5 degrees today."))
        .containsExactly("It costs 1.5 euros.", "-5 degrees today.");
    assertThat(SentenceStream.sentences("会议改到周五。我们见！ ok… done"))
        .containsExactly("会议改到周五。我们见！", "ok…", "done");
    assertThat(SentenceStream.sentences("  \n...\n- \n")).isEmpty();
    assertThat(SentenceStream.sentences("He said \"no.\" Then left.\r\nBye"))
        .containsExactly("He said \"no.\" Then left.", "Bye");
  }

  @Test
  @DisplayName("the sentences never depend on how the text is cut into pieces")
  void cutsDoNotMatter() throws Exception {
    List<String> texts = new ArrayList<>(generated(400, 7));
    if (Files.isRegularFile(SAMSUM)) { // read at run time, never copied
      for (String line : Files.readAllLines(SAMSUM, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          texts.add(SummaryEvaluation.Item.parse(line).summary());
        }
      }
    }
    Random random = new Random(42);
    for (String text : texts) {
      List<String> whole = SentenceStream.sentences(text);
      for (int k = 0; k < 3; k++) {
        assertThat(inPieces(text, random)).as(text).isEqualTo(whole);
      }
    }
  }

  @Test
  @DisplayName("on answers without bare CRs it cuts exactly as the former whole-text regexes")
  void sameAsBefore() {
    for (String text : generated(3000, 11)) {
      assertThat(SentenceStream.sentences(text)).as(text).isEqualTo(oldSentences(text));
    }
  }

  /** Random answers from pieces that exercise markers, punctuation and line breaks. */
  static List<String> generated(int count, long seed) {
    String[] parts = {
      "Alice", " booked", " the", " table", ".", "!", "?", "…", " ", "  ", "\n", "\n\n", "- ", "* ",
      "• ", "1. ", "12) ", "3.5", "-", "\t", "Bob", " pays", "。", "x", "2", "\"", ":)"
    };
    Random random = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder b = new StringBuilder();
      int n = 1 + random.nextInt(25);
      for (int j = 0; j < n; j++) {
        b.append(parts[random.nextInt(parts.length)]);
      }
      out.add(b.toString());
    }
    return out;
  }
}
