package org.privateprocessing.enclave;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.jar.JarFile;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.privateprocessing.core.MeasuredSettings;
import org.privateprocessing.core.Profile;

/**
 * What an enclave checks before it attests: that its JVM runs nothing its launch measurement does
 * not cover (docs/ATTESTATION.md, "What runs is what is measured"; the class of TOB-WAPI-13, code
 * injected after measurement). The measurement covers the jar, the JVM's vendor and version and the
 * measured settings; it cannot cover a Java or native agent, a debugger, extra class path entries,
 * options read from the environment, or a library the dynamic linker preloads. Rather than measure
 * those (an auditor could not review an arbitrary agent from its hash, and host paths would make
 * every deployment a new release), the enclave refuses to start with any of them.
 *
 * <p>In the production profile a finding stops the start, naming every finding and why it matters;
 * there is no setting that continues anyway. In the demo profile the attestation is simulated and
 * says so, and the test harnesses that run it (Maven Surefire's booter class path, Jazzer's agent,
 * an IDE's coverage agent) are findings too: there it logs the same list as a WARNING and goes on.
 *
 * <p>The check is a plain function of a {@link Launch}, so tests can give it any arguments,
 * environment and class path; {@link Launch#ofThisJvm()} reads the running JVM's.
 */
public final class LaunchCheck {
  private static final Logger LOG = Logger.getLogger(LaunchCheck.class.getName());

  /** Environment variables the JVM (or its launcher) reads options from. */
  static final List<String> JVM_OPTION_VARIABLES =
      List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

  /** Environment variables that make the dynamic linker load native code into the JVM. */
  static final List<String> LINKER_VARIABLES = List.of("LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH");

  /**
   * The glibc tunables an enclave must run with: every freed block overwritten ({@code perturb})
   * and no per-thread cache of freed blocks, which glibc returns unperturbed ({@code
   * tcache_count=0}). TLS on the RA-TLS listener decrypts requests in the TLS library's own
   * buffers, which it frees without clearing; only the allocator can clear them.
   */
  public static final String WIPING_MALLOC = "glibc.malloc.perturb=165:glibc.malloc.tcache_count=0";

  /** How many extra class path entries a message names before it counts the rest. */
  private static final int NAMED_ENTRIES = 3;

  private LaunchCheck() {}

  /** A production enclave's refusal to start, naming every finding and why. */
  public static final class Refused extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient List<Finding> findings;

    Refused(String message, List<Finding> findings) {
      super(message);
      this.findings = findings;
    }

