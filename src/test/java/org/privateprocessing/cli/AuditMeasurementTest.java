package org.privateprocessing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.attest.LaunchImage;
import org.privateprocessing.core.MeasuredSettings;
import picocli.CommandLine;

/**
 * {@code audit measurement} predicts the measurement of an enclave on a JVM that need not be the
 * auditor's: the JVM is an input, defaulting to the one running the command.
 */
class AuditMeasurementTest {
  @TempDir Path dir;

  /** Runs the CLI and returns what it printed on stdout (the command prints there directly). */
  private String audit(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = Main.commandLine();
      StringWriter err = new StringWriter();
      cli.setErr(new PrintWriter(err, true));
      assertThat(cli.execute(args)).as(err.toString()).isZero();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8).strip();
  }

  @Test
  @DisplayName(
      "--jvm-vendor/--jvm-version predict another JVM's measurement; without them it is this JVM's")
  void jvmIsAnInput() throws Exception {
    Path jar = Files.write(dir.resolve("enclave.jar"), "not really a jar".getBytes());
    Path conf = Files.writeString(dir.resolve("conf.json"), "{\"profile\":\"demo\"}");
    String other =
        audit(
            "audit",
            "measurement",
            "--jar",
            jar.toString(),
            "--conf",
            conf.toString(),
            "--jvm-vendor",
            "Eclipse Adoptium",
            "--jvm-version",
            "17.0.15+6");
    String mine = audit("audit", "measurement", "--jar", jar.toString(), "--conf", conf.toString());
    assertThat(other)
        .isEqualTo(
            LaunchImage.hex(
                LaunchImage.measure(
                    jar,
                    MeasuredSettings.launchConfig(
                        null, new MeasuredSettings.Jvm("Eclipse Adoptium", "17.0.15+6")))));
    assertThat(mine)
        .isEqualTo(
            LaunchImage.hex(
                LaunchImage.measure(
                    jar, MeasuredSettings.launchConfig(null, MeasuredSettings.Jvm.running()))))
        .isNotEqualTo(other);
  }
}
