package org.privateprocessing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fuzz seeds committed under {@code src/test/resources} are exactly what {@link FuzzSeeds}
 * makes from the vectors, and every {@code @FuzzTest} has some, so regression runs in {@code mvn
 * verify} exercise each parser on valid input and real fuzzing starts from it.
 */
class FuzzSeedsTest {
  @Test
  @DisplayName("the committed seed files are byte for byte the seeds made from the vectors")
  void committedSeedsAreTheGeneratedOnes() throws Exception {
    Map<String, byte[]> generated = FuzzSeeds.all();
    Map<String, byte[]> committed = new TreeMap<>();
    try (Stream<Path> files = Files.walk(FuzzSeeds.ROOT.resolve("org"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (f.getFileName().toString().startsWith(FuzzSeeds.PREFIX)) {
          committed.put(
              FuzzSeeds.ROOT.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
        }
      }
    }
    assertThat(committed.keySet())
        .as("regenerate with scripts/fuzz.sh --seeds")
        .isEqualTo(generated.keySet());
    for (Map.Entry<String, byte[]> e : generated.entrySet()) {
      assertThat(committed.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  @DisplayName("every @FuzzTest method has at least one seed in <TestClass>Inputs/<method>/")
  void everyTargetHasSeeds() throws Exception {
    List<String> targets = new ArrayList<>();
    try (Stream<Path> sources = Files.walk(Path.of("src", "test", "java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (!Files.readString(source).contains("@FuzzTest")) {
          continue;
        }
        String name =
            Path.of("src", "test", "java")
                .relativize(source)
                .toString()
                .replace('\\', '/')
                .replaceAll("\\.java$", "")
                .replace('/', '.');
        Class<?> c = Class.forName(name);
        for (Method m : c.getDeclaredMethods()) {
          if (m.isAnnotationPresent(FuzzTest.class)) {
            Path dir =
                FuzzSeeds.ROOT
                    .resolve(c.getPackageName().replace('.', '/'))
                    .resolve(c.getSimpleName() + "Inputs")
                    .resolve(m.getName());
            targets.add(c.getSimpleName() + "#" + m.getName());
            try (Stream<Path> seeds = Files.list(dir)) {
              assertThat(seeds.filter(p -> p.getFileName().toString().startsWith(FuzzSeeds.PREFIX)))
                  .as(dir.toString())
                  .isNotEmpty();
            }
          }
        }
      }
    }
    // Binary HTTP 2, OHTTP 5, tokens 8, attestation 3, log 5, API 5.
    assertThat(targets).hasSize(28);
  }
}