    /** What was found. */
    public List<Finding> findings() {
      return findings;
    }
  }

  /**
   * One thing found in the launch, and why it defeats the measurement.
   *
   * @param what what was found, as it was given (agent options and variable values left out: they
   *     may hold secrets)
   * @param why what it lets happen that the measurement does not show
   */
  public record Finding(String what, String why) {
    @Override
    public String toString() {
      return what + " (" + why + ")";
    }
  }

  /**
   * What the check looks at.
   *
   * @param inputArguments the JVM's input arguments ({@code RuntimeMXBean.getInputArguments()}),
   *     which include the options taken from {@code JAVA_TOOL_OPTIONS} and friends
   * @param environment the process environment
   * @param classPath {@code java.class.path}
   * @param code where the measured code was loaded from (the jar, or a class directory)
   * @param manifestClassPath the {@code Class-Path} attribute of the jar's manifest, or null: jars
   *     it names are loaded but not measured
   * @param vmOptions current values of the HotSpot options the check reads ({@code
   *     DisableAttachMechanism}, {@code HeapDumpOnOutOfMemoryError}); an option missing here (a JVM
   *     without HotSpot's diagnostic bean) counts as not set
   */
  public record Launch(
      List<String> inputArguments,
      Map<String, String> environment,
      String classPath,
      Path code,
      String manifestClassPath,
      Map<String, String> vmOptions) {
    public Launch {
      inputArguments = List.copyOf(inputArguments);
      environment = Map.copyOf(environment);
      Objects.requireNonNull(classPath, "classPath");
      Objects.requireNonNull(code, "code");
      vmOptions = Map.copyOf(vmOptions);
    }

    /** The running JVM's launch. Blocking (reads the jar's manifest). */
    public static Launch ofThisJvm() throws IOException {
      Path code = MeasuredSettings.codeLocation();
      String manifestClassPath = null;
      if (Files.isRegularFile(code)) {
        try (JarFile jar = new JarFile(code.toFile())) {
          manifestClassPath =
              jar.getManifest() == null
                  ? null
                  : jar.getManifest().getMainAttributes().getValue("Class-Path");
        }
      }
      Map<String, String> vmOptions = new LinkedHashMap<>();
      HotSpotDiagnosticMXBean hotspot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (hotspot != null) {
        for (String name : List.of("DisableAttachMechanism", "HeapDumpOnOutOfMemoryError")) {
          try {
            VMOption o = hotspot.getVMOption(name);
            vmOptions.put(name, o.getValue());
          } catch (IllegalArgumentException e) {
            // Not an option of this JVM: left out, so it counts as not set.
          }
        }
      }
      return new Launch(
          ManagementFactory.getRuntimeMXBean().getInputArguments(),
          System.getenv(),
          System.getProperty("java.class.path", ""),
          code,
          manifestClassPath,
          vmOptions);
    }
  }

  /** Everything in {@code launch} the measurement does not cover, in a stable order. */
  public static List<Finding> inspect(Launch launch) {
    List<Finding> findings = new ArrayList<>();
    for (String arg : launch.inputArguments()) {
      Finding f = argument(arg);
      if (f != null) {
        findings.add(f);
      }
    }
    for (String name : JVM_OPTION_VARIABLES) {
      if (isSet(launch.environment().get(name))) {
        findings.add(
            new Finding(
                name + " is set",
                "the JVM takes options from it, agents and class path included, that the launch"
                    + " command does not show"));
      }
    }
    for (String name : LINKER_VARIABLES) {
      if (isSet(launch.environment().get(name))) {
        findings.add(
            new Finding(
                name + " is set", "the dynamic linker loads native code from it into the JVM"));
      }
    }
    if (!wipesFreedMemory(launch.environment().get("GLIBC_TUNABLES"))) {
      findings.add(
          new Finding(
              "freed native memory is not wiped",
              "the TLS library frees decrypted requests without clearing them; start the JVM with"
                  + " GLIBC_TUNABLES="
                  + WIPING_MALLOC));
    }
    findings.addAll(classPath(launch));
    if (!"true".equals(launch.vmOptions().get("DisableAttachMechanism"))) {
      findings.add(
          new Finding(
              "the attach mechanism is on",
              "a local process can load an agent into the running enclave with jcmd"
                  + " JVMTI.agent_load; start the JVM with -XX:+DisableAttachMechanism"));
    }
    if ("true".equals(launch.vmOptions().get("HeapDumpOnOutOfMemoryError"))) {
      findings.add(
          new Finding(
              "HeapDumpOnOutOfMemoryError is on",
              "it writes the heap, with request content, to a file outside the enclave's memory"));
    }
    return List.copyOf(findings);
  }

  /**
   * Refuses a launch with findings in production; in the demo profile logs them as one WARNING.
   *
   * @return the findings (empty for a clean launch)
   * @throws Refused in production when there is any finding, naming each
   */
  public static List<Finding> enforce(Profile profile, String enclaveId, Launch launch) {
    List<Finding> findings = inspect(launch);
    if (findings.isEmpty()) {
      return findings;
    }
    String list = findings.stream().map(Finding::toString).collect(Collectors.joining("; "));
    if (profile == Profile.PRODUCTION) {
      throw new Refused(
          "enclave "
              + enclaveId
              + " refuses to start: its JVM runs with what its measurement does not cover, so its"
              + " attestation would vouch for code it does not show: "
              + list
              + ". Start it as 'GLIBC_TUNABLES="
              + WIPING_MALLOC
              + " java -XX:+DisableAttachMechanism -jar private-processing.jar serve"
              + " --role enclave ...' with nothing else on the command line that loads code, and"
              + " none of "
              + String.join(", ", JVM_OPTION_VARIABLES)
              + ", "
              + String.join(", ", LINKER_VARIABLES)
              + " set (docs/ATTESTATION.md)",
          findings);
    }
    LOG.warning(
        "enclave "
            + enclaveId
            + " (demo profile) runs with what its measurement does not cover; production refuses"
            + " to start like this: "
            + list);
    return findings;
  }

  /** The finding for one JVM input argument, or null when it loads no code nor exposes memory. */
  static Finding argument(String arg) {
    if (arg.startsWith("-javaagent:")) {
      return new Finding(
          withoutOptions(arg), "a Java agent can rewrite any class after the jar was measured");
    }
    if (arg.startsWith("-agentlib:jdwp") || arg.startsWith("-Xrunjdwp") || arg.equals("-Xdebug")) {
      return new Finding(
          withoutOptions(arg), "a debugger can read and change the enclave's memory");
    }
    if (arg.startsWith("-agentlib:") || arg.startsWith("-agentpath:") || arg.startsWith("-Xrun")) {
      return new Finding(
          withoutOptions(arg), "a native agent can read and change the enclave's memory");
    }
    if (arg.startsWith("-Xbootclasspath")
        || arg.startsWith("--patch-module")
        || arg.startsWith("--module-path")
        || arg.startsWith("--upgrade-module-path")
        || arg.startsWith("-Djdk.module.path")
        || arg.startsWith("-Djdk.module.upgrade.path")
        || arg.startsWith("-Djdk.module.patch")) {
      return new Finding(arg, "it adds classes the measurement does not cover");
    }
    if (arg.startsWith("-XX:SharedArchiveFile") || arg.startsWith("-XX:ArchiveClassesAtExit")) {
      return new Finding(
          arg, "it loads pre-parsed classes from a file the measurement does not cover");
    }
    if (arg.startsWith("-XX:Flags=") || arg.startsWith("-XX:VMOptionsFile=")) {
      return new Finding(arg, "it reads JVM options from a file this check does not see");
    }
    if (arg.startsWith("-XX:+EnableDynamicAgentLoading")) {
      return new Finding(arg, "it lets agents be loaded into the running enclave");
    }
    if (arg.startsWith("-XX:OnError=") || arg.startsWith("-XX:OnOutOfMemoryError=")) {
      return new Finding(
          withoutOptions(arg), "it runs a command that can read the enclave's memory on failure");
    }
    if (arg.startsWith("-Dcom.sun.management.jmxremote")) {
      return new Finding(
          withoutOptions(arg),
          "remote JMX can dump the heap and load code into the running enclave");
    }
    return null;
  }

  /**
   * Class path entries besides the measured code, and jars the code's manifest adds: their classes
   * load, but their bytes are not measured.
   */
  private static List<Finding> classPath(Launch launch) {
    Path code = launch.code().toAbsolutePath().normalize();
    List<String> extra = new ArrayList<>();
    for (String entry : launch.classPath().split(File.pathSeparator, -1)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path p;
      try {
        p = Path.of(entry).toAbsolutePath().normalize();
      } catch (java.nio.file.InvalidPathException e) {
        extra.add(entry);
        continue;
      }
      if (!p.equals(code)) {
        extra.add(entry);
      }
    }
    List<Finding> findings = new ArrayList<>();
    if (!extra.isEmpty()) {
      String named = String.join(", ", extra.subList(0, Math.min(NAMED_ENTRIES, extra.size())));
      findings.add(
          new Finding(
              "class path "
                  + (extra.size() == 1 ? "entry " : "entries ")
                  + named
                  + (extra.size() > NAMED_ENTRIES
                      ? " and " + (extra.size() - NAMED_ENTRIES) + " more"
                      : ""),
              "only the measured code, " + code + ", may be on the class path"));
    }
    if (isSet(launch.manifestClassPath())) {
      findings.add(
          new Finding(
              "the jar's manifest Class-Path " + launch.manifestClassPath().strip(),
              "the jars it names load without being measured"));
    }
    return findings;
  }

  /** An agent or option argument up to its options: they may hold secrets. */
  private static String withoutOptions(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? arg : arg.substring(0, eq) + "=...";
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  /** Whether {@code tunables} (GLIBC_TUNABLES) set a non-zero perturb byte and no tcache. */
  static boolean wipesFreedMemory(String tunables) {
    if (tunables == null) {
      return false;
    }
    boolean perturb = false;
    boolean noCache = false;
    for (String t : tunables.split(":")) {
      String[] kv = t.trim().split("=", 2);
      if (kv.length != 2) {
        continue;
      }
      String value = kv[1].trim();
      if (kv[0].trim().equals("glibc.malloc.perturb")) {
        perturb = value.matches("[0-9]{1,3}") && Integer.parseInt(value) % 256 != 0;
      } else if (kv[0].trim().equals("glibc.malloc.tcache_count")) {
        noCache = value.equals("0");
      }
    }
    return perturb && noCache;
  }
}
