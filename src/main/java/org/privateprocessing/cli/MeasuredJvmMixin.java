package org.privateprocessing.cli;

import org.privateprocessing.core.MeasuredSettings;
import picocli.CommandLine.Option;

/**
 * The JVM a release runs on, for the commands that predict its measurement ({@code audit
 * measurement}, {@code release publish}): the measurement covers the enclave's JVM, which need not
 * be the one running the command, so it is an input that defaults to this JVM.
 */
final class MeasuredJvmMixin {
  @Option(
      names = "--jvm-vendor",
      paramLabel = "VENDOR",
      description =
          "java.vm.vendor of the JVM the enclave runs on (default: this JVM's, "
              + "\"${sys:java.vm.vendor}\"); the enclave logs its own at start")
  String vendor;

  @Option(
      names = "--jvm-version",
      paramLabel = "VERSION",
      description =
          "java.runtime.version of the JVM the enclave runs on (default: this JVM's, "
              + "\"${sys:java.runtime.version}\")")
  String version;

  /** The JVM named on the command line, each part defaulting to this JVM's. */
  MeasuredSettings.Jvm jvm() {
    MeasuredSettings.Jvm running = MeasuredSettings.Jvm.running();
    return new MeasuredSettings.Jvm(
        vendor != null ? vendor : running.vendor(), version != null ? version : running.version());
  }

  /** Says on stderr which JVM the measurement assumes, and how to assume another. */
  void describe(MeasuredSettings.Jvm jvm) {
    boolean defaulted = vendor == null || version == null;
    System.err.println(
        "assuming the enclave runs on "
            + jvm
            + (defaulted
                ? " (this JVM; --jvm-vendor/--jvm-version predict the measurement on another)"
                : ""));
  }
}
