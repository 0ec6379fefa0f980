package org.privateprocessing.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import org.privateprocessing.core.BuildInfo;
import org.privateprocessing.logclient.LogClient;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.PublisherKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code release}: what the operator runs to record an enclave release in the transparency log. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = {
      "Records enclave releases in the transparency log, so clients accept only logged ones."
    },
    subcommands = {
      ReleaseCommand.Publish.class,
      ReleaseCommand.Keygen.class,
      CommandLine.HelpCommand.class
    })
final class ReleaseCommand extends CommandGroup {
  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description = {
        "Appends an enclave release, measured from its jar, to the transparency log.",
        "Measures JAR exactly like 'audit measurement' (the jar, the measured part of the",
        "config's \"enclave\" section and the JVM the enclave runs on) and appends an",
        "enclave-release entry, signed with the publisher key, to the log. Prints the entry's",
        "index and the log's new checkpoint. The entry's version, source commit and build time",
        "are those the build wrote into the jar's manifest, so every host that builds the same",
        "commit publishes the same entry."
      },
      footer = {
        "",
        "Example:",
        "  java -jar target/private-processing.jar release publish \\",
        "      --jar target/private-processing.jar --log http://127.0.0.1:8083 \\",
        "      --key run/log/publisher.skey"
      })
  static final class Publish implements Callable<Integer> {
    @Option(
        names = "--jar",
        required = true,
        paramLabel = "FILE",
        description = "the enclave jar to release")
    Path jar;

    @CommandLine.Mixin MeasurementMixin measurement;

    @Option(
        names = "--log",
        required = true,
        paramLabel = "URL",
        description = "the transparency log")
    String log;

    @Option(
        names = "--key",
        required = true,
        paramLabel = "SKEY_FILE",
        description = "publisher signing key")
    Path key;

    @Option(
        names = "--release-version",
        paramLabel = "V",
        description =
            "release version, for a jar whose manifest names none (default: the manifest's "
                + "Implementation-Version); refused if it differs from the manifest's")
    String version;

    @Option(
        names = "--commit",
        paramLabel = "C",
        description =
            "source commit, for a jar built outside git (default: the manifest's Source-Commit, "
                + "which the build takes from git); refused if it differs from the manifest's")
    String commit;

    @Override
    public Integer call() throws Exception {
      MeasurementMixin.requireJar(jar);
      PublisherKeys.Signer signer;
      try {
        signer = PublisherKeys.Signer.parse(TlogFiles.readKey(key, "--key"));
      } catch (org.privateprocessing.tlog.TlogException e) {
        throw new java.io.IOException("--key " + key + ": " + e.getMessage());
      }
      String measured = measurement.measure(jar).hex();
      LogEntry.EnclaveRelease release = release(jar, measured, version, commit);
      LogClient.Appended a =
          LogSession.run(log, client -> Await.result(client.append(release, signer), 30_000));
      System.out.println(
          "index " + a.index() + (a.created() ? " (appended)" : " (already in the log)"));
      System.out.println("measurement " + measured);
      System.out.print(a.checkpoint().encode());
      return 0;
    }

    /**
     * The release entry of {@code jar}: version, commit and build time from its manifest (what the
     * build wrote: the same on every host that builds the commit), so the entry is reproducible.
     * {@code version} and {@code commit} fill in what a jar built without them lacks, and may not
     * contradict what it has.
     */
    static LogEntry.EnclaveRelease release(
        Path jar, String measurement, String version, String commit) throws java.io.IOException {
      BuildInfo build = BuildInfo.of(jar);
      String v = agreed("--release-version", version, build.development() ? null : build.version());
      String c =
          agreed(
              "--commit",
              commit,
              BuildInfo.UNKNOWN_COMMIT.equals(build.sourceCommit()) ? null : build.sourceCommit());
      java.time.Instant built =
          build.development()
              ? Files.getLastModifiedTime(jar).toInstant().truncatedTo(ChronoUnit.SECONDS)
              : build.buildTimestamp();
      return new LogEntry.EnclaveRelease(
          measurement,
          v == null ? BuildInfo.DEV_VERSION : v,
          c == null ? BuildInfo.UNKNOWN_COMMIT : c,
          built);
    }

    private static String agreed(String option, String given, String manifest) {
      if (given != null && manifest != null && !given.equals(manifest)) {
        throw new IllegalArgumentException(
            option
                + " "
                + given
                + " contradicts the jar's manifest, which says "
                + manifest
                + "; leave "
                + option
                + " out (the manifest is what the build recorded)");
      }
      return given != null ? given : manifest;
    }
  }

  @Command(
      name = "keygen",
      mixinStandardHelpOptions = true,
      description = {
        "Makes a publisher signing key and prints its verifier key.",
        "The signing key is written to an owner-only file; the log lists the verifier key in",
        "\"publisherKeys\"."
      })
  static final class Keygen implements Callable<Integer> {
    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description = "where to write the signing key")
    Path out;

    @Option(
        names = "--name",
        defaultValue = "release-publisher",
        paramLabel = "N",
        description = "key name (default: ${DEFAULT-VALUE})")
    String name;

    @Override
    public Integer call() throws Exception {
      PublisherKeys.Signer signer = PublisherKeys.Signer.generate(name, new SecureRandom());
      TlogFiles.writeNewKey(out, signer.encodeSkey(), signer.verifierKey(), "signing");
      return 0;
    }
  }
}
