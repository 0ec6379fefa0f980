package org.privateprocessing.issuer;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.privateprocessing.core.RecordFile;

/**
 * Issuance windows of one issuer, durable in {@code <dataDir>/issuance-windows.log} ({@link
 * RecordFile}): a restart, {@code kill -9} included, does not hand an account a fresh window. A
 * slot counts once its record is on disk: {@link #tryAcquire} completes after the force, so no
 * token is signed on a count a crash could forget. A record is {@code (SHA-256 of the account id,
 * end of its window, count)}; the latest per account wins, and windows that ended are dropped at
 * compaction.
 */
public final class FileIssuanceWindows implements IssuanceWindows, AutoCloseable {
  /** The file's name in the data directory. */
  public static final String FILE_NAME = "issuance-windows.log";

  static final String MAGIC = "PPWINDW1";

  private static final byte[] DOMAIN =
      "private-processing issuance window v1".getBytes(StandardCharsets.US_ASCII);

  /** An account's window: when it ends (epoch ms) and how many slots are taken. */
  private static final class Window {
    long endMillis;
    long count;

    Window(long endMillis, long count) {
      this.endMillis = endMillis;
      this.count = count;
    }
  }

  private final Map<String, Window> windows = new HashMap<>();
  private final RecordFile file;
  private final int perWindow;
  private final Duration window;
  private final Clock clock;
  private long nextSweepMillis;

  private FileIssuanceWindows(RecordFile file, int perWindow, Duration window, Clock clock) {
    this.file = file;
    this.perWindow = perWindow;
    this.window = window;
    this.clock = clock;
  }

  /**
   * Opens (creating) {@code <dir>/issuance-windows.log}. Blocking.
   *
   * @throws IOException when the file is damaged, of another kind or in use by another process; the
   *     message names the file and what to do
   */
  public static FileIssuanceWindows open(Path dir, int perWindow, Duration window, Clock clock)
      throws IOException {
    Map<String, Window> loaded = new HashMap<>();
    RecordFile file =
        RecordFile.open(
            dir.resolve(FILE_NAME),
            MAGIC,
            clock,
            e ->
                loaded.put(
                    HexFormat.of().formatHex(e.key()), new Window(e.expiresAtMillis(), e.value())));
    FileIssuanceWindows w = new FileIssuanceWindows(file, perWindow, window, clock);
    w.windows.putAll(loaded);
    file.compactFrom(w::live);
    return w;
  }

  /** What opening cut off after a crash (for the caller to log), or null. */
  public String recoveryNote() {
    return file.recoveryNote();
  }

  @Override
  public Future<Long> tryAcquire(String account, Instant now) {
    byte[] key = hash(account);
    String id = HexFormat.of().formatHex(key);
    long nowMillis = now.toEpochMilli();
    RecordFile.Entry record;
    Window w;
    synchronized (this) {
      sweepIfDue(nowMillis);
      w = windows.get(id);
      if (w == null || nowMillis >= w.endMillis) {
        w = new Window(nowMillis + window.toMillis(), 0);
        windows.put(id, w);
      }
      if (w.count >= perWindow) {
        return Future.succeededFuture(Math.max(1, (w.endMillis - nowMillis + 999) / 1000));
      }
      w.count++;
      record = new RecordFile.Entry(key, w.endMillis, w.count);
    }
    Window taken = w;
    return file.append(record)
        .map(v -> 0L)
        .recover(
            t -> {
              // Not on disk: the slot does not count, and nothing is issued on it.
              synchronized (this) {
                if (taken.count > 0) {
                  taken.count--;
                }
              }
              return Future.failedFuture(t);
            });
  }

  @Override
  public Future<Void> release(String account) {
    byte[] key = hash(account);
    RecordFile.Entry record;
    synchronized (this) {
      Window w = windows.get(HexFormat.of().formatHex(key));
      if (w == null || w.count == 0) {
        return Future.succeededFuture();
      }
      w.count--;
      record = new RecordFile.Entry(key, w.endMillis, w.count);
    }
    // If this record is lost in a crash the account has one slot fewer: the safe direction.
    return file.append(record);
  }

  private synchronized List<RecordFile.Entry> live() {
    List<RecordFile.Entry> out = new ArrayList<>(windows.size());
    for (Map.Entry<String, Window> e : windows.entrySet()) {
      out.add(
          new RecordFile.Entry(
              HexFormat.of().parseHex(e.getKey()), e.getValue().endMillis, e.getValue().count));
    }
    return out;
  }

  private void sweepIfDue(long nowMillis) {
    if (nowMillis < nextSweepMillis) {
      return;
    }
    nextSweepMillis = nowMillis + 60_000;
    windows.values().removeIf(w -> w.endMillis <= nowMillis);
  }

  static byte[] hash(String account) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(DOMAIN);
      sha.update(account.getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The file underneath (tests). */
  RecordFile file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
