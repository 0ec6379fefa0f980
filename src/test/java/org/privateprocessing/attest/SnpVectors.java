package org.privateprocessing.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** Loads the SEV-SNP vectors from {@code src/test/resources/vectors/sevsnp}. */
final class SnpVectors {
  /**
   * A time at which every vector certificate is valid (teekit VCEK from 2025-12-05; Milan VCEK to
   * 2029-09-24).
   */
  static final Instant VALID_AT = Instant.parse("2026-06-01T00:00:00Z");

  private SnpVectors() {}

  static byte[] bytes(String name) {
    try (InputStream in = SnpVectors.class.getResourceAsStream("/vectors/sevsnp/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing vector " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path path(String name) {
    return Path.of("src/test/resources/vectors/sevsnp", name);
  }

  static JsonNode json(String name) {
    try {
      return new ObjectMapper().readTree(bytes(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static X509Certificate cert(String name) {
    try {
      return Certificates.parse(bytes(name));
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A report with the VCEK that signed it. */
  record Pair(String report, String vcek) {
    String expected() {
      return report.replace(".bin", ".expected.json");
    }

    @Override
    public String toString() {
      return report;
    }
  }

  static final Pair MILAN = new Pair("milan-report.bin", "milan-vcek.der");
  static final Pair VIRTEE = new Pair("virtee-milan-report.bin", "virtee-milan-vcek.der");
  static final Pair TEEKIT =
      new Pair("teekit-gcp-milan-v5-report.bin", "teekit-gcp-milan-vcek.pem");
  static final Pair TEEKIT_DATA =
      new Pair("teekit-gcp-milan-v5-reportdata-report.bin", "teekit-gcp-milan-vcek.pem");

  static java.util.List<Pair> all() {
    return java.util.List.of(MILAN, VIRTEE, TEEKIT, TEEKIT_DATA);
  }
}
