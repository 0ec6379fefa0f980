package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 5 of issue #14, end to end: an enclave JVM started with a Java agent and {@code
 * JAVA_TOOL_OPTIONS}, in the production profile, refuses to start and says what it found and why.
 */
class LaunchCheckProcessTest {
  @TempDir Path dir;

  @Test
  @DisplayName(
      "a production enclave started with -javaagent and JAVA_TOOL_OPTIONS exits 1 naming both, before any attestation")
  void refusesAnAgentAndToolOptions() throws Exception {
    Path agent = agentJar(dir.resolve("agent.jar"));
    // Production (no profile), with an attestation device that does not exist: without the launch
    // check the enclave would fail later, for a reason that says nothing of the agent.
    JsonObject conf =
        new JsonObject()
            .put(
                "attestation",
                new JsonObject()
                    .put("provider", "configfs-tsm")
                    .put("configfsPath", dir.resolve("no-tsm").toString())
                    .put("tlsPort", -1))
            // The admin listener on a free port: another node may hold the default 9090.
            .put("admin", new JsonObject().put("port", 0))
            .put("dataDir", dir.resolve("data").toString());
    Path confFile = Files.writeString(dir.resolve("enclave.json"), conf.encodePrettily());
    Path log = dir.resolve("enclave.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-javaagent:" + agent + "=secret-option",
                "-cp",
                System.getProperty("java.class.path"),
                "org.privateprocessing.cli.Main",
                "serve",
                "--role",
                "enclave",
                "--conf",
                confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("JAVA_TOOL_OPTIONS", "-Dprivate-processing.test=1");
    Process p = pb.start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child exits").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isEqualTo(1);
    assertThat(out)
        .contains("refuses to start")
        .contains("-javaagent:" + agent + "=... (a Java agent can rewrite any class")
        .contains("JAVA_TOOL_OPTIONS is set (the JVM takes options from it")
        .contains("the attach mechanism is on")
        .contains("class path entr")
        .doesNotContain("secret-option")
        .doesNotContain("cannot attest")
        .doesNotContain("\tat ");
  }

  /** A jar whose manifest names {@link NoopAgent} as its premain class. */
  private static Path agentJar(Path jar) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().putValue("Premain-Class", NoopAgent.class.getName());
    String entry = NoopAgent.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, m);
        InputStream in = NoopAgent.class.getResourceAsStream("NoopAgent.class")) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }
}
