package org.privateprocessing.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.privateprocessing.attest.LaunchImage;
import org.privateprocessing.core.MeasuredSettings;
import picocli.CommandLine.Option;

/**
 * What the commands that predict an enclave jar's launch measurement share ({@code audit
 * measurement}, {@code release publish}): the config whose "enclave" section the enclave runs with,
 * and the JVM it runs on. The measurement covers the enclave's JVM, which need not be the one
 * running the command, so it is an input that defaults to this JVM.
 */
final class MeasurementMixin {
  @Option(
      names = "--conf",
      paramLabel = "FILE",
      description =
          "role config whose \"enclave\" section the enclave runs with (default: conf/all-in-one.json "
              + "if present, else the built-in defaults)")
  Path conf;

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

  /** A jar's launch measurement and the measured settings it covers besides the jar. */
  record Measured(String hex, byte[] settings) {}

  /** Refuses a {@code jar} that is not a file, saying how to build one. */
  static void requireJar(Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException(
          "jar not found: " + jar + " (build it with: mvn -B -DskipTests package)");
    }
  }

  /**
   * The launch measurement of {@code jar} run with {@code --conf}'s enclave settings on the JVM the
   * options name (docs/ATTESTATION.md); says on stderr which JVM it assumes.
   */
  Measured measure(Path jar) throws IOException {
    JsonObject config = ConfigFiles.loadQuietly(conf);
    MeasuredSettings.Jvm runsOn = jvm();
    byte[] settings = MeasuredSettings.launchConfig(config.getJsonObject("enclave"), runsOn);
    describe(runsOn);
    return new Measured(LaunchImage.hex(LaunchImage.measure(jar, settings)), settings);
  }

  /** The JVM named on the command line, each part defaulting to this JVM's. */
  private MeasuredSettings.Jvm jvm() {
    MeasuredSettings.Jvm running = MeasuredSettings.Jvm.running();
    return new MeasuredSettings.Jvm(
        vendor != null ? vendor : running.vendor(), version != null ? version : running.version());
  }

  /** Says on stderr which JVM the measurement assumes, and how to assume another. */
  private void describe(MeasuredSettings.Jvm jvm) {
    boolean defaulted = vendor == null || version == null;
    System.err.println(
        "assuming the enclave runs on "
            + jvm
            + (defaulted
                ? " (this JVM; --jvm-vendor/--jvm-version predict the measurement on another)"
                : ""));
  }
}
