package org.privateprocessing.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.privateprocessing.core.Profile;

/** {@link LaunchCheck} as a plain function of arguments, environment and class path. */
class LaunchCheckTest {
  static final Map<String, String> TUNED = Map.of("GLIBC_TUNABLES", LaunchCheck.WIPING_MALLOC);
  static final Path JAR = Path.of("/opt/pp/private-processing.jar");
  static final Map<String, String> HARDENED =
      Map.of("DisableAttachMechanism", "true", "HeapDumpOnOutOfMemoryError", "false");

  /** What {@code java -XX:+DisableAttachMechanism -Xmx384m -jar private-processing.jar} gives. */
  static LaunchCheck.Launch clean() {
    return new LaunchCheck.Launch(
        List.of("-XX:+DisableAttachMechanism", "-Xmx384m"),
        Map.of("PATH", "/usr/bin", "HOME", "/home/pp", "GLIBC_TUNABLES", LaunchCheck.WIPING_MALLOC),
        JAR.toString(),
        JAR,
        null,
        HARDENED);
  }

  static LaunchCheck.Launch withArgs(String... args) {
    LaunchCheck.Launch c = clean();
    return new LaunchCheck.Launch(
        List.of(args), c.environment(), c.classPath(), c.code(), null, HARDENED);
  }

  static LaunchCheck.Launch withEnv(String name, String value) {
    LaunchCheck.Launch c = clean();
    return new LaunchCheck.Launch(
        c.inputArguments(),
        Map.of(name, value, "GLIBC_TUNABLES", LaunchCheck.WIPING_MALLOC),
        c.classPath(),
        c.code(),
        null,
        HARDENED);
  }

