package org.privateprocessing.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit}: what a researcher runs to check the operator from public data alone. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Checks what the operator runs, from public data only.",
      "Recomputes the measurements of rebuilt jars and audits the transparency log that records",
      "releases and keys; re-checks a saved answer receipt against that log."
    },
    subcommands = {
      AuditCommand.Measurement.class,
      AuditLogCommand.class,
      AuditReceiptCommand.class,
      CommandLine.HelpCommand.class
    })
final class AuditCommand extends CommandGroup {
  @Command(
      name = "measurement",
      mixinStandardHelpOptions = true,
      description = {
        "Recomputes the launch measurement of an enclave jar, as an auditor would.",
        "It is the measurement a simulated enclave running JAR with the given",
        "enclave settings on the given JVM reports: SHA-384 over the jar, the measured part",
        "of the config's \"enclave\" section and the JVM's vendor and version",
        "(docs/ATTESTATION.md). Builds are reproducible, so rebuilding a release's commit",
        "and running this must print the measurement the transparency log lists for it.",
        "Prints the hex measurement on stdout."
      },
      footer = {
        "",
        "Example:",
        "  git checkout <commit> && mvn -B -DskipTests package && \\",
        "    java -jar target/private-processing.jar audit measurement \\",
        "      --jar target/private-processing.jar"
      })
  static final class Measurement implements Callable<Integer> {
    @Option(
        names = "--jar",
        required = true,
        paramLabel = "FILE",
        description = "the enclave jar to measure")
    Path jar;

    @CommandLine.Mixin MeasurementMixin measurement;

    @Override
    public Integer call() throws Exception {
      MeasurementMixin.requireJar(jar);
      MeasurementMixin.Measured measured = measurement.measure(jar);
      System.out.println(measured.hex());
      System.err.println(
          "measured "
              + jar
              + " ("
              + Files.size(jar)
              + " bytes) with measured settings "
              + new String(measured.settings(), java.nio.charset.StandardCharsets.UTF_8));
      return 0;
    }
  }
}
