package org.privateprocessing.cli;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import org.privateprocessing.attest.LaunchImage;
import org.privateprocessing.core.MeasuredSettings;
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
final class ReleaseCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description = {
        "Measures JAR exactly like 'audit measurement' (the jar, the measured part of the",
        "config's \"enclave\" section and the JVM the enclave runs on) and appends an",
        "enclave-release entry, signed with the publisher key, to the log. Prints the entry's",
        "index and the log's new checkpoint."
      },
      footer = {
        "",
        "Example:  java -jar target/private-processing.jar release publish --jar target/private-processing.jar \\",
        "            --log http://127.0.0.1:8083 --key run/log/publisher.skey --commit $(git rev-parse HEAD)"
      })
  static final class Publish implements Callable<Integer> {
    @Option(
        names = "--jar",
        required = true,
        paramLabel = "FILE",
        description = "the enclave jar to release")
    Path jar;

    @Option(
        names = "--conf",
        paramLabel = "FILE",
        description =
            "role config whose \"enclave\" section the enclave runs with (default: conf/all-in-one.json "
                + "if present, else the built-in defaults)")
    Path conf;

    @CommandLine.Mixin MeasuredJvmMixin measuredJvm;

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
        names = "--version",
        paramLabel = "V",
        description = "release version (default: the jar's manifest, else dev)")
    String version;

    @Option(
        names = "--commit",
        paramLabel = "C",
        defaultValue = "unknown",
        description = "source commit the jar was built from (default: ${DEFAULT-VALUE})")
    String commit;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(jar)) {
        throw new java.io.IOException(
            "jar not found: " + jar + " (build it with: mvn -B -DskipTests package)");
      }
      PublisherKeys.Signer signer;
      try {
        signer = PublisherKeys.Signer.parse(TlogFiles.readKey(key, "--key"));
      } catch (org.privateprocessing.tlog.TlogException e) {
        throw new java.io.IOException("--key " + key + ": " + e.getMessage());
      }
      JsonObject config = ConfigFiles.loadQuietly(conf);
      MeasuredSettings.Jvm runsOn = measuredJvm.jvm();
      byte[] measured = MeasuredSettings.launchConfig(config.getJsonObject("enclave"), runsOn);
      measuredJvm.describe(runsOn);
      String measurement = LaunchImage.hex(LaunchImage.measure(jar, measured));
      LogEntry.EnclaveRelease release =
          new LogEntry.EnclaveRelease(
              measurement,
              version != null ? version : manifestVersion(jar),
              commit,
              Files.getLastModifiedTime(jar).toInstant().truncatedTo(ChronoUnit.SECONDS));
      Vertx vertx = Vertx.vertx();
      try (LogClient client = LogClient.create(vertx, log)) {
        LogClient.Appended a = Await.result(client.append(release, signer), 30_000);
        System.out.println(
            "index " + a.index() + (a.created() ? " (appended)" : " (already in the log)"));
        System.out.println("measurement " + measurement);
        System.out.print(a.checkpoint().encode());
        return 0;
      } finally {
        vertx.close();
      }
    }

    private static String manifestVersion(Path jar) {
      try (JarFile f = new JarFile(jar.toFile())) {
        String v =
            f.getManifest() == null
                ? null
                : f.getManifest().getMainAttributes().getValue("Implementation-Version");
        return v == null ? "dev" : v;
      } catch (java.io.IOException e) {
        return "dev";
      }
    }
  }

  @Command(
      name = "keygen",
      mixinStandardHelpOptions = true,
      description = {
        "Makes a publisher signing key (owner-only file) and prints its verifier key,",
        "which the log lists in \"publisherKeys\"."
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
      TlogFiles.writeSecret(out, signer.encodeSkey());
      System.out.println(signer.verifierKey());
      System.err.println(
          "wrote the signing key to "
              + out
              + " (keep it secret); the line above is its verifier key");
      return 0;
    }
  }
}
