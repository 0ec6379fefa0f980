package org.privateprocessing.core;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.zip.CRC32C;
import org.privateprocessing.tlog.DurableFiles;

/**
 * A durable, append-only file of fixed-size records {@code (key, expiry, value)}, the local store
 * behind {@link FileSpentTokens} and the issuer's issuance windows. Its owner keeps the live state
 * in memory; the file is how that state survives a crash. Reading it back, a later record for a key
 * replaces an earlier one, and a record whose expiry has passed is skipped.
 *
 * <p><b>Durable before acknowledged.</b> {@link #append} completes only after the record has been
 * written and {@code FileChannel.force} returned. One writer thread does all writing (group
 * commit): appends that arrive while a force is under way go out together in the next write and
 * share one force, so concurrent callers pay for one fsync between them, not one each.
 *
 * <p><b>Format.</b> An 8-byte magic naming what the file holds, then records of {@value #RECORD}
 * bytes: {@code key (32) || expiry, epoch ms (8, big-endian) || value (8) || CRC32C of the 48 bytes
 * before (4)}. A crash can leave only the end of the file unfinished: a partial record, or records
 * that read as zeros (the file grew before its data reached the disk). Both are cut off at open,
 * and {@link #recoveryNote()} says so. Any other record whose checksum fails is damage, never a
 * crash: the file refuses to open, naming the file and the byte offset, and is left untouched.
 *
 * <p><b>Bounded.</b> When the file holds more than twice the records its owner still needs (and at
 * least {@link #COMPACT_MIN_BYTES}), the writer thread rewrites it from the owner's live state into
 * a temporary file, forces it, and moves it over the old one atomically; expired entries go away.
 *
 * <p>A lock on {@code <file>.lock} keeps a second process from opening the same file.
 */
