package org.privateprocessing.cli;

import io.vertx.core.Vertx;
import org.privateprocessing.logclient.LogClient;

/**
 * How the transparency-log commands ({@code audit log}, {@code audit receipt}, {@code release
 * publish}, {@code witness}) talk to a log: one client on a Vert.x of its own, both closed when the
 * command is done with them.
 */
final class LogSession {
  private LogSession() {}

  /** What a command does with the log's client. */
  @FunctionalInterface
  interface Use<T> {
    T apply(LogClient client) throws Exception;
  }

  /**
   * Runs {@code use} with a client of the log at {@code url}, then closes it and its Vert.x.
   *
   * @throws IllegalArgumentException when {@code url} is not a log URL
   */
  static <T> T run(String url, Use<T> use) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (LogClient client = LogClient.create(vertx, url)) {
      return use.apply(client);
    } finally {
      vertx.close();
    }
  }
}
