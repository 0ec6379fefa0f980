package org.privateprocessing.node;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Searches another process's memory (Linux only) for byte strings: the readable ranges listed in
 * {@code /proc/<pid>/maps}, read through {@code /proc/<pid>/mem}. A heap dump shows only live Java
 * objects; this shows what the process holds anywhere else: malloc arenas, thread stacks, Netty's
 * direct (off-heap) buffers, TLS engine state, code and metadata spaces.
 *
 * <p>The Java heap itself is left out ({@link #javaHeap}): it holds garbage (dead objects whose
 * memory is not cleared until reused), which says nothing about what the program keeps; live heap
 * objects are the heap dump's business. Read-only file mappings (the JDK's modules image, jars,
 * shared libraries) are left out too: they hold what is on disk, never what a request carried.
 *
 * <p>Reading {@code /proc/<pid>/mem} needs the right to trace the process: the same user, and with
 * Yama's {@code ptrace_scope} 1 a descendant of the reader (a child started by the test is). Test
 * utility; usable by any test that starts a server JVM with {@link ProcessBuilder}.
 */
public final class ProcessMemory {
  /** Bytes read per {@code pread}; needles are found across chunk boundaries. */
  private static final int CHUNK = 1 << 20;

  private static final Pattern RANGE = Pattern.compile("\\[(0x[0-9a-f]+), (0x[0-9a-f]+)\\)");

  private ProcessMemory() {}

  /** One line of {@code /proc/<pid>/maps}: {@code [start, end)}, permissions and what it maps. */
  public record Region(long start, long end, String permissions, String name) {
    public long size() {
      return end - start;
    }

    boolean readable() {
      return permissions.charAt(0) == 'r';
    }

    boolean writable() {
      return permissions.charAt(1) == 'w';
    }

    /** Anonymous memory, or a pseudo-mapping such as {@code [heap]} or {@code [stack]}. */
    boolean anonymous() {
      return name.isEmpty() || name.startsWith("[");
    }

    @Override
    public String toString() {
      return String.format(
          "%x-%x %s %s", start, end, permissions, name.isEmpty() ? "(anonymous)" : name);
    }
  }

  /** An address range {@code [start, end)}. */
  public record Range(long start, long end) {
    boolean overlaps(Region r) {
      return r.start() < end && start < r.end();
    }
  }

  /**
   * What a scan read and found.
   *
   * @param bytesRead bytes read from the process
   * @param regions how many regions were read
   * @param found for each needle found, the first address and the region it lies in
   */
  public record Scan(long bytesRead, int regions, Map<String, String> found) {}

  /** The process's mappings, as {@code /proc/<pid>/maps} lists them now. */
  public static List<Region> regions(long pid) throws IOException {
    List<Region> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"))) {
      String[] f = line.trim().split("\\s+", 6);
      String[] range = f[0].split("-");
      out.add(
          new Region(
              Long.parseUnsignedLong(range[0], 16),
              Long.parseUnsignedLong(range[1], 16),
              f[1],
              f.length > 5 ? f[5] : ""));
    }
    return out;
  }

  /**
   * The Java heap's reserved range, from {@code jcmd <pid> GC.heap_info} (every collector prints
   * its spaces' bounds as {@code [0x..., 0x...)}; the heap is from the lowest to the highest).
   *
   * @param jcmd the {@code jcmd} of the JDK that runs the process
   */
  public static Range javaHeap(long pid, Path jcmd) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd GC.heap_info failed: " + out);
    }
    long low = Long.MAX_VALUE;
    long high = Long.MIN_VALUE;
    Matcher m = RANGE.matcher(out);
    while (m.find()) {
      low = Math.min(low, Long.decode(m.group(1)));
      high = Math.max(high, Long.decode(m.group(2)));
    }
    if (low >= high) {
      throw new IOException("no heap range in jcmd GC.heap_info: " + out);
    }
    return new Range(low, high);
  }

  /**
   * Reads every readable region that is anonymous or writable (so not a read-only file mapping),
   * except those overlapping {@code exclude}, and reports where each needle first occurs.
   *
   * @param needles what to look for, by a label for the report
   * @param maxBytes stop after this many bytes, so a runaway process cannot stall the test
   */
  public static Scan scan(long pid, Map<String, byte[]> needles, List<Range> exclude, long maxBytes)
      throws IOException {
    int longest = needles.values().stream().mapToInt(n -> n.length).max().orElse(1);
    Map<String, String> found = new LinkedHashMap<>();
    long read = 0;
    int regions = 0;
    try (RandomAccessFile mem =
        new RandomAccessFile(Path.of("/proc", Long.toString(pid), "mem").toFile(), "r")) {
      byte[] buf = new byte[CHUNK + longest];
      for (Region r : regions(pid)) {
        if (!r.readable()
            || !(r.anonymous() || r.writable())
            || r.name().equals("[vvar]")
            || r.name().equals("[vsyscall]")
            || exclude.stream().anyMatch(x -> x.overlaps(r))) {
          continue;
        }
        regions++;
        int carry = 0; // bytes kept from the previous chunk, so a needle across the edge is found
        for (long at = r.start(); at < r.end() && read < maxBytes; ) {
          int want = (int) Math.min(CHUNK, r.end() - at);
          int got;
          try {
            mem.seek(at);
            got = mem.read(buf, carry, want);
          } catch (IOException unreadable) {
            got = -1; // a guard page or a range unmapped since maps was read
          }
          if (got <= 0) {
            at += want;
            carry = 0;
            continue;
          }
          read += got;
          int length = carry + got;
          for (Map.Entry<String, byte[]> n : needles.entrySet()) {
            if (!found.containsKey(n.getKey())) {
              int i = indexOf(buf, length, n.getValue());
              if (i >= 0) {
                found.put(n.getKey(), String.format("at %x in %s", at - carry + i, r.toString()));
              }
            }
          }
          carry = Math.min(longest - 1, length);
          System.arraycopy(buf, length - carry, buf, 0, carry);
          at += got;
        }
      }
    }
    return new Scan(read, regions, found);
  }

  /** The labelled needles in Latin-1/UTF-8 and UTF-16 (both byte orders). */
  public static Map<String, byte[]> inAllEncodings(Map<String, String> texts) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    texts.forEach(
        (label, text) -> {
          out.put(label + " (UTF-8)", text.getBytes(StandardCharsets.UTF_8));
          out.put(label + " (UTF-16LE)", text.getBytes(StandardCharsets.UTF_16LE));
          out.put(label + " (UTF-16BE)", text.getBytes(StandardCharsets.UTF_16BE));
        });
    return out;
  }

  /** First index of {@code needle} in {@code haystack[0, length)}, or -1. */
  public static int indexOf(byte[] haystack, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      if (haystack[i] != needle[0]) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The {@code jcmd} beside the {@code java} running this test. */
  public static Path jcmd() {
    return Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
  }

  /** Whether this platform has {@code /proc/<pid>/mem} (Linux). */
  public static boolean available() {
    return Files.isReadable(Path.of("/proc/self/maps"));
  }

  /** The first of {@code needles} found by {@code scan}, if any, for an assertion message. */
  public static Optional<String> firstFound(Scan scan) {
    return scan.found().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).findFirst();
  }
}
