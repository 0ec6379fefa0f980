package org.privateprocessing.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.privateprocessing.api.Chat;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.api.SuggestRequest;
import org.privateprocessing.api.SummarizeRequest;
import org.privateprocessing.api.Tone;
import org.privateprocessing.infer.OpenAiCompatibleModel;
import org.privateprocessing.infer.PacedModelServer;

/**
 * Time to the first piece of a streamed answer against time to the whole answer, for {@link
 * OpenAiCompatibleModel} against a paced model server ({@code private-processing paced-model}): the
 * same requests, streamed (sink) and not. Prints medians and, as the last line, one JSON object
 * with the ratios. Not a unit test: run it with {@code scripts/bench-streaming-model.sh}.
 *
 * <p>Arguments: {@code BASE_URL ROUNDS}; without a URL it starts a paced server in the process at
 * 20 tokens/s.
 */
public final class StreamingModelMeasure {
  private StreamingModelMeasure() {}

  public static void main(String[] args) throws Exception {
    PacedModelServer own = null;
    URI baseUrl;
    if (args.length > 0 && !args[0].isEmpty()) {
      baseUrl = URI.create(args[0]);
    } else {
      own = PacedModelServer.start(PacedModelServer.Options.defaults().withPort(0));
      baseUrl = own.baseUrl();
    }
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    OpenAiCompatibleModel model =
        new OpenAiCompatibleModel(
            OpenAiCompatibleModel.Options.defaults(baseUrl)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(60)));
    SummarizeRequest chat = chat();
    SuggestRequest draft =
        new SuggestRequest(
            new Chat("c", null, false),
            "hi all, i wanted to let u know that teh meeting tomorow is moved to 3pm. "
                + "please bring teh slides and dont be late. thanks alot",
            Tone.FORMAL);
    double[][] summary = new double[3][rounds];
    double[][] suggest = new double[3][rounds];
    for (int i = 0; i < rounds; i++) {
      measure(i, summary, () -> model.summarize(chat), sink -> model.summarize(chat, sink));
      measure(i, suggest, () -> model.suggest(draft), sink -> model.suggest(draft, sink));
      System.err.printf(Locale.ROOT, "round %d/%d done%n", i + 1, rounds);
    }
    if (own != null) {
      own.close();
    }
    double sFirst = median(summary[0]);
    double sStream = median(summary[1]);
    double sWhole = median(summary[2]);
    double gFirst = median(suggest[0]);
    double gStream = median(suggest[1]);
    double gWhole = median(suggest[2]);
    System.out.printf(
        Locale.ROOT,
        "%-10s %14s %14s %14s %12s%n",
        "task",
        "first piece ms",
        "streamed ms",
        "whole ms",
        "first/whole");
    System.out.printf(
        Locale.ROOT,
        "%-10s %14.0f %14.0f %14.0f %12.2f%n",
        "summarize",
        sFirst,
        sStream,
        sWhole,
        sFirst / sWhole);
    System.out.printf(
        Locale.ROOT,
        "%-10s %14.0f %14.0f %14.0f %12.2f%n",
        "suggest",
        gFirst,
        gStream,
        gWhole,
        gFirst / gWhole);
    System.out.printf(
        Locale.ROOT,
        "{\"rounds\":%d,\"summarize\":{\"firstMs\":%.0f,\"streamedMs\":%.0f,\"wholeMs\":%.0f,"
            + "\"firstOverWhole\":%.3f},\"suggest\":{\"firstMs\":%.0f,\"streamedMs\":%.0f,"
            + "\"wholeMs\":%.0f,\"firstOverWhole\":%.3f}}%n",
        rounds,
        sFirst,
        sStream,
        sWhole,
        sFirst / sWhole,
        gFirst,
        gStream,
        gWhole,
        gFirst / gWhole);
  }

  private interface Call {
    void run() throws Exception;
  }

  private interface StreamCall {
    void run(org.privateprocessing.infer.TextSink sink) throws Exception;
  }

  private static void measure(int i, double[][] into, Call whole, StreamCall streamed)
      throws Exception {
    long[] first = {0};
    long start = System.nanoTime();
    streamed.run(
        piece -> {
          if (first[0] == 0) {
            first[0] = System.nanoTime();
          }
        });
    long end = System.nanoTime();
    into[0][i] = (first[0] - start) / 1e6;
    into[1][i] = (end - start) / 1e6;
    long wholeStart = System.nanoTime();
    whole.run();
    into[2][i] = (System.nanoTime() - wholeStart) / 1e6;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** A fixed group chat, the kind the summariser sees: plans, questions, answers. */
  static SummarizeRequest chat() {
    String[][] lines = {
      {"Alice", "Shall we have the picnic in the park on Sunday?"},
      {"Bob", "Sunday works for me. I will bring the blanket and the lemonade."},
      {"Carol", "I can bake a cake. Should we meet at the fountain at noon?"},
      {"Alice", "Noon at the fountain is perfect, see you there."},
      {"Dan", "I might be late, my train from Leeds arrives at half past twelve."},
      {"Bob", "No problem, we will keep some cake for you."},
      {"Carol", "The forecast says sunny and warm, so bring sun cream."},
      {"Alice", "I will bring the frisbee and the speaker for some music."}
    };
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      messages.add(new ChatMessage("m" + i, lines[i][0], null, lines[i][1]));
    }
    return new SummarizeRequest(new Chat("c", "Picnic", false), messages, 3);
  }
}
