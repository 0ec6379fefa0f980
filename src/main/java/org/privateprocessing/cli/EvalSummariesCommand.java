package org.privateprocessing.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.privateprocessing.api.ApiLimits;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.infer.Lead3;
import org.privateprocessing.infer.SummaryEvaluation;
import org.privateprocessing.infer.TextRankSummarizer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Measures the embedded summariser against reference summaries with ROUGE-1/2/L F1, next to the
 * LEAD-3 baseline. Reads the evaluation file at run time and keeps nothing of it; prints progress
 * on stderr, a table on stdout and, as the last stdout line, one JSON object.
 */
@Command(
    name = "eval-summaries",
    mixinStandardHelpOptions = true,
    description = {
      "Scores the summariser against reference summaries (ROUGE).",
      "Scores the embedded summariser (extractive-textrank) and the LEAD-3",
      "baseline (first three utterances) against reference summaries:",
      "ROUGE-1, ROUGE-2 and ROUGE-L F1 in percent, macro-averaged; lower-case",
      "[a-z0-9]+ tokens, no stemming (see docs/QUALITY.md). Ends with one JSON",
      "line on stdout: {\"model\":{...},\"lead3\":{...},\"items\":N}."
    },
    footer = {
      "",
      "FILE has one JSON object per line:",
      "  {\"id\":...,\"dialogue\":\"Name: text\\nName: text\",\"summary\":...}",
      "Example:  scripts/eval-summaries ../shared/eval/samsum-val.jsonl"
    })
public final class EvalSummariesCommand implements Callable<Integer> {
  /** Where the SAMSum validation sample lives, relative to the repository root. */
  public static final String DEFAULT_FILE = "../shared/eval/samsum-val.jsonl";

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      description =
          "JSON Lines file of dialogues and reference summaries (default: " + DEFAULT_FILE + ")")
  Path file;

  @Option(
      names = "--max-sentences",
      defaultValue = "" + ApiLimits.DEFAULT_SENTENCES,
      paramLabel = "N",
      description = "maxSentences given to the summariser (default: ${DEFAULT-VALUE})")
  int maxSentences;

  @Option(
      names = "--limit",
      defaultValue = "0",
      paramLabel = "N",
      description = "score only the first N items (default: all)")
  int limit;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command on its own, before (or without) the {@code private-processing} entry point.
   */
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new EvalSummariesCommand());
    HelpLayout.install(cli, HelpLayout::terminalWidth);
    cli.setParameterExceptionHandler(UsageErrors::handle);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println("error: " + CliErrors.describe(e)); // one line, as under Main
          return CliErrors.EXIT_FAILED;
        });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (maxSentences < ApiLimits.MIN_SENTENCES
        || maxSentences > ApiLimits.MAX_SENTENCES
        || limit < 0) {
      throw new IllegalArgumentException(
          "--max-sentences "
              + ApiLimits.MIN_SENTENCES
              + ".."
              + ApiLimits.MAX_SENTENCES
              + ", --limit >= 0");
    }
    Path input = file == null ? Path.of(DEFAULT_FILE) : file;
    if (!Files.isRegularFile(input)) {
      throw new NoSuchFileException(input.toString());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TextRankSummarizer summarizer = new TextRankSummarizer();
    SummaryEvaluation model = new SummaryEvaluation();
    SummaryEvaluation lead3 = new SummaryEvaluation();
    long started = System.nanoTime();
    int lineNumber = 0;
    try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null && (limit == 0 || model.result().items() < limit)) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        SummaryEvaluation.Item item;
        try {
          item = SummaryEvaluation.Item.parse(line);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              input + " line " + lineNumber + ": " + e.getMessage(), e);
        }
        List<ChatMessage> messages = item.messages();
        String candidate =
            messages.isEmpty() ? "" : summarizer.summarize(messages, maxSentences).text();
        model.add(candidate, item.summary());
        lead3.add(Lead3.summarize(messages), item.summary());
        int n = model.result().items();
        if (n % 100 == 0) {
          err.printf(
              Locale.ROOT,
              "eval-summaries: %d items, ROUGE-1 model %.2f, LEAD-3 %.2f%n",
              n,
              model.result().rouge1(),
              lead3.result().rouge1());
          err.flush();
        }
      }
    }
    SummaryEvaluation.Result m = model.result();
    SummaryEvaluation.Result l = lead3.result();
    err.printf(
        Locale.ROOT,
        "eval-summaries: %d items in %.1f s%n",
        m.items(),
        (System.nanoTime() - started) / 1e9);
    err.flush();
    out.printf(
        Locale.ROOT, "%-22s %8s %8s %8s%n", "system (F1 %)", "ROUGE-1", "ROUGE-2", "ROUGE-L");
    out.printf(
        Locale.ROOT,
        "%-22s %8.2f %8.2f %8.2f%n",
        "extractive-textrank",
        m.rouge1(),
        m.rouge2(),
        m.rougeL());
    out.printf(
        Locale.ROOT, "%-22s %8.2f %8.2f %8.2f%n", "LEAD-3", l.rouge1(), l.rouge2(), l.rougeL());
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode json = mapper.createObjectNode();
    json.set("model", scores(mapper, m));
    json.set("lead3", scores(mapper, l));
    json.put("items", m.items());
    out.println(mapper.writeValueAsString(json));
    out.flush();
    return 0;
  }

  private static ObjectNode scores(ObjectMapper mapper, SummaryEvaluation.Result r) {
    ObjectNode node = mapper.createObjectNode();
    node.put("rouge1", round(r.rouge1()));
    node.put("rouge2", round(r.rouge2()));
    node.put("rougeL", round(r.rougeL()));
    return node;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
