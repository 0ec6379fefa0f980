package org.privateprocessing.tlog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A C2SP signed note (c2sp.org/signed-note): UTF-8 text ending in a newline, a blank line, then one
 * or more signature lines {@code — <name> base64(keyid || sig)} (U+2014 em dash).
 *
 * <p>The text may itself contain blank lines: the signatures start after the last blank line.
 */
public record SignedNote(String text, List<NoteSignature> signatures) {
  /** U+2014, the em dash that starts every signature line. */
  public static final String EM_DASH = "\u2014";

  /** Largest note {@link #parse} accepts, in UTF-8 bytes. */
  public static final int MAX_NOTE_BYTES = 1 << 20;

  /** Most signature lines {@link #parse} accepts. */
  public static final int MAX_SIGNATURES = 100;

  public SignedNote {
    Objects.requireNonNull(text, "text");
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("note text must end with a newline");
    }
    signatures = List.copyOf(signatures);
  }

  /**
   * Parses a signed note strictly.
   *
   * @throws TlogException TOO_LARGE beyond {@link #MAX_NOTE_BYTES} or {@link #MAX_SIGNATURES};
   *     MALFORMED for anything else that is not a signed note
   */
  public static SignedNote parse(String note) throws TlogException {
    if (note == null) {
      throw NoteKeys.malformed("signed note is missing");
    }
    if (note.length() > MAX_NOTE_BYTES
        || note.getBytes(StandardCharsets.UTF_8).length > MAX_NOTE_BYTES) {
      throw new TlogException(
          TlogException.Reason.TOO_LARGE,
          "signed note is larger than " + MAX_NOTE_BYTES + " bytes");
    }
    checkCharacters(note);
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw NoteKeys.malformed("signed note has no blank line before its signatures");
    }
    String text = note.substring(0, split + 1);
    String block = note.substring(split + 2);
    if (block.isEmpty()) {
      throw NoteKeys.malformed("signed note has no signature lines");
    }
    if (!block.endsWith("\n")) {
      throw NoteKeys.malformed("signed note's last signature line does not end with a newline");
    }
    String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw new TlogException(
          TlogException.Reason.TOO_LARGE,
          "signed note has " + lines.length + " signatures, at most " + MAX_SIGNATURES);
    }
    List<NoteSignature> sigs = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      sigs.add(parseLine(lines[i], i));
    }
    return new SignedNote(text, sigs);
  }

  private static NoteSignature parseLine(String line, int i) throws TlogException {
    String prefix = EM_DASH + " ";
    if (!line.startsWith(prefix)) {
      throw NoteKeys.malformed("signature line " + i + " does not start with an em dash and space");
    }
    String rest = line.substring(prefix.length());
    int sp = rest.indexOf(' ');
    if (sp < 0 || rest.indexOf(' ', sp + 1) >= 0) {
      throw NoteKeys.malformed("signature line " + i + " must be: em dash, name, base64");
    }
    String name = rest.substring(0, sp);
    if (!NoteKeys.validName(name)) {
      throw NoteKeys.malformed("signature line " + i + " has an invalid key name");
    }
    byte[] raw = NoteKeys.base64Strict(rest.substring(sp + 1), "signature line " + i);
    if (raw.length < 5) {
      throw NoteKeys.malformed("signature line " + i + " is shorter than a key id and signature");
    }
    return new NoteSignature(name, Arrays.copyOf(raw, 4), Arrays.copyOfRange(raw, 4, raw.length));
  }

  // golang.org/x/mod/sumdb/note: no control characters but newline, and valid UTF-8 (a String
  // with a lone surrogate cannot be encoded, so we refuse it too).
  private static void checkCharacters(String note) throws TlogException {
    for (int i = 0; i < note.length(); i++) {
      char c = note.charAt(i);
      if (c != '\n' && (c < 0x20 || c == 0x7f)) {
        throw NoteKeys.malformed("signed note contains a control character at offset " + i);
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= note.length() || !Character.isLowSurrogate(note.charAt(i + 1))) {
          throw NoteKeys.malformed("signed note is not valid UTF-8 at offset " + i);
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw NoteKeys.malformed("signed note is not valid UTF-8 at offset " + i);
      }
    }
  }

  /** The note as text, blank line and signature lines. */
  public String encode() {
    StringBuilder sb = new StringBuilder(text).append('\n');
    for (NoteSignature s : signatures) {
      sb.append(s.encodeLine()).append('\n');
    }
    return sb.toString();
  }

  /** A copy with one more signature line. */
  public SignedNote withSignature(NoteSignature signature) {
    List<NoteSignature> list = new ArrayList<>(signatures);
    list.add(Objects.requireNonNull(signature, "signature"));
    return new SignedNote(text, list);
  }

  /**
   * Verifies the signatures of trusted keys and returns their names (each once, in note order).
   * Signatures from keys not in {@code trusted} are ignored.
   *
   * @throws TlogException BAD_SIGNATURE if a signature from a trusted name and key id does not
   *     verify; UNKNOWN_KEY if no trusted key signed (the message names the keys seen)
   */
  public List<String> verify(Collection<NoteVerifier> trusted) throws TlogException {
    Set<String> ok = new LinkedHashSet<>();
    Set<String> seen = new LinkedHashSet<>();
    for (NoteSignature s : signatures) {
      seen.add(s.keyName() + "+" + Hashes.hex(s.keyId()));
      for (NoteVerifier v : trusted) {
        if (v.matches(s)) {
          if (!v.verify(text, s.signature())) {
            throw new TlogException(
                TlogException.Reason.BAD_SIGNATURE,
                "signature by " + s.keyName() + " does not verify");
          }
          ok.add(v.name());
        }
      }
    }
    if (ok.isEmpty()) {
      throw new TlogException(
          TlogException.Reason.UNKNOWN_KEY, "no signature from a trusted key; signed by " + seen);
    }
    return List.copyOf(ok);
  }
}
