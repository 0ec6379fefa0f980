package org.privateprocessing.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * What the build wrote into a jar's manifest: the version, the git commit it was built from and the
 * reproducible build timestamp ({@code project.build.outputTimestamp}, the time every entry of the
 * jar carries). Two hosts that build the same commit get the same three values, so the release
 * entries they publish are byte-identical and name the commit to rebuild.
 *
 * <p>Code run from a directory (tests, an IDE) has no manifest: it is a development build, with
 * version {@value #DEV_VERSION}, commit {@value #UNKNOWN_COMMIT} and the epoch as its time. A jar
 * built outside a git checkout says {@value #UNKNOWN_COMMIT} too.
 *
 * @param version the {@code Implementation-Version} attribute
 * @param sourceCommit the {@code Source-Commit} attribute: 40 hex digits (then "-dirty" when the
 *     checkout had uncommitted changes), or "unknown"
 * @param buildTimestamp the {@code Build-Timestamp} attribute, whole seconds
 * @param development true when there was no manifest written by the build
 */
public record BuildInfo(
    String version, String sourceCommit, Instant buildTimestamp, boolean development) {
  public static final String VERSION = "Implementation-Version";
  public static final String COMMIT = "Source-Commit";
  public static final String TIMESTAMP = "Build-Timestamp";
  public static final String DEV_VERSION = "dev";
  public static final String UNKNOWN_COMMIT = "unknown";

  private static final BuildInfo DEVELOPMENT =
      new BuildInfo(DEV_VERSION, UNKNOWN_COMMIT, Instant.EPOCH, true);

  /** The build of the code running now (this class's jar). */
  public static BuildInfo running() {
    try {
      return of(MeasuredSettings.codeLocation());
    } catch (IOException e) {
      return DEVELOPMENT;
    }
  }

  /**
   * The build of {@code jar}; a directory, or a jar whose manifest the build did not write, is a
   * development build.
   *
   * @throws IOException if {@code jar} is a file that cannot be read as a jar, or its manifest
   *     names a build timestamp that is not an ISO-8601 instant
   */
  public static BuildInfo of(Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) {
      return DEVELOPMENT;
    }
    try (JarFile f = new JarFile(jar.toFile())) {
      return of(f.getManifest(), jar.toString());
    }
  }

  /** The build a manifest describes ({@code where} names it in errors). */
  static BuildInfo of(Manifest manifest, String where) throws IOException {
    Attributes main = manifest == null ? null : manifest.getMainAttributes();
    if (main == null || main.getValue(VERSION) == null) {
      return DEVELOPMENT;
    }
    String commit = main.getValue(COMMIT);
    String time = main.getValue(TIMESTAMP);
    Instant built;
    try {
      built = time == null ? Instant.EPOCH : Instant.parse(time.strip());
    } catch (DateTimeParseException e) {
      throw new IOException(
          "the manifest of " + where + " has " + TIMESTAMP + " '" + time + "', not an instant");
    }
    return new BuildInfo(
        main.getValue(VERSION).strip(),
        commit == null || !commit.strip().matches("[0-9a-f]{40}(-dirty)?")
            ? UNKNOWN_COMMIT
            : commit.strip(),
        built,
        false);
  }

  /** One line for {@code --version}: version, commit and build time. */
  public String describe() {
    if (development) {
      return "development build (run from classes, not from the packaged jar)";
    }
    return version
        + " (commit "
        + (UNKNOWN_COMMIT.equals(sourceCommit)
            ? "unknown: built outside a git checkout"
            : sourceCommit)
        + ", built "
        + buildTimestamp
        + ")";
  }
}
