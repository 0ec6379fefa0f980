package org.privateprocessing.tlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>Record framing: {@code word (4, big-endian) || CRC32C of those 4 bytes (4) || SHA-256(payload)
 * (32) || payload}. The word is the payload length; its top bit ({@link #AUTHORIZATION_FLAG}) marks
 * an <em>authorization record</em>, opaque bytes the caller stores with the entry that follows (the
 * log server keeps the publisher's signed request there, so an entry that reaches the file but no
 * checkpoint can be checked again after a crash). An authorization and its entry are written and
 * forced in one step; neither is part of the tree. The header checksum tells a flipped length
 * (damage: refuse to start) from a record cut short by a crash (recover), which a bare length
 * cannot.
 *
 * <p>{@link #openUnchanged} checks every record and never writes: what it cannot read is described
 * by {@link #damage()}, either an incomplete final record (a crash mid-append) or a damaged record
 * ({@link TlogException.Reason#CORRUPT_STORE} material), and appends are refused until {@link
 * #cutDamage} removes it, which is the caller's decision (the log server first checks that no
 * signed checkpoint covers it). {@link #open} is for a caller with no checkpoint to compare
 * against: it creates the file, refuses a damaged record and cuts an incomplete final one, saying
 * so in {@link #recoveryNote()}.
 *
 * <p>{@link #append} returns only after {@code FileChannel.force(true)}. Thread-safe (methods are
 * synchronized); a file lock keeps a second process from opening the same directory.
 */
public final class LogFile implements AutoCloseable {
  /** Largest entry {@link #append} accepts. */
  public static final int MAX_ENTRY = 64 * 1024;

  /**
   * Largest authorization record: room for a request body of {@link #MAX_ENTRY} bytes in base64 and
   * a signature.
   */
  public static final int MAX_AUTHORIZATION = 2 * MAX_ENTRY;

  /** The top bit of a record's length word: the record is the authorization of the next entry. */
  static final int AUTHORIZATION_FLAG = 0x8000_0000;

  static final int HEADER = 4 + 4 + 32;
  static final String ENTRIES = "entries.log";
  static final String CHECKPOINT = "checkpoint";

  /**
   * What {@link #openUnchanged} could not read, from byte {@code offset} to the end of the file.
   *
   * @param record the index the first unreadable entry would have had
   * @param incomplete true for a record cut short or zero-filled at the end of the file (what a
   *     crash during {@link #append} leaves), false for a damaged record (a checksum or length that
   *     does not match: never a crash)
   * @param what the problem, naming the file, the record and the offset
   */
  public record Damage(long record, long offset, long bytes, boolean incomplete, String what) {}

  private final Path dir;
  private final Path file;
  private final FileChannel channel;
  private final FileLock fileLock;
  private final List<byte[]> entries;
  private final List<byte[]> authorizations;
  private final List<Long> offsets;
  private Damage damage;
  private String recoveryNote;
  private long end;
  private boolean broken;

  private LogFile(
      Path dir,
      FileChannel channel,
      FileLock fileLock,
      List<byte[]> entries,
      List<byte[]> authorizations,
      List<Long> offsets,
      long end,
      Damage damage) {
    this.dir = dir;
    this.file = dir.resolve(ENTRIES);
    this.channel = channel;
    this.fileLock = fileLock;
    this.entries = entries;
    this.authorizations = authorizations;
    this.offsets = offsets;
    this.end = end;
    this.damage = damage;
  }

  /**
   * Opens (creating if missing) the log in {@code dir} and checks every record; an incomplete final
   * record is cut off and described by {@link #recoveryNote()}.
   *
   * @throws TlogException CORRUPT_STORE if a complete record is damaged (message names file, record
   *     index and byte offset); the file is left as it is
   * @throws IOException if the file cannot be read or is locked by another process
   */
  public static LogFile open(Path dir) throws IOException, TlogException {
    Files.createDirectories(dir);
    Path file = dir.resolve(ENTRIES);
    if (!Files.exists(file)) {
      try {
        Files.createFile(file);
      } catch (FileAlreadyExistsException e) {
        // Created meanwhile: opening it checks what it holds.
      }
    }
    LogFile log = openUnchanged(dir);
    Damage d = log.damage;
    if (d != null && !d.incomplete()) {
      log.close();
      throw new TlogException(
          TlogException.Reason.CORRUPT_STORE,
          d.what() + "; refusing to start; restore the file from a backup or a mirror");
    }
    if (d != null) {
      log.recoveryNote = log.cutDamage(null);
    }
    return log;
  }

  /**
   * Opens the existing log in {@code dir} and checks every record without writing anything: what
   * cannot be read is left in place and described by {@link #damage()}.
   *
   * @throws java.nio.file.NoSuchFileException if {@code <dir>/entries.log} does not exist
   * @throws LockedException if another log (in this process or another) has the file open
   * @throws IOException if the file cannot be read
   */
  public static LogFile openUnchanged(Path dir) throws IOException {
    Path file = dir.resolve(ENTRIES);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock = null;
    try {
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new LockedException(file);
      }
      List<byte[]> entries = new ArrayList<>();
      List<byte[]> authorizations = new ArrayList<>();
      List<Long> offsets = new ArrayList<>();
      long size = ch.size();
      long pos = 0;
      long unit = 0; // where the current entry's records (authorization, entry) start
      byte[] pending = null;
      Damage damage = null;
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      MessageDigest sha = Rfc9162.sha256();
      while (pos < size) {
        int index = entries.size();
        long remaining = size - pos;
        if (remaining < 8) {
          damage = incomplete(file, index, unit, size, "a partial record header");
          break;
        }
        header.clear();
        header.limit((int) Math.min(HEADER, remaining));
        DurableFiles.readFully(ch, header, pos);
        int word = header.getInt(0);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, 4);
        if ((int) crc.getValue() != header.getInt(4)) {
          if (DurableFiles.isZeroFrom(ch, pos, size)) {
            // A crash after the file grew but before the data reached the disk reads as zeros.
            damage = incomplete(file, index, unit, size, "a zero-filled final record");
          } else {
            damage = corrupt(file, index, unit, size, pos, "record header checksum does not match");
          }
          break;
        }
        boolean isAuthorization = (word & AUTHORIZATION_FLAG) != 0;
        int len = word & ~AUTHORIZATION_FLAG;
        if (len > (isAuthorization ? MAX_AUTHORIZATION : MAX_ENTRY)) {
          damage = corrupt(file, index, unit, size, pos, "record length " + len + " is impossible");
          break;
        }
        if (isAuthorization && pending != null) {
          damage = corrupt(file, index, unit, size, pos, "two authorization records for one entry");
          break;
        }
        if (remaining < HEADER + (long) len) {
          damage = incomplete(file, index, unit, size, "an incomplete final record");
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(len);
        DurableFiles.readFully(ch, body, pos + HEADER);
        byte[] payload = body.array();
        byte[] want = new byte[32];
        header.get(8, want);
        if (!MessageDigest.isEqual(sha.digest(payload), want)) {
          damage =
              corrupt(
                  file,
                  index,
                  unit,
                  size,
                  pos,
                  (isAuthorization ? "authorization" : "entry") + " checksum does not match");
          break;
        }
        pos += HEADER + len;
        if (isAuthorization) {
          pending = payload;
          continue;
        }
        entries.add(payload);
        authorizations.add(pending);
        offsets.add(unit);
        pending = null;
        unit = pos;
      }
      if (damage == null && pending != null) {
        // Both records go out in one write: an authorization alone is a torn append.
        damage = incomplete(file, entries.size(), unit, size, "an authorization without its entry");
      }
      long end = damage == null ? pos : damage.offset();
      return new LogFile(dir, ch, lock, entries, authorizations, offsets, end, damage);
    } catch (IOException | RuntimeException e) {
      if (lock != null) {
        lock.release();
      }
      ch.close();
      throw e;
    }
  }

  private static Damage incomplete(Path file, int index, long offset, long size, String what) {
    return new Damage(
        index,
        offset,
        size - offset,
        true,
        what + " at offset " + offset + " of " + file + " (record " + index + ")");
  }

  private static Damage corrupt(
      Path file, int index, long offset, long size, long at, String what) {
    return new Damage(
        index,
        offset,
        size - offset,
        false,
        file + ": record " + index + " at byte offset " + at + ": " + what);
  }

  /** What {@link #openUnchanged} could not read at the end of the file, if anything. */
  public synchronized Optional<Damage> damage() {
    return Optional.ofNullable(damage);
  }

  /**
   * Removes what {@link #damage()} describes, so appends can continue after the last readable
   * entry. The removed bytes are first written to {@code saveTo} and forced, when it is not null.
   *
   * @return a sentence saying what was removed, for the caller to log loudly
   */
  public synchronized String cutDamage(Path saveTo) throws IOException {
    if (damage == null) {
      throw new IllegalStateException("nothing to cut in " + file);
    }
    Damage d = damage;
    truncate(d.offset(), saveTo);
    damage = null;
    return "dropped "
        + d.bytes()
        + " bytes of "
        + (d.incomplete() ? "" : "a damaged record: ")
        + d.what()
        + (d.incomplete() ? " (a crash during append)" : "");
  }

  /**
   * Removes every entry from index {@code keep} on (and any damage after them), for an operator's
   * recovery of entries that no checkpoint covers. The removed bytes are first written to {@code
   * saveTo} and forced, when it is not null.
   *
   * @return the number of bytes removed
   */
  public synchronized long truncateTo(long keep, Path saveTo) throws IOException {
    if (keep < 0 || keep > entries.size()) {
      throw new IllegalArgumentException("cannot keep " + keep + " of " + entries.size());
    }
    long at = keep == entries.size() ? end : offsets.get((int) keep);
    long size = channel.size();
    truncate(at, saveTo);
    entries.subList((int) keep, entries.size()).clear();
    authorizations.subList((int) keep, authorizations.size()).clear();
    offsets.subList((int) keep, offsets.size()).clear();
    damage = null;
    return size - at;
  }

  private void truncate(long at, Path saveTo) throws IOException {
    if (saveTo != null) {
      try (FileChannel out =
          FileChannel.open(saveTo, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long p = at;
        long size = channel.size();
        while (p < size) {
          p += channel.transferTo(p, size - p, out);
        }
        out.force(true);
      }
      forceDirectory();
    }
    channel.truncate(at);
    channel.force(true);
    end = at;
  }

  /**
   * Appends one entry durably and returns its index: the record is written and forced to disk
   * before this returns, so a checkpoint signed afterwards never covers a lost entry.
   *
   * @throws IllegalArgumentException if the entry is larger than {@link #MAX_ENTRY}
   * @throws IllegalStateException if {@link #damage()} has not been cut
   * @throws IOException if writing or forcing fails; the partial record is cut off again, and if
   *     even that fails the log refuses further appends until it is reopened
   */
  public long append(byte[] entry) throws IOException {
    return append(entry, null);
  }

  /**
   * As {@link #append(byte[])}, with {@code authorization} (null for none) stored in a record just
   * before the entry and forced with it, returned by {@link #authorization(long)}.
   *
   * @throws IllegalArgumentException if the authorization is empty or larger than {@link
   *     #MAX_AUTHORIZATION}
   */
  public synchronized long append(byte[] entry, byte[] authorization) throws IOException {
    if (entry.length > MAX_ENTRY) {
      throw new IllegalArgumentException(
          "entry is " + entry.length + " bytes, at most " + MAX_ENTRY);
    }
    if (authorization != null
        && (authorization.length == 0 || authorization.length > MAX_AUTHORIZATION)) {
      throw new IllegalArgumentException(
          "authorization is " + authorization.length + " bytes, needs 1 to " + MAX_AUTHORIZATION);
    }
    if (damage != null) {
      throw new IllegalStateException(damage.what() + ": cut it before appending");
    }
    if (broken) {
      throw new IOException(file + " is unusable after a failed append; reopen it");
    }
    byte[] copy = entry.clone();
    byte[] auth = authorization == null ? null : authorization.clone();
    ByteBuffer rec =
        ByteBuffer.allocate(HEADER + copy.length + (auth == null ? 0 : HEADER + auth.length));
    if (auth != null) {
      frame(rec, AUTHORIZATION_FLAG | auth.length, auth);
    }
    frame(rec, copy.length, copy);
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
    offsets.add(end);
    end += rec.capacity();
    entries.add(copy);
    authorizations.add(auth);
    return entries.size() - 1;
  }

  private static void frame(ByteBuffer rec, int word, byte[] payload) {
    int start = rec.position();
    rec.putInt(word);
    CRC32C crc = new CRC32C();
    crc.update(rec.array(), start, 4);
    rec.putInt((int) crc.getValue());
    rec.put(Rfc9162.sha256(payload));
    rec.put(payload);
  }

  /** The authorization stored with entry {@code index} (a copy), empty when it has none. */
  public synchronized Optional<byte[]> authorization(long index) {
    if (index < 0 || index >= entries.size()) {
      throw new IndexOutOfBoundsException("no entry " + index + " in " + entries.size());
    }
    byte[] a = authorizations.get((int) index);
    return a == null ? Optional.empty() : Optional.of(a.clone());
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
  public synchronized Optional<String> recoveryNote() {
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
    DurableFiles.replace(dir.resolve(CHECKPOINT), signedNote.getBytes(StandardCharsets.UTF_8));
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

  private void forceDirectory() {
    DurableFiles.forceDirectory(dir);
  }

  /** Where the log in {@code dir} keeps its entries. */
  public static Path entriesPath(Path dir) {
    return dir.resolve(ENTRIES);
  }

  /** Where the log in {@code dir} keeps its latest signed checkpoint. */
  public static Path checkpointPath(Path dir) {
    return dir.resolve(CHECKPOINT);
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

  /** The log file is open in another log, most likely another process serving the same data. */
  public static final class LockedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    LockedException(Path file) {
      super(file + " is already open in another log");
      this.file = file;
    }

    /** The locked file. */
    public Path file() {
      return file;
    }
  }
}