public final class RecordFile implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RecordFile.class.getName());

  /** Bytes of the key of a record (a SHA-256). */
  public static final int KEY = 32;

  /** Bytes of one record on disk. */
  public static final int RECORD = KEY + 8 + 8 + 4;

  /** Bytes of the magic at the start of the file. */
  public static final int MAGIC_BYTES = 8;

  /** Most records one group commit writes. */
  static final int MAX_BATCH = 4_096;

  /** How often the writer counts the live entries anew, so that expired ones can be compacted. */
  static final long RECOUNT_MS = 10 * 60_000;

  /** A file smaller than this is never compacted. */
  static final long COMPACT_MIN_BYTES = 1L << 20;

  /**
   * One record.
   *
   * @param key 32 bytes, a hash naming the entry (never the secret it stands for)
   * @param expiresAtMillis when the entry may be forgotten (epoch milliseconds)
   * @param value what the owner keeps for the key (a count, or 0)
   */
  public record Entry(byte[] key, long expiresAtMillis, long value) {
    public Entry {
      if (key.length != KEY) {
        throw new IllegalArgumentException("a record key is " + KEY + " bytes");
      }
    }
  }

  private record Pending(Entry entry, Promise<Void> promise, Context context) {}

  private final Path file;
  private final String magic;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final String recoveryNote;
  private volatile Supplier<List<Entry>> liveState;
  private FileChannel channel;
  private long end;
  private volatile boolean closed;
  private volatile String broken;
  private volatile int lastLiveCount;
  private volatile long lastCountMillis;
  private final java.util.concurrent.atomic.AtomicLong forces =
      new java.util.concurrent.atomic.AtomicLong();

  private RecordFile(
      Path file,
      String magic,
      Clock clock,
      FileChannel lockChannel,
      FileLock lock,
      FileChannel channel,
      long end,
      String recoveryNote) {
    this.file = file;
    this.magic = magic;
    this.clock = clock;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.channel = channel;
    this.end = end;
    this.recoveryNote = recoveryNote;
    this.writer = new Thread(this::writeLoop, "record-file-" + file.getFileName());
    this.writer.setDaemon(true);
  }

  /**
   * Opens (creating if missing) {@code file}, hands every live record to {@code loaded} in file
   * order (a later record for a key replaces an earlier one), cuts off what a crash left
   * unfinished, and starts the writer thread. Blocking: call it off the event loop.
   *
   * @param magic 8 ASCII characters naming what the file holds; a file with another magic is
   *     refused
   * @throws IOException when the file cannot be read or written, is locked by another process, is
   *     not a file of this kind, or holds a damaged record (the message names the file, the offset
   *     and the fix); the file is then left as it was
   */
  public static RecordFile open(Path file, String magic, Clock clock, Consumer<Entry> loaded)
      throws IOException {
    byte[] magicBytes = magic.getBytes(StandardCharsets.US_ASCII);
    if (magicBytes.length != MAGIC_BYTES) {
      throw new IllegalArgumentException("magic must be " + MAGIC_BYTES + " ASCII characters");
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    FileChannel lockChannel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException(
          file
              + " is in use by another process (or another store in this one); give each node its"
              + " own dataDir, or share state between nodes with stateStore.type redis");
    }
    FileChannel ch = null;
    try {
      Files.deleteIfExists(compactionFile(file)); // left by a crash during compaction
      ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      long size = ch.size();
      String note = null;
      if (size < MAGIC_BYTES) {
        if (size > 0
            && !DurableFiles.isZeroFrom(ch, 0, size)
            && !isMagicPrefix(ch, size, magicBytes)) {
          throw new IOException(
              file + " is not a " + magic + " file (its first bytes are wrong); move it away");
        }
        if (size > 0) {
          note =
              "dropped a partial header of "
                  + size
                  + " bytes of "
                  + file
                  + " (a crash at creation)";
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(magicBytes), 0);
        ch.force(true);
        DurableFiles.forceDirectory(dir);
        size = MAGIC_BYTES;
      } else {
        ByteBuffer head = ByteBuffer.allocate(MAGIC_BYTES);
        DurableFiles.readFully(ch, head, 0);
        if (!Arrays.equals(head.array(), magicBytes)) {
          throw new IOException(
              file
                  + " is not a "
                  + magic
                  + " file (it starts with other bytes); point dataDir elsewhere or move it away");
        }
      }
      long now = clock.millis();
      long pos = MAGIC_BYTES;
      ByteBuffer buf = ByteBuffer.allocate(RECORD * 1024);
      long cut = -1;
      scan:
      while (pos < size) {
        buf.clear();
        long chunk = Math.min(buf.capacity(), ((size - pos) / RECORD) * RECORD);
        if (chunk == 0) {
          cut = pos; // a partial final record
          break;
        }
        buf.limit((int) chunk);
        DurableFiles.readFully(ch, buf, pos);
        for (int off = 0; off < chunk; off += RECORD) {
          if (!crcMatches(buf.array(), off)) {
            if (DurableFiles.isZeroFrom(ch, pos + off, size)) {
              cut = pos + off; // zero-filled tail: the file grew, its data never reached the disk
              break scan;
            }
            throw new IOException(
                file
                    + ": damaged record at byte offset "
                    + (pos + off)
                    + " (checksum does not match); refusing to start. Restore the file from a"
                    + " backup, or move it away to start with no record of spent tokens and"
                    + " issuance (tokens spent before could then be spent again until their key"
                    + " retires)");
          }
          ByteBuffer r = ByteBuffer.wrap(buf.array(), off, RECORD);
          byte[] key = new byte[KEY];
          r.get(key);
          long expires = r.getLong();
          long value = r.getLong();
          if (expires > now) {
            loaded.accept(new Entry(key, expires, value));
          }
        }
        pos += chunk;
      }
      if (cut >= 0) {
        note =
            "dropped "
                + (size - cut)
                + " bytes at offset "
                + cut
                + " of "
                + file
                + ": a record cut short by a crash, never acknowledged";
        ch.truncate(cut);
        ch.force(true);
        size = cut;
      }
      RecordFile rf = new RecordFile(file, magic, clock, lockChannel, lock, ch, size, note);
      rf.writer.start();
      return rf;
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  /** The file this store writes. */
  public Path file() {
    return file;
  }

  /** What {@link #open} cut off, if anything, for the caller to log; null when nothing. */
  public String recoveryNote() {
    return recoveryNote;
  }

  /**
   * Where compaction takes the records still needed: the owner's live state, called on the writer
   * thread. Until set, the file is never compacted.
   */
  public void compactFrom(Supplier<List<Entry>> live) {
    this.liveState = live;
    this.lastCountMillis = clock.millis();
    this.lastLiveCount = live.get().size();
    if (size() >= COMPACT_MIN_BYTES && size() > MAGIC_BYTES + 2L * lastLiveCount * RECORD) {
      compactNow(); // most of what a restart read had expired
    }
  }

  /**
   * Appends one record; the future completes once it is on disk (after the force), on the caller's
   * Vert.x context when it has one. Fails when the write or the force failed (the partial write is
   * cut off again) or the file is closed.
   */
  public Future<Void> append(Entry entry) {
    Context context = Vertx.currentContext();
    Promise<Void> promise = Promise.promise();
    String why = broken;
    if (closed || why != null) {
      return Future.failedFuture(
          new IOException(closed ? file + " is closed" : file + " is unusable: " + why));
    }
    queue.add(new Pending(entry, promise, context));
    if (closed) {
      drainFailed(new IOException(file + " is closed"));
    }
    return promise.future();
  }

  /** Bytes in the file now. */
  public synchronized long size() {
    return end;
  }

  /** Records in the file now (live or not). */
  public long records() {
    return (size() - MAGIC_BYTES) / RECORD;
  }

  /** How many group commits (one write and one force each) the writer has made. */
  public long forces() {
    return forces.get();
  }

  /** Rewrites the file from the live state now (tests; the writer does it when due). */
  public Future<Void> compactNow() {
    Promise<Void> done = Promise.promise();
    queue.add(new Pending(null, done, Vertx.currentContext()));
    return done.future();
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    while (!closed) {
      Pending first;
      try {
        first = queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (first == null) {
        continue;
      }
      batch.clear();
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH - 1);
      List<Pending> writes = new ArrayList<>(batch.size());
      List<Pending> compactions = new ArrayList<>();
      for (Pending p : batch) {
        if (p.promise() != null) {
          (p.entry() == null ? compactions : writes).add(p);
        }
      }
      // Asked-for compactions first (the live state they copy holds this batch's entries too).
      if (!compactions.isEmpty()) {
        IOException failed = compact();
        for (Pending p : compactions) {
          complete(p, failed);
        }
      }
      if (!writes.isEmpty()) {
        IOException failed = write(writes);
        for (Pending p : writes) {
          complete(p, failed);
        }
      }
      if (compactionDue()) {
        compact();
      }
    }
    drainFailed(new IOException(file + " is closed"));
  }

  private IOException write(List<Pending> writes) {
    if (broken != null) {
      return new IOException(file + " is unusable: " + broken);
    }
    ByteBuffer buf = ByteBuffer.allocate(writes.size() * RECORD);
    for (Pending p : writes) {
      put(buf, p.entry());
    }
    buf.flip();
    long at;
    synchronized (this) {
      at = end;
    }
    try {
      while (buf.hasRemaining()) {
        channel.write(buf, at + buf.position());
      }
      channel.force(false);
      forces.incrementAndGet();
      synchronized (this) {
        end = at + writes.size() * (long) RECORD;
      }
      return null;
    } catch (IOException e) {
      try {
        channel.truncate(at);
        channel.force(true);
      } catch (IOException again) {
        broken = "a failed write could not be cut off (" + again.getMessage() + "); restart";
      }
      LOG.severe("writing " + file + " failed: " + e.getMessage());
      return e;
    }
  }

  private boolean compactionDue() {
    if (liveState == null) {
      return false;
    }
    long size;
    synchronized (this) {
      size = end;
    }
    if (size < COMPACT_MIN_BYTES) {
      return false;
    }
    // Counting what is live copies the owner's state: do it when the file doubled past the last
    // count, or when entries may have expired since the last count (every RECOUNT_MS).
    long now = clock.millis();
    if (size <= MAGIC_BYTES + 2L * lastLiveCount * RECORD && now - lastCountMillis < RECOUNT_MS) {
      return false;
    }
    lastCountMillis = now;
    lastLiveCount = liveState.get().size();
    return size > MAGIC_BYTES + 2L * lastLiveCount * RECORD;
  }

  /** Rewrites the file from the live state: temporary file, force, atomic move, force the dir. */
  private IOException compact() {
    if (broken != null) {
      return new IOException(file + " is unusable: " + broken);
    }
    if (liveState == null) {
      return new IOException("nothing to compact " + file + " from");
    }
    Path tmp = compactionFile(file);
    List<Entry> live = liveState.get();
    long now = clock.millis();
    try {
      long size = MAGIC_BYTES;
      try (FileChannel out =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.allocate(RECORD * 1024);
        buf.put(magic.getBytes(StandardCharsets.US_ASCII));
        for (Entry e : live) {
          if (e.expiresAtMillis() <= now) {
            continue;
          }
          if (buf.remaining() < RECORD) {
            buf.flip();
            while (buf.hasRemaining()) {
              out.write(buf);
            }
            buf.clear();
          }
          put(buf, e);
          size += RECORD;
        }
        buf.flip();
        while (buf.hasRemaining()) {
          out.write(buf);
        }
        out.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
      }
      DurableFiles.forceDirectory(file.toAbsolutePath().getParent());
      FileChannel old = channel;
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      old.close();
      synchronized (this) {
        end = size;
      }
      lastLiveCount = (int) ((size - MAGIC_BYTES) / RECORD);
      lastCountMillis = clock.millis();
      return null;
    } catch (IOException e) {
      LOG.warning("compacting " + file + " failed (it keeps growing): " + e.getMessage());
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // left for the next open to delete
      }
      return e;
    }
  }

  private static void complete(Pending p, IOException failed) {
    Runnable done = failed == null ? () -> p.promise().complete() : () -> p.promise().fail(failed);
    if (p.context() != null) {
      p.context().runOnContext(v -> done.run());
    } else {
      done.run();
    }
  }

  private void drainFailed(IOException why) {
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    for (Pending p : left) {
      if (p.promise() != null) {
        complete(p, why);
      }
    }
  }

  private static void put(ByteBuffer buf, Entry e) {
    int start = buf.position();
    buf.put(e.key()).putLong(e.expiresAtMillis()).putLong(e.value());
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), start, RECORD - 4);
    buf.putInt((int) crc.getValue());
  }

  private static boolean crcMatches(byte[] b, int off) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, RECORD - 4);
    return (int) crc.getValue() == ByteBuffer.wrap(b, off + RECORD - 4, 4).getInt();
  }

  private static boolean isMagicPrefix(FileChannel ch, long size, byte[] magic) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) size);
    DurableFiles.readFully(ch, b, 0);
    return Arrays.equals(b.array(), Arrays.copyOf(magic, (int) size));
  }

  private static Path compactionFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".compact");
  }

  /** Stops the writer (appends still queued fail) and releases the file. */
  @Override
  public void close() throws IOException {
    closed = true;
    queue.add(new Pending(null, null, null)); // wakes the writer without interrupting a write
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drainFailed(new IOException(file + " is closed"));
    synchronized (this) {
      channel.close();
    }
    lock.release();
    lockChannel.close();
  }
}
