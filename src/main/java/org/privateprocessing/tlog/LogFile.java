package org.privateprocessing.tlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The durable, append-only store of a log's entries (opaque bytes), in {@code <dir>/entries.log},
 * plus the latest signed checkpoint in {@code <dir>/checkpoint}.
 *
 * <p>Record framing: {@code length (4, big-endian) || CRC32C of those 4 bytes (4) || SHA-256(entry)
 * (32) || entry}. The header checksum tells a flipped length (damage: refuse to start) from a
 * record cut short by a crash (recover), which a bare length cannot.
 *
 * <p>On {@link #open}, every record is checked. Damage to a complete record anywhere is {@link
 * TlogException.Reason#CORRUPT_STORE}: the file is never truncated or rewritten then, an operator
 * restores it. Only an incomplete final record (a crash mid-append, which no checkpoint can cover
 * because checkpoints are signed after {@link #append} returns) is cut off, and {@link
 * #recoveryNote()} says so for the caller to log loudly.
 *
 * <p>{@link #append} returns only after {@code FileChannel.force(true)}. Thread-safe (methods are
 * synchronized); a file lock keeps a second process from opening the same directory.
 */
public final class LogFile implements AutoCloseable {
  /** Largest entry {@link #append} accepts. */
  public static final int MAX_ENTRY = 64 * 1024;

  static final int HEADER = 4 + 4 + 32;
  static final String ENTRIES = "entries.log";
  static final String CHECKPOINT = "checkpoint";

  private final Path dir;
  private final Path file;
  private final FileChannel channel;
  private final FileLock fileLock;
  private final List<byte[]> entries;
  private final String recoveryNote;
  private long end;
  private boolean broken;

  private LogFile(
      Path dir,
      FileChannel channel,
      FileLock fileLock,
      List<byte[]> entries,
      long end,
      String recoveryNote) {
    this.dir = dir;
    this.file = dir.resolve(ENTRIES);
    this.channel = channel;
    this.fileLock = fileLock;
    this.entries = entries;
    this.end = end;
    this.recoveryNote = recoveryNote;
  }

  /**
   * Opens (creating if missing) the log in {@code dir} and checks every record.
   *
   * @throws TlogException CORRUPT_STORE if a complete record is damaged (message names file, record
   *     index and byte offset)
   * @throws IOException if the file cannot be read or is locked by another process
   */
  public static LogFile open(Path dir) throws IOException, TlogException {
    Files.createDirectories(dir);
    Path file = dir.resolve(ENTRIES);
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock = null;
    try {
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IOException(file + " is already open in another log");
      }
      List<byte[]> entries = new ArrayList<>();
      long size = ch.size();
      long pos = 0;
      String note = null;
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      MessageDigest sha = Rfc9162.sha256();
      while (pos < size) {
        long remaining = size - pos;
        if (remaining < 8) {
          note = truncateTail(ch, file, pos, remaining, "a partial record header");
          break;
        }
        header.clear();
        header.limit((int) Math.min(HEADER, remaining));
        readFully(ch, header, pos);
        int len = header.getInt(0);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, 4);
        if ((int) crc.getValue() != header.getInt(4)) {
          if (isZeroTail(ch, pos, size)) {
            // A crash after the file grew but before the data reached the disk reads as zeros.
            note = truncateTail(ch, file, pos, remaining, "a zero-filled final record");
            break;
          }
          throw corrupt(file, entries.size(), pos, "record header checksum does not match");
        }
        if (len < 0 || len > MAX_ENTRY) {
          throw corrupt(file, entries.size(), pos, "record length " + len + " is impossible");
        }
        if (remaining < HEADER + (long) len) {
          note = truncateTail(ch, file, pos, remaining, "an incomplete final record");
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(len);
        readFully(ch, body, pos + HEADER);
        byte[] entry = body.array();
        byte[] want = new byte[32];
        header.get(8, want);
        if (!MessageDigest.isEqual(sha.digest(entry), want)) {
          throw corrupt(file, entries.size(), pos, "entry checksum does not match");
        }
        entries.add(entry);
        pos += HEADER + len;
      }
      ch.position(pos);
      return new LogFile(dir, ch, lock, entries, pos, note);
    } catch (IOException | TlogException | RuntimeException e) {
      if (lock != null) {
        lock.release();
      }
      ch.close();
      throw e;
    }
  }

  private static String truncateTail(FileChannel ch, Path file, long pos, long bytes, String what)
      throws IOException {
    ch.truncate(pos);
    ch.force(true);
    return "dropped "
        + bytes
        + " bytes of "
        + what
        + " at offset "
        + pos
        + " of "
        + file
        + " (a crash during append)";
  }

  private static boolean isZeroTail(FileChannel ch, long pos, long size) throws IOException {
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

  private static TlogException corrupt(Path file, int index, long offset, String what) {
    return new TlogException(
        TlogException.Reason.CORRUPT_STORE,
        file
            + ": record "
            + index
            + " at byte offset "
            + offset
            + ": "
            + what
            + "; refusing to start; restore the file from a backup or a mirror");
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
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
   * Appends one entry durably and returns its index: the record is written and forced to disk
   * before this returns, so a checkpoint signed afterwards never covers a lost entry.
   *
   * @throws IllegalArgumentException if the entry is larger than {@link #MAX_ENTRY}
   * @throws IOException if writing or forcing fails; the partial record is cut off again, and if
   *     even that fails the log refuses further appends until it is reopened
   */
  public synchronized long append(byte[] entry) throws IOException {
    if (entry.length > MAX_ENTRY) {
      throw new IllegalArgumentException(
          "entry is " + entry.length + " bytes, at most " + MAX_ENTRY);
    }
    if (broken) {
      throw new IOException(file + " is unusable after a failed append; reopen it");
    }
    byte[] copy = entry.clone();
    ByteBuffer rec = ByteBuffer.allocate(HEADER + copy.length);
    rec.putInt(copy.length);
    CRC32C crc = new CRC32C();
    crc.update(rec.array(), 0, 4);
    rec.putInt((int) crc.getValue());
    rec.put(Rfc9162.sha256(copy));
    rec.put(copy);
    rec.flip();
    try {
      long p = end;
      while (rec.hasRemaining()) {
        p += channel.write(rec, p);
      }
      channel.force(true);
    } catch (IOException e) {
      try {
        channel.truncate(end);
        channel.force(true);
      } catch (IOException again) {
        broken = true;
        e.addSuppressed(again);
      }
      throw e;
    }
    end += rec.capacity();
    entries.add(copy);
    return entries.size() - 1;
  }

  /** All entries, in order (copies). */
  public synchronized List<byte[]> entries() {
    List<byte[]> out = new ArrayList<>(entries.size());
    for (byte[] e : entries) {
      out.add(e.clone());
    }
    return Collections.unmodifiableList(out);
  }

  /** The entry at {@code index} (a copy). */
  public synchronized byte[] entry(long index) {
    if (index < 0 || index >= entries.size()) {
      throw new IndexOutOfBoundsException("no entry " + index + " in " + entries.size());
    }
    return entries.get((int) index).clone();
  }

  /** Number of entries. */
  public synchronized long size() {
    return entries.size();
  }

  /** What {@link #open} cut off after a crash mid-append, if anything: log it loudly. */
  public Optional<String> recoveryNote() {
    return Optional.ofNullable(recoveryNote);
  }

  /**
   * Stores the latest signed checkpoint atomically (temp file, fsync, atomic rename, directory
   * fsync), so a crash leaves either the old or the new one.
   *
   * @throws IllegalArgumentException if the text is not a signed note with a checkpoint body
   */
  public synchronized void writeCheckpoint(String signedNote) throws IOException {
    try {
      Checkpoint.parse(SignedNote.parse(signedNote).text());
    } catch (TlogException e) {
      throw new IllegalArgumentException("not a signed checkpoint: " + e.getMessage(), e);
    }
    Path tmp = dir.resolve(CHECKPOINT + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(signedNote.getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(
          tmp,
          dir.resolve(CHECKPOINT),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the log directory does not support atomic rename", e);
    }
    forceDirectory();
  }

  /**
   * The stored signed checkpoint, if any, after checking that it parses and does not claim more
   * entries than the file holds.
   *
   * @throws TlogException CORRUPT_STORE if it does not parse; INCONSISTENT if its size exceeds
   *     {@link #size()} (entries the checkpoint covered are missing)
   */
  public synchronized Optional<String> readCheckpoint() throws IOException, TlogException {
    Path cp = dir.resolve(CHECKPOINT);
    if (!Files.exists(cp)) {
      return Optional.empty();
    }
    String note = Files.readString(cp, StandardCharsets.UTF_8);
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.parse(SignedNote.parse(note).text());
    } catch (TlogException e) {
      throw new TlogException(
          TlogException.Reason.CORRUPT_STORE,
          cp
              + " is not a signed checkpoint ("
              + e.getMessage()
              + "); refusing to start; restore the file from a backup or a mirror");
    }
    if (checkpoint.size() > entries.size()) {
      throw new TlogException(
          TlogException.Reason.INCONSISTENT,
          cp
              + " covers "
              + checkpoint.size()
              + " entries but "
              + file
              + " holds "
              + entries.size()
              + "; refusing to start; restore the file from a backup or a mirror");
    }
    return Optional.of(note);
  }

  // The rename is durable only once the directory entry is; Linux allows fsync on a directory.
  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory as a channel; the rename still happened.
    }
  }

  /** The directory this log lives in. */
  public Path directory() {
    return dir;
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      if (fileLock.isValid()) {
        fileLock.release();
      }
    } finally {
      channel.close();
    }
  }
}
