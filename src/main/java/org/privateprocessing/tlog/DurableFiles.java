package org.privateprocessing.tlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Small files replaced whole and durably: a checkpoint the log signed must be on disk before anyone
 * sees it, and a crash must leave either the old or the new content, never a mix.
 */
public final class DurableFiles {
  private DurableFiles() {}

  /**
   * Replaces {@code target} with {@code content}: a temporary file beside it, forced, renamed
   * atomically over the target, then the directory forced so the rename survives a crash.
   *
   * @throws IOException if writing fails or the file system cannot rename atomically
   */
  public static void replace(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(dir + " does not support atomic rename", e);
    }
    forceDirectory(dir);
  }

  /**
   * Overwrites {@code target} in place with {@code content} and forces it: one sync instead of the
   * three of {@link #replace}, for a small file rewritten after every append. A crash during the
   * write can leave it torn (in practice a write this small lands whole), which a reader must treat
   * as unreadable, never as valid. A file that does not exist yet is created with {@link #replace}.
   */
  public static void overwrite(Path target, byte[] content) throws IOException {
    if (!Files.exists(target)) {
      replace(target, content);
      return;
    }
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      long p = 0;
      while (buf.hasRemaining()) {
        p += ch.write(buf, p);
      }
      ch.truncate(content.length);
      ch.force(true);
    }
  }

  /**
   * Forces a directory's entries (a rename, a new file) to disk. Linux allows fsync on a directory;
   * where a directory cannot be opened as a channel the rename still happened.
   */
  public static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Not supported on this platform: nothing more can be done.
    }
  }

  /**
   * Reads from {@code pos} until {@code buf} is full: a file channel may return fewer bytes than
   * asked, and a record read short must never be taken for a whole one.
   *
   * @throws IOException at the end of the file before {@code buf} is full, naming the offset
   */
  public static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    long p = pos;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, p);
      if (n < 0) {
        throw new IOException("unexpected end of file at offset " + p);
      }
      p += n;
    }
  }

  /**
   * Whether the bytes from {@code pos} up to {@code size} are all zero: what a crash leaves when
   * the file system extended a file before the data of an append reached it (a torn tail a reader
   * may drop), as opposed to damage inside written records (which it must refuse).
   */
  public static boolean isZeroFrom(FileChannel ch, long pos, long size) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(8192);
    long p = pos;
    while (p < size) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), size - p));
      readFully(ch, buf, p);
      for (int i = 0; i < buf.limit(); i++) {
        if (buf.get(i) != 0) {
          return false;
        }
      }
      p += buf.limit();
    }
    return true;
  }
}
