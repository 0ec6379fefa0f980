package org.privateprocessing.attest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The simulated MEASUREMENT of an enclave: SHA-384 over its launch image, which is the code it runs
 * and the enclave settings that change its behaviour (DESIGN.md section 5). On hardware the PSP
 * measures the VM's initial memory instead; this is what a simulated enclave reports, and what
 * {@code audit measurement} recomputes from a rebuilt jar.
 *
 * <pre>
 * image = "private-processing/v1/launch-image" || 0x00
 *         || u64(len(code)) || code || u64(len(config)) || config
 * </pre>
 *
 * {@code code} is the jar's bytes (the build is reproducible, so the same commit gives the same
 * bytes); when the code runs from a class directory (tests, IDE), it is each file's relative path
 * and bytes in sorted order, so a development run still measures exactly what it executes. {@code
 * config} is the canonical JSON of the measured settings (sorted keys, no whitespace).
 */
public final class LaunchImage {
  public static final String LABEL = "private-processing/v1/launch-image";

  private LaunchImage() {}

  /**
   * SHA-384 of the launch image made of the code at {@code code} (a jar or a class directory) and
   * {@code config}.
   */
  public static byte[] measure(Path code, byte[] config) throws IOException {
    MessageDigest d = sha384();
    d.update(LABEL.getBytes(StandardCharsets.US_ASCII));
    d.update((byte) 0);
    if (Files.isDirectory(code)) {
      byte[] tree = directoryImage(code);
      d.update(u64(tree.length));
      d.update(tree);
    } else {
      d.update(u64(Files.size(code)));
      try (InputStream in = new DigestInputStream(Files.newInputStream(code), d)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
    d.update(u64(config.length));
    d.update(config);
    return d.digest();
  }

  /** {@link #measure(Path, byte[])} of in-memory code bytes (tests, and a jar already read). */
  public static byte[] measure(byte[] code, byte[] config) {
    MessageDigest d = sha384();
    d.update(LABEL.getBytes(StandardCharsets.US_ASCII));
    d.update((byte) 0);
    d.update(u64(code.length));
    d.update(code);
    d.update(u64(config.length));
    d.update(config);
    return d.digest();
  }

  public static String hex(byte[] measurement) {
    return HexFormat.of().formatHex(measurement);
  }

  /** Sorted (relative path, length, bytes) of every regular file under {@code dir}. */
  private static byte[] directoryImage(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    files.sort(
        (a, b) ->
            dir.relativize(a)
                .toString()
                .replace('\\', '/')
                .compareTo(dir.relativize(b).toString().replace('\\', '/')));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Path f : files) {
      byte[] name =
          dir.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8);
      byte[] content = Files.readAllBytes(f);
      out.writeBytes(u64(name.length));
      out.writeBytes(name);
      out.writeBytes(u64(content.length));
      out.writeBytes(content);
    }
    return out.toByteArray();
  }

  private static byte[] u64(long v) {
    return java.nio.ByteBuffer.allocate(8).putLong(v).array();
  }

  private static MessageDigest sha384() {
    try {
      return MessageDigest.getInstance("SHA-384");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-384 is required of every Java platform", e);
    }
  }
}
