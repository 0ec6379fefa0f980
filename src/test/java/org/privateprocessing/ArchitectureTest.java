package org.privateprocessing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.PackageMatchers;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The package map (README, issue 12) as tests: protocol packages know nothing of the servers built
 * on them, roles never know each other, the SDK and the CLI know no server internals, and no two
 * packages need each other.
 *
 * <p>Each layer rule is checked twice. ArchUnit reads the compiled main classes (never the tests),
 * which catches every use, also through a fully qualified name; but javac copies a {@code static
 * final} constant into the class that reads it, so reading another package's constant leaves no
 * trace in the bytecode. The second check reads the {@code import} lines of the sources, where such
 * a use still shows.
 */
class ArchitectureTest {
  private static final String ROOT = "org.privateprocessing";
  private static final Path SOURCES = Path.of("src/main/java");

  private static final List<String> ROLES = List.of("relay", "gateway", "enclave", "issuer", "log");

  /**
   * The protocol and library packages: they know no role, and nothing built on them. The root
   * package holds {@code ProtocolException}.
   */
  private static final List<String> PROTOCOL =
      List.of(ROOT, pkg("ohttp"), pkg("token"), pkg("attest"), pkg("tlog"));

  private static JavaClasses classes;

  /** Every main source file and its text, read once. */
  private static Map<Path, String> sources;

  /** A rule of the map: classes in {@code packages} use nothing in {@code forbidden}. */
  record Layer(String rule, List<String> packages, List<String> forbidden) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Layer> layers() {
    List<Layer> layers = new ArrayList<>();
    layers.add(
        new Layer(
            "protocol packages import no role, core, node, logclient, client or cli",
            PROTOCOL,
            pkgs(ROLES, "core", "node", "logclient", "client", "cli")));
    layers.add(
        new Layer(
            "infer imports no cryptography",
            List.of(pkg("infer")),
            List.of(
                "org.bouncycastle..",
                "java.security..",
                "javax.crypto..",
                pkg("ohttp"),
                pkg("token"),
                pkg("attest"))));
    layers.add(
        new Layer(
            "api and infer import no role, core, node, logclient, client or cli",
            List.of(pkg("api"), pkg("infer")),
            pkgs(ROLES, "core", "node", "logclient", "client", "cli")));
    layers.add(
        new Layer(
            "the relay reaches none of token, attest, infer, enclave nor another role",
            List.of(pkg("relay")),
            pkgs(ROLES, "token", "attest", "infer", "node", "client", "cli").stream()
                .filter(p -> !p.equals(pkg("relay")))
                .toList()));
    for (String role : ROLES) {
      List<String> others = ROLES.stream().filter(r -> !r.equals(role)).toList();
      layers.add(
          new Layer(
              "the " + role + " role imports no other role, node, client or cli",
              List.of(pkg(role)),
              pkgs(others, "node", "client", "cli", "admin")));
    }
    layers.add(
        new Layer(
            "core imports no role, node, client, cli or admin",
            List.of(pkg("core")),
            pkgs(ROLES, "node", "client", "cli", "admin")));
    layers.add(
        new Layer(
            "logclient imports no role, node, client or cli",
            List.of(pkg("logclient")),
            pkgs(ROLES, "node", "client", "cli")));
    layers.add(
        new Layer(
            "the client SDK imports no role, core, node or cli",
            List.of(pkg("client")),
            pkgs(ROLES, "core", "node", "cli")));
    layers.add(new Layer("the CLI reaches no role package", List.of(pkg("cli")), pkgs(ROLES)));
    layers.add(
        new Layer(
            "the admin listener imports no role, node, logclient, client or cli",
            List.of(pkg("admin")),
            pkgs(ROLES, "node", "logclient", "client", "cli")));
    return layers.stream();
  }

  @BeforeAll
  static void importMainClasses() throws IOException {
    // The rules name the packages of what a class uses; they need no look into the JDK and
    // libraries.
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
    sources = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        sources.put(f, Files.readString(f));
      }
    }
  }

  @AfterAll
  static void restoreConfiguration() {
    ArchConfiguration.get().reset();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  @DisplayName("the compiled main classes keep each layer rule")
  void compiledClassesKeepTheLayer(Layer layer) {
    noClasses()
        .that()
        .resideInAnyPackage(layer.packages().toArray(String[]::new))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(layer.forbidden().toArray(String[]::new))
        .as(layer.rule())
        .check(classes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  @DisplayName("the import lines of the main sources keep each layer rule (constants included)")
  void importLinesKeepTheLayer(Layer layer) {
    PackageMatchers from = PackageMatchers.of(layer.packages());
    PackageMatchers forbidden = PackageMatchers.of(layer.forbidden());
    List<Path> checked = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    for (Map.Entry<Path, String> source : sources.entrySet()) {
      Path file = source.getKey();
      String text = source.getValue();
      if (!from.test(packageOf(text, file))) {
        continue;
      }
      checked.add(file);
      for (String imported : importedPackages(text)) {
        if (forbidden.test(imported)) {
          violations.add(SOURCES.relativize(file) + " imports from " + imported);
        }
      }
    }
    // A rule that matched no source (a renamed package, a wrong path) would pass without checking.
    assertThat(checked).as("sources in %s", layer.packages()).isNotEmpty();
    assertThat(violations).as(layer.rule()).isEmpty();
  }

  @Test
  @DisplayName("no two packages depend on each other, directly or around a circle")
  void packagesFormNoCycle() {
    slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  @DisplayName(
      "no two classes of the server side (roles, core, node, logclient) depend on each other")
  void serverClassesFormNoCycle() {
    PackageMatchers serverSide = PackageMatchers.of(pkgs(ROLES, "core", "node", "logclient"));
    SliceAssignment topLevelClasses =
        new SliceAssignment() {
          @Override
          public SliceIdentifier getIdentifierOf(JavaClass c) {
            // A nested class (a record of results, a lambda's holder) belongs to its outer class.
            return serverSide.test(c.getPackageName())
                ? SliceIdentifier.of(c.getName().split("\\$", 2)[0])
                : SliceIdentifier.ignore();
          }

          @Override
          public String getDescription() {
            return "top-level classes of the roles, core, node and logclient";
          }
        };
    slices().assignedFrom(topLevelClasses).should().beFreeOfCycles().check(classes);
  }

  private static String pkg(String name) {
    return ROOT + "." + name + "..";
  }

  private static List<String> pkgs(List<String> names, String... more) {
    return Stream.concat(names.stream(), Stream.of(more)).map(ArchitectureTest::pkg).toList();
  }

  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
  private static final Pattern IMPORT =
      Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?\\s*;");

  private static String packageOf(String text, Path file) {
    Matcher m = PACKAGE.matcher(text);
    // package-info.java and every class declare their package; the default package is not used.
    assertThat(m.find()).as("%s declares its package", file).isTrue();
    return m.group(1);
  }

  /**
   * The package of each import: the name up to its first capitalised part, so {@code
   * a.b.Outer.Inner}, a static member and {@code a.b.*} all give {@code a.b}.
   */
  private static List<String> importedPackages(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = IMPORT.matcher(text);
    while (m.find()) {
      List<String> parts = new ArrayList<>();
      for (String part : m.group(1).split("\\.")) {
        if (Character.isUpperCase(part.charAt(0))) {
          break;
        }
        parts.add(part);
      }
      out.add(String.join(".", parts));
    }
    return out;
  }
}
