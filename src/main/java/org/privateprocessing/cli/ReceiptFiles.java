package org.privateprocessing.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.privateprocessing.client.Receipt;

/**
 * Where {@code summarize|suggest --receipt FILE} keeps an answer's {@link Receipt}: one JSON file,
 * replaced atomically, readable by its owner only (0600). A receipt holds no request or answer
 * content, but it does say that this user used the service, with which enclave and at about which
 * size of the log, so it is kept like the token store: private to the user.
 */
final class ReceiptFiles {
  private ReceiptFiles() {}

  /**
   * Checks before anything is sent (and a token spent) that {@code file} can be written: not a
   * directory, in a directory that exists.
   *
   * @throws ConfigFiles.BadFileException naming {@code --receipt} and the fix (exit code 2)
   */
  static void checkWritable(Path file) {
    if (Files.isDirectory(file)) {
      throw new ConfigFiles.BadFileException(
          "--receipt "
              + file
              + " is a directory; name a file, e.g. "
              + file.resolve("receipt.json"));
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new ConfigFiles.BadFileException(
          "--receipt " + file + ": the directory " + parent + " does not exist; create it first");
    }
    if (!Files.isWritable(parent)) {
      throw new ConfigFiles.BadFileException(
          "--receipt " + file + ": the directory " + parent + " is not writable");
    }
  }

  /** Writes {@code receipt} to {@code file} (owner-only), replacing any older one atomically. */
  static void save(Path file, Receipt receipt) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Path tmp = parent.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not a POSIX file system: its own rules apply
    } catch (FileAlreadyExistsException e) {
      throw new IOException("--receipt: " + tmp + " appeared while writing; try again", e);
    }
    Files.write(tmp, receipt.encode(), StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The line printed under an answer whose receipt was saved. */
  static String savedLine(Path file, Receipt receipt) {
    return "receipt saved to "
        + file
        + (receipt.release() == null
            ? " (no transparency log configured: it names the enclave but proves no release)"
            : " (release at log index "
                + receipt.release().leafIndex()
                + "); check it later with: audit receipt "
                + file);
  }

  /**
   * The answer as a command prints it, with its receipt saved first to {@code file} when {@code
   * --receipt} asked for it (null: not asked), and a line saying where it went.
   */
  static ClientMixin.Printed printed(Path file, byte[] body, String aiLine, Receipt answered) {
    if (file == null) {
      return new ClientMixin.Printed(body, true, aiLine);
    }
    try {
      save(file, answered);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          new IOException(
              "the answer came, but its receipt could not be saved to "
                  + file
                  + ": "
                  + e.getMessage(),
              e));
    }
    return new ClientMixin.Printed(
        body, true, aiLine + System.lineSeparator() + savedLine(file, answered));
  }
}
