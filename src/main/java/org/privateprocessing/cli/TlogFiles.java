package org.privateprocessing.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.privateprocessing.tlog.KeyFiles;
import org.privateprocessing.tlog.NoteVerifier;
import org.privateprocessing.tlog.TlogException;

/** Key files and checkpoint state files of the transparency-log commands. */
final class TlogFiles {
  private TlogFiles() {}

  /** A verifier key given inline or as a file holding it. */
  static NoteVerifier logKey(String value) throws IOException {
    String v = value.trim();
    Path p = Path.of(v.length() < 200 && !v.contains("+") ? v : ".");
    if (!v.contains("+") && Files.isRegularFile(p)) {
      v = Files.readString(p).trim();
    }
    try {
      return NoteVerifier.parse(v);
    } catch (TlogException e) {
      throw new IOException("--log-key: " + e.getMessage());
    }
  }

  /** The first line of a key file. */
  static String readKey(Path file, String option) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(option + ": no such key file " + file);
    }
    return Files.readString(file).trim();
  }

  /** Writes a secret key readable by the owner only; refuses to overwrite. */
  static void writeSecret(Path file, String skey) throws IOException {
    try {
      KeyFiles.createSecret(file, skey);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " exists; refusing to overwrite a key");
    }
  }

  /**
   * What a {@code keygen} command does with a new key: writes the secret key to {@code file}
   * (owner-only, never over another), prints its verifier key on stdout and says on stderr where
   * the secret went; {@code kind} names the key ("signing", "cosigner").
   */
  static void writeNewKey(Path file, String skey, String verifierKey, String kind)
      throws IOException {
    writeSecret(file, skey);
    System.out.println(verifierKey);
    System.err.println(
        "wrote the "
            + kind
            + " key to "
            + file
            + " (keep it secret); the line above is its verifier key");
  }

  /** The checkpoint note stored in a state file, if any. */
  static Optional<String> readState(Path file) throws IOException {
    return Files.exists(file)
        ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
        : Optional.empty();
  }

  /** Replaces the state file atomically, so a crash leaves the old or the new checkpoint. */
  static void writeState(Path file, String note) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve(file.getFileName() + ".tmp");
    Files.writeString(tmp, note, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
