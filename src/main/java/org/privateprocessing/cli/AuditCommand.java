package org.privateprocessing.cli;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.privateprocessing.attest.LaunchImage;
import org.privateprocessing.core.MeasuredSettings;
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
final class AuditCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

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

    @Option(
        names = "--conf",
        paramLabel = "FILE",
        description =
            "role config whose \"enclave\" section the enclave runs with (default: conf/all-in-one.json "
                + "if present, else the built-in defaults)")
    Path conf;

    @CommandLine.Mixin MeasuredJvmMixin measuredJvm;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(jar)) {
        throw new java.io.IOException(
            "jar not found: " + jar + " (build it with: mvn -B -DskipTests package)");
      }
      JsonObject config = ConfigFiles.loadQuietly(conf);
      MeasuredSettings.Jvm runsOn = measuredJvm.jvm();
      byte[] measured = MeasuredSettings.launchConfig(config.getJsonObject("enclave"), runsOn);
      measuredJvm.describe(runsOn);
      System.out.println(LaunchImage.hex(LaunchImage.measure(jar, measured)));
      System.err.println(
          "measured "
              + jar
              + " ("
              + Files.size(jar)
              + " bytes) with measured settings "
              + new String(measured, java.nio.charset.StandardCharsets.UTF_8));
      return 0;
    }
  }
}
