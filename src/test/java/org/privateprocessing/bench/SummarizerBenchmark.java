package org.privateprocessing.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.infer.Summary;
import org.privateprocessing.infer.TextRankSummarizer;

/**
 * Latency of the embedded summariser ({@code extractive-textrank}) for chats of 10 to 5,000
 * messages, maxSentences 3. The chats are synthetic and fixed by a seed: five speakers, a
 * vocabulary of everyday plans, one to three sentences per message, with emoji, links, questions,
 * short replies ("ok 👍") and quoted replies mixed in — the shapes the summariser handles, none of
 * them real data.
 *
 * <p>Run with {@code scripts/bench-crypto.sh SummarizerBenchmark} (the script takes any JMH
 * arguments); see docs/PERFORMANCE.md for numbers and the fitted growth exponent.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class SummarizerBenchmark {
  private static final String[] NAMES = {"Alice", "Bob", "Chloé", "Dmitri", "Eve"};
  private static final String[] SUBJECTS = {"I", "We", "You", "Mum", "The kids", "Our neighbour"};
  private static final String[] VERBS = {
    "will bring",
    "booked",
    "need",
    "forgot",
    "can pick up",
    "found",
    "want to change",
    "paid for",
    "should check",
    "are looking at"
  };
  private static final String[] OBJECTS = {
    "the tickets",
    "the cake",
    "a table at Luigi's",
    "the train to Lyon",
    "the birthday present",
    "the garden chairs",
    "the car keys",
    "the school form",
    "the holiday flat",
    "the concert",
    "the dentist appointment",
    "the groceries",
    "the new sofa",
    "the football match"
  };
  private static final String[] WHEN = {
    "on Saturday",
    "tomorrow at 7 pm",
    "next week",
    "tonight",
    "after work",
    "before 10:30",
    "on Sunday morning",
    "this weekend"
  };
  private static final String[] SHORT = {
    "ok 👍", "Sure!", "haha", "Sounds good", "lol", "Thanks! 🙏", "yes", "🎉🎉"
  };

  @Param({"10", "100", "1000", "5000"})
  public int messages;

  private final TextRankSummarizer summarizer = new TextRankSummarizer();
  private List<ChatMessage> chat;

  @Setup(Level.Trial)
  public void setUp() {
    chat = syntheticChat(messages, 20261124L);
  }

  @Benchmark
  public Summary summarize() {
    return summarizer.summarize(chat, 3);
  }

  /** A reproducible synthetic chat of {@code n} messages. */
  static List<ChatMessage> syntheticChat(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ChatMessage> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String from = NAMES[random.nextInt(NAMES.length)];
      StringBuilder text = new StringBuilder();
      int kind = random.nextInt(10);
      if (kind < 2) {
        text.append(pick(random, SHORT));
      } else {
        if (kind == 2 && !out.isEmpty()) {
          text.append("> ")
              .append(out.get(out.size() - 1).text().lines().findFirst().orElse(""))
              .append('\n');
        }
        int sentences = 1 + random.nextInt(3);
        for (int s = 0; s < sentences; s++) {
          if (s > 0) {
            text.append(' ');
          }
          text.append(pick(random, SUBJECTS))
              .append(' ')
              .append(pick(random, VERBS))
              .append(' ')
              .append(pick(random, OBJECTS))
              .append(' ')
              .append(pick(random, WHEN));
          int end = random.nextInt(6);
          text.append(
              end == 0
                  ? "?"
                  : end == 1 ? "! 😊" : end == 2 ? ", see https://example.org/p/" + i + " ." : ".");
        }
      }
      out.add(new ChatMessage("m" + i, from, null, text.toString()));
    }
    return out;
  }

  private static String pick(SplittableRandom random, String[] words) {
    return words[random.nextInt(words.length)];
  }
}
