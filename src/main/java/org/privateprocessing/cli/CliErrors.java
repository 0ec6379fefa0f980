package org.privateprocessing.cli;

import java.util.concurrent.ExecutionException;
import org.privateprocessing.client.PrivateProcessingException;

/** Turns failures into one line a person can act on. */
final class CliErrors {
  static final int EXIT_FAILED = 1;

  private CliErrors() {}

  static String describe(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException
            || t instanceof java.util.concurrent.CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof PrivateProcessingException p) {
      return p.describe();
    }
    if (t instanceof java.nio.file.NoSuchFileException f) {
      return "no such file: " + f.getFile();
    }
    if (t instanceof java.util.concurrent.TimeoutException) {
      return "no answer in time; is the relay running (java -jar target/private-processing.jar serve)?";
    }
    if (t instanceof java.net.BindException) {
      // Node names the listener, its address and its config key.
      return t.getMessage()
          + "; another process holds that port (another serve?): stop it, or set another port "
          + "in the config (--conf FILE)";
    }
    String message = t.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }
}
