package org.privateprocessing.tlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.function.Supplier;

/**
 * Files that hold a secret key string (a note signer's, a cosigner's or a publisher's {@code
 * PRIVATE+KEY+...}): created once, readable and writable by their owner only, never overwritten.
 * The one writer of such files, for the log server and the command line alike.
 */
public final class KeyFiles {
  private KeyFiles() {}

  /**
   * Creates {@code file} (and its parent directories) holding {@code key} and a newline. On a POSIX
   * file system the file is created with mode {@code rw-------}, so the key is never readable by
   * others, not even between creating and writing it; elsewhere it gets the default permissions. If
   * writing fails, the file is removed rather than left half-written.
   *
   * @throws FileAlreadyExistsException if the file exists: a key is never overwritten
   */
  public static void createSecret(Path file, String key) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    FileAttribute<?>[] ownerOnly =
        file.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    ByteBuffer bytes = ByteBuffer.wrap((key + "\n").getBytes(StandardCharsets.UTF_8));
    SeekableByteChannel out =
        Files.newByteChannel(
            file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly);
    try (out) {
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /**
   * The key in {@code file} (trimmed), or, when there is none, {@code fresh}'s key written there as
   * {@link #createSecret} does. If another process creates the file first, its key is read instead.
   */
  public static String readOrCreateSecret(Path file, Supplier<String> fresh) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    String key = fresh.get();
    try {
      createSecret(file, key);
    } catch (FileAlreadyExistsException e) {
      return Files.readString(file).trim();
    }
    return key;
  }
}
