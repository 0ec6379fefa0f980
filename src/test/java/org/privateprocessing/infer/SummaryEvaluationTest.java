package org.privateprocessing.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.api.ChatMessage;
import org.privateprocessing.cli.EvalSummariesCommand;
import picocli.CommandLine;

class SummaryEvaluationTest {
  /** The SAMSum validation sample, read in place when present (CC BY-NC-ND: never copied here). */
  private static final Path SAMSUM = Path.of(EvalSummariesCommand.DEFAULT_FILE);

  @Test
  void messages_splitEachLineAtTheFirstColonAndNumberTheIds() {
    List<ChatMessage> m =
        SummaryEvaluation.messages("Ann: Lunch at 12: ok?\nPet shop: We open at 9\nsee you\n\n");
    assertThat(m)
        .containsExactly(
            new ChatMessage("1", "Ann", null, "Lunch at 12: ok?"),
            new ChatMessage("2", "Pet shop", null, "We open at 9\nsee you"));
    assertThat(SummaryEvaluation.messages("no speaker here"))
        .containsExactly(new ChatMessage("1", "Unknown", null, "no speaker here"));
  }

  @Test
  void item_parsesOneJsonLineAndRejectsOtherShapes() {
    SummaryEvaluation.Item item =
        SummaryEvaluation.Item.parse(
            "{\"id\":\"x1\",\"dialogue\":\"A: hi\",\"summary\":\"A greets.\"}");
    assertThat(item).isEqualTo(new SummaryEvaluation.Item("x1", "A: hi", "A greets."));
    assertThat(item.messages()).hasSize(1);
    assertThatThrownBy(() -> SummaryEvaluation.Item.parse("[1]"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> SummaryEvaluation.Item.parse("{\"id\":\"x\",\"dialogue\":3,\"summary\":\"s\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dialogue");
    assertThatThrownBy(() -> SummaryEvaluation.Item.parse("{not json"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void result_isTheMacroAverageInPercent() {
    SummaryEvaluation e = new SummaryEvaluation();
    assertThat(e.result()).isEqualTo(new SummaryEvaluation.Result(0, 0, 0, 0));
    e.add("a b", "a b"); // every F1 = 1
    e.add("x", "y"); // every F1 = 0
    assertThat(e.result().rouge1()).isCloseTo(50.0, within(1e-9));
    assertThat(e.result().rouge2()).isCloseTo(50.0, within(1e-9));
    assertThat(e.result().rougeL()).isCloseTo(50.0, within(1e-9));
    assertThat(e.result().items()).isEqualTo(2);
  }

  @Test
  void lead3_joinsTheFirstThreeUtterancesWithTheirSpeakers() {
    List<ChatMessage> m = SummaryEvaluation.messages("A: one\nB: two \nA: three\nB: four");
    assertThat(Lead3.summarize(m)).isEqualTo("A: one B: two A: three");
    assertThat(Lead3.summarize(m.subList(0, 1))).isEqualTo("A: one");
  }

  @Test
  void command_printsTheScoresAsItsLastStdoutLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tiny.jsonl");
    Files.writeString(
        file,
        String.join(
            "\n",
            "{\"id\":\"t1\",\"dialogue\":\"Ola: I'll bring the tent to the lake on Friday.\\nPiet: Great, I'll bring the stove.\","
                + "\"summary\":\"Ola will bring the tent and Piet the stove to the lake on Friday.\"}",
            "",
            "{\"id\":\"t2\",\"dialogue\":\"Kim: Is the library open on Sunday?\\nLee: No, only Monday to Saturday.\","
                + "\"summary\":\"The library is closed on Sunday.\"}"),
        StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CommandLine cli = new CommandLine(new EvalSummariesCommand());
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(cli.execute(file.toString())).isZero();
    List<String> lines =
        new BufferedReader(new java.io.StringReader(out.toString(StandardCharsets.UTF_8)))
            .lines()
            .toList();
    assertThat(lines.get(lines.size() - 1))
        .matches(
            "\\{\"model\":\\{\"rouge1\":[0-9.]+,\"rouge2\":[0-9.]+,\"rougeL\":[0-9.]+},"
                + "\"lead3\":\\{\"rouge1\":[0-9.]+,\"rouge2\":[0-9.]+,\"rougeL\":[0-9.]+},\"items\":2}");
  }

  @Test
  void command_failsCleanlyOnAMissingFileOrABadLine(@TempDir Path dir) throws Exception {
    CommandLine cli = new CommandLine(new EvalSummariesCommand());
    cli.setErr(new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(cli.execute(dir.resolve("absent.jsonl").toString())).isNotZero();
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"id\":\"t1\"}\n");
    assertThat(cli.execute(bad.toString())).isNotZero();
  }

  @Test
  void samsumSample_whenPresent_modelBeatsLead3OnRouge1AndRougeL() throws Exception {
    assumeThat(Files.isRegularFile(SAMSUM)).as("SAMSum sample at " + SAMSUM).isTrue();
    TextRankSummarizer summarizer = new TextRankSummarizer();
    SummaryEvaluation model = new SummaryEvaluation();
    SummaryEvaluation lead3 = new SummaryEvaluation();
    for (String line : Files.readAllLines(SAMSUM, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      SummaryEvaluation.Item item = SummaryEvaluation.Item.parse(line);
      model.add(summarizer.summarize(item.messages(), 3).text(), item.summary());
      lead3.add(Lead3.summarize(item.messages()), item.summary());
    }
    assertThat(model.result().rouge1()).isGreaterThan(lead3.result().rouge1() + 2);
    assertThat(model.result().rougeL()).isGreaterThan(lead3.result().rougeL() + 2);
  }
}