  @Test
  @DisplayName(
      "java -XX:+DisableAttachMechanism -jar with ordinary heap, GC and native-access flags has no finding")
  void cleanLaunchPasses() {
    assertThat(LaunchCheck.inspect(clean())).isEmpty();
    assertThat(
            LaunchCheck.inspect(
                withArgs(
                    "-XX:+DisableAttachMechanism",
                    "-Xmx512m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "--enable-native-access=ALL-UNNAMED",
                    "-Dfile.encoding=UTF-8",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED")))
        .isEmpty();
    assertThat(LaunchCheck.enforce(Profile.PRODUCTION, "e1", clean())).isEmpty();
  }

  @Test
  @DisplayName("the jar named relatively (java -jar x.jar from its directory) is the measured jar")
  void relativeJarIsTheCode() {
    Path cwdJar = Path.of("private-processing.jar").toAbsolutePath();
    LaunchCheck.Launch l =
        new LaunchCheck.Launch(List.of(), TUNED, "private-processing.jar", cwdJar, null, HARDENED);
    assertThat(LaunchCheck.inspect(l)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-javaagent:/tmp/agent.jar",
        "-javaagent:/tmp/agent.jar=opts",
        "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
        "-agentlib:hprof",
        "-agentpath:/tmp/libagent.so",
        "-Xdebug",
        "-Xrunjdwp:transport=dt_socket",
        "-Xbootclasspath/a:/tmp/extra.jar",
        "--patch-module=java.base=/tmp/patch",
        "--module-path=/tmp/mods",
        "--upgrade-module-path=/tmp/mods",
        "-Djdk.module.path=/tmp/mods",
        "-XX:SharedArchiveFile=/tmp/app.jsa",
        "-XX:VMOptionsFile=/tmp/opts",
        "-XX:Flags=/tmp/.hotspotrc",
        "-XX:+EnableDynamicAgentLoading",
        "-XX:OnOutOfMemoryError=gcore %p",
        "-XX:OnError=gcore %p",
        "-Dcom.sun.management.jmxremote.port=9010"
      })
  @DisplayName("each argument that loads code, debugs or exports memory is a finding naming it")
  void argumentsThatLoadCode(String arg) {
    List<LaunchCheck.Finding> findings =
        LaunchCheck.inspect(withArgs("-XX:+DisableAttachMechanism", arg));
    assertThat(findings).hasSize(1);
    String shown = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
    assertThat(findings.get(0).what()).startsWith(shown);
    assertThat(findings.get(0).why()).isNotBlank();
  }

  @Test
  @DisplayName("agent and debugger options are not echoed: they may hold secrets")
  void optionsNotEchoed() {
    LaunchCheck.Finding f =
        LaunchCheck.inspect(withArgs("-javaagent:/tmp/a.jar=token=s3cret")).get(0);
    assertThat(f.what()).isEqualTo("-javaagent:/tmp/a.jar=...");
    assertThat(f.toString()).doesNotContain("s3cret");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "JAVA_TOOL_OPTIONS",
        "JDK_JAVA_OPTIONS",
        "_JAVA_OPTIONS",
        "LD_PRELOAD",
        "LD_AUDIT",
        "LD_LIBRARY_PATH"
      })
  @DisplayName("each environment variable that feeds the JVM options or native code is a finding")
  void environment(String name) {
    List<LaunchCheck.Finding> findings = LaunchCheck.inspect(withEnv(name, "-Dsecret=x"));
    assertThat(findings).extracting(LaunchCheck.Finding::what).containsExactly(name + " is set");
    assertThat(findings.get(0).toString()).doesNotContain("secret");
  }

  @Test
  @DisplayName("the same variables set but empty, and unrelated variables, are no finding")
  void blankOrUnrelatedVariables() {
    assertThat(LaunchCheck.inspect(withEnv("JAVA_TOOL_OPTIONS", " "))).isEmpty();
    assertThat(LaunchCheck.inspect(withEnv("JAVA_HOME", "/usr/lib/jvm/x"))).isEmpty();
    assertThat(LaunchCheck.inspect(withEnv("CLASSPATH_NOTE", "x"))).isEmpty();
  }

  @Test
  @DisplayName(
      "class path entries besides the measured jar are one finding naming three and counting the rest")
  void extraClassPath() {
    String cp =
        String.join(
            File.pathSeparator,
            JAR.toString(),
            "/tmp/a.jar",
            "/tmp/b.jar",
            "/tmp/classes",
            "/tmp/d.jar",
            "/tmp/e.jar");
    LaunchCheck.Launch l = new LaunchCheck.Launch(List.of(), TUNED, cp, JAR, null, HARDENED);
    List<LaunchCheck.Finding> findings = LaunchCheck.inspect(l);
    assertThat(findings).hasSize(1);
    assertThat(findings.get(0).what())
        .isEqualTo("class path entries /tmp/a.jar, /tmp/b.jar, /tmp/classes and 2 more");
    assertThat(findings.get(0).why()).contains(JAR.toString());
  }

  @Test
  @DisplayName("a class path without the jar at all (another jar in its place) is a finding")
  void anotherJarInstead() {
    LaunchCheck.Launch l =
        new LaunchCheck.Launch(List.of(), TUNED, "/tmp/other.jar", JAR, null, HARDENED);
    assertThat(LaunchCheck.inspect(l))
        .extracting(LaunchCheck.Finding::what)
        .containsExactly("class path entry /tmp/other.jar");
  }

  @Test
  @DisplayName(
      "a Class-Path in the measured jar's manifest is a finding: the jars it names are not")
  void manifestClassPath() {
    LaunchCheck.Launch l =
        new LaunchCheck.Launch(
            List.of(), TUNED, JAR.toString(), JAR, "lib/evil.jar lib/other.jar", HARDENED);
    assertThat(LaunchCheck.inspect(l))
        .extracting(LaunchCheck.Finding::what)
        .containsExactly("the jar's manifest Class-Path lib/evil.jar lib/other.jar");
  }

  @Test
  @DisplayName(
      "attach left on (or a JVM that cannot say) and heap dumps on OOM are findings; attach off is none")
  void vmOptions() {
    LaunchCheck.Launch attachOn =
        new LaunchCheck.Launch(
            List.of(), TUNED, JAR.toString(), JAR, null, Map.of("DisableAttachMechanism", "false"));
    assertThat(LaunchCheck.inspect(attachOn))
        .extracting(LaunchCheck.Finding::what)
        .containsExactly("the attach mechanism is on");
    LaunchCheck.Launch unknown =
        new LaunchCheck.Launch(List.of(), TUNED, JAR.toString(), JAR, null, Map.of());
    assertThat(LaunchCheck.inspect(unknown))
        .extracting(LaunchCheck.Finding::what)
        .containsExactly("the attach mechanism is on");
    LaunchCheck.Launch dumps =
        new LaunchCheck.Launch(
            List.of(),
            TUNED,
            JAR.toString(),
            JAR,
            null,
            Map.of("DisableAttachMechanism", "true", "HeapDumpOnOutOfMemoryError", "true"));
    assertThat(LaunchCheck.inspect(dumps))
        .extracting(LaunchCheck.Finding::what)
        .containsExactly("HeapDumpOnOutOfMemoryError is on");
  }

  @Test
  @DisplayName(
      "production refuses with every finding and why in one message; demo returns them and goes on")
  void productionRefusesDemoWarns() {
    LaunchCheck.Launch bad =
        new LaunchCheck.Launch(
            List.of("-javaagent:/tmp/agent.jar", "-XX:+DisableAttachMechanism"),
            Map.of("JAVA_TOOL_OPTIONS", "-Dx=1", "GLIBC_TUNABLES", LaunchCheck.WIPING_MALLOC),
            JAR + File.pathSeparator + "/tmp/extra.jar",
            JAR,
            null,
            HARDENED);
    assertThatThrownBy(() -> LaunchCheck.enforce(Profile.PRODUCTION, "5e1ec7ed", bad))
        .isInstanceOfSatisfying(LaunchCheck.Refused.class, r -> assertThat(r.findings()).hasSize(3))
        .hasMessageStartingWith(
            "enclave 5e1ec7ed refuses to start: its JVM runs with what its measurement does not"
                + " cover")
        .hasMessageContaining(
            "-javaagent:/tmp/agent.jar (a Java agent can rewrite any class after the jar was"
                + " measured)")
        .hasMessageContaining("JAVA_TOOL_OPTIONS is set (the JVM takes options from it")
        .hasMessageContaining("class path entry /tmp/extra.jar (only the measured code, ")
        .hasMessageContaining("-XX:+DisableAttachMechanism -jar private-processing.jar");
    assertThat(LaunchCheck.enforce(Profile.DEMO, "5e1ec7ed", bad))
        .extracting(LaunchCheck.Finding::what)
        .containsExactly(
            "-javaagent:/tmp/agent.jar",
            "JAVA_TOOL_OPTIONS is set",
            "class path entry /tmp/extra.jar");
  }

  @Test
  @DisplayName(
      "this test JVM (Surefire's booter class path, attach on) is a launch production refuses")
  void thisJvmIsNotAProductionLaunch() throws Exception {
    assertThat(LaunchCheck.inspect(LaunchCheck.Launch.ofThisJvm()))
        .extracting(LaunchCheck.Finding::what)
        .anySatisfy(w -> assertThat(w).startsWith("class path entr"));
  }

  @Test
  @DisplayName(
      "freed native memory must be wiped: GLIBC_TUNABLES with a perturb byte and no tcache")
  void freedMemoryIsWiped() {
    assertThat(LaunchCheck.wipesFreedMemory(LaunchCheck.WIPING_MALLOC)).isTrue();
    assertThat(LaunchCheck.wipesFreedMemory("glibc.malloc.tcache_count=0:glibc.malloc.perturb=1"))
        .isTrue();
    assertThat(LaunchCheck.wipesFreedMemory(null)).isFalse();
    assertThat(LaunchCheck.wipesFreedMemory("glibc.malloc.perturb=165")).isFalse();
    assertThat(LaunchCheck.wipesFreedMemory("glibc.malloc.perturb=0:glibc.malloc.tcache_count=0"))
        .isFalse();
    assertThat(LaunchCheck.wipesFreedMemory("glibc.malloc.perturb=256:glibc.malloc.tcache_count=0"))
        .isFalse();
    assertThat(LaunchCheck.wipesFreedMemory("glibc.malloc.perturb=x:glibc.malloc.tcache_count=0"))
        .isFalse();
    LaunchCheck.Launch c = LaunchCheckTest.clean();
    LaunchCheck.Launch untuned =
        new LaunchCheck.Launch(
            c.inputArguments(),
            Map.of("PATH", "/usr/bin"),
            c.classPath(),
            c.code(),
            null,
            HARDENED);
    assertThat(LaunchCheck.inspect(untuned))
        .extracting(LaunchCheck.Finding::what)
        .containsExactly("freed native memory is not wiped");
  }
}
