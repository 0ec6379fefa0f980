package org.privateprocessing.cli;

import io.vertx.core.Future;
import java.io.PrintStream;
import org.privateprocessing.client.AnswerStream;
import org.privateprocessing.client.PrivateProcessingClient;

/**
 * What {@code summarize --stream} and {@code suggest --stream} do with a streamed answer: print its
 * text as it arrives, on stdout when stdout is a terminal (a person reads it), else on stderr, so
 * that piped stdout holds only the final JSON; then a newline once the answer is complete or
 * failed. The final JSON is printed by {@link ClientMixin#run} as without {@code --stream}.
 */
final class StreamedText {
  /** The help text of {@code --stream}. */
  static final String HELP =
      "print the answer's text as the model writes it (on stdout on a terminal, else on stderr),"
          + " then the whole JSON answer on stdout as without --stream; an answer cut short is an"
          + " error, never printed as complete";

  private StreamedText() {}

  static <T> Future<PrivateProcessingClient.Answered<T>> print(AnswerStream<T> stream) {
    PrintStream out = System.console() != null ? System.out : System.err;
    stream
        .text()
        .handler(
            piece -> {
              out.print(piece);
              out.flush();
            });
    return stream
        .answered()
        .andThen(
            done -> {
              out.println();
              out.flush();
            });
  }
}
