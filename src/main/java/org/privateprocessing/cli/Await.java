package org.privateprocessing.cli;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** Blocks a command's main thread (never an event loop) until a future completes. */
final class Await {
  private Await() {}

  static <T> T result(Future<T> future, long timeoutMs) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
