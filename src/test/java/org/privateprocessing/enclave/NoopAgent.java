package org.privateprocessing.enclave;

/**
 * A Java agent that does nothing, for {@link LaunchCheckProcessTest}: any agent the JVM accepts is
 * one the enclave must refuse, whatever it does.
 */
public final class NoopAgent {
  private NoopAgent() {}

  /** The agent entry point the JVM calls before {@code main}. */
  public static void premain(String options) {
    // Nothing: loading it is the point.
  }
}
