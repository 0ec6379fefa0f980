package org.privateprocessing.tlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The body of a C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): origin line, decimal tree size,
 * base64 root hash, then optional extension lines, each newline-terminated. It is the text of a
 * {@link SignedNote}.
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    if (origin.isEmpty() || origin.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("origin must be one non-empty line");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
    if (rootHash == null || rootHash.length != Rfc9162.HASH_LENGTH) {
      throw new IllegalArgumentException("root hash must be 32 bytes");
    }
    rootHash = rootHash.clone();
    extensions = List.copyOf(extensions == null ? List.of() : extensions);
    for (String e : extensions) {
      if (e.isEmpty() || e.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("extension lines must be non-empty single lines");
      }
    }
  }

  /** A checkpoint without extension lines. */
  public Checkpoint(String origin, long size, byte[] rootHash) {
    this(origin, size, rootHash, List.of());
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The checkpoint body: every line newline-terminated. */
  public String encode() {
    StringBuilder sb =
        new StringBuilder()
            .append(origin)
            .append('\n')
            .append(size)
            .append('\n')
            .append(Base64.getEncoder().encodeToString(rootHash))
            .append('\n');
    for (String e : extensions) {
      sb.append(e).append('\n');
    }
    return sb.toString();
  }

  /**
   * The checkpoint of a signed note, once at least one of {@code trusted} has verified its
   * signature (C2SP signed-note): the one way to read a checkpoint that someone else handed over.
   */
  public static Checkpoint fromSignedNote(String note, java.util.Collection<NoteVerifier> trusted)
      throws TlogException {
    SignedNote parsed = SignedNote.parse(note);
    parsed.verify(trusted);
    return parse(parsed.text());
  }

  /**
   * Parses a checkpoint body strictly.
   *
   * @throws TlogException MALFORMED for a missing final newline, an empty line, an empty origin, a
   *     size with sign or leading zeros or beyond 2^63-1, or a root that is not canonical base64 of
   *     32 bytes
   */
  public static Checkpoint parse(String body) throws TlogException {
    if (body == null || !body.endsWith("\n")) {
      throw NoteKeys.malformed("checkpoint body does not end with a newline");
    }
    String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw NoteKeys.malformed("checkpoint has " + lines.length + " lines, needs at least 3");
    }
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        throw NoteKeys.malformed("checkpoint line " + (i + 1) + " is empty");
      }
    }
    long size = parseSize(lines[1]);
    byte[] root = NoteKeys.base64Strict(lines[2], "checkpoint root hash");
    if (root.length != Rfc9162.HASH_LENGTH) {
      throw NoteKeys.malformed("checkpoint root hash is " + root.length + " bytes, expected 32");
    }
    List<String> ext = new ArrayList<>(Arrays.asList(lines).subList(3, lines.length));
    return new Checkpoint(lines[0], size, root, ext);
  }

  private static long parseSize(String s) throws TlogException {
    if (s.length() > 19
        || !s.chars().allMatch(c -> c >= '0' && c <= '9')
        || (s.length() > 1 && s.charAt(0) == '0')) {
      throw NoteKeys.malformed("checkpoint size is not a decimal without sign or leading zeros");
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw NoteKeys.malformed("checkpoint size is beyond 2^63-1");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c
        && origin.equals(c.origin)
        && size == c.size
        && Arrays.equals(rootHash, c.rootHash)
        && extensions.equals(c.extensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, size, Arrays.hashCode(rootHash), extensions);
  }

  @Override
  public String toString() {
    return "Checkpoint[" + origin + ", " + size + ", " + Hashes.hex(rootHash) + "]";
  }
}
