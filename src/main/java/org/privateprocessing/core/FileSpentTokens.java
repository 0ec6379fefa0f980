package org.privateprocessing.core;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spent tokens of one node, durable in {@code <dataDir>/spent-tokens.log} ({@link RecordFile}): a
 * token redeemed here is refused after any restart, {@code kill -9} included, for as long as its
 * key is accepted. A redemption completes only once its record is on disk, so the enclave's answer
 * (which waits for it) is never released for a token whose spending a crash could forget.
 *
 * <p>The file holds, per token, {@code SHA-256("private-processing spent token v1" || key id length
 * || key id || nonce)} and the time its key retires: never the token, nor its nonce, nor anything
 * that says who redeemed it or what was asked. Lookups use an in-memory map loaded at open; entries
 * leave the map (and, at the next compaction, the file) when their key retires, and the map is
 * capped like {@link InMemorySpentTokens}.
 */
public final class FileSpentTokens implements SpentTokens, AutoCloseable {
  /** The file's name in the data directory. */
  public static final String FILE_NAME = "spent-tokens.log";

  /** The file's magic. */
  static final String MAGIC = "PPSPENT1";

  private final ConcurrentHashMap<SpentTokenKey, Long> spent = new ConcurrentHashMap<>();
  private final RecordFile file;
  private final int maxEntries;
  private final Clock clock;
  private volatile long nextSweepMillis;

  private FileSpentTokens(RecordFile file, int maxEntries, Clock clock) {
    this.file = file;
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /**
   * Opens (creating) {@code <dir>/spent-tokens.log} and loads the live entries. Blocking.
   *
   * @throws IOException when the file is damaged, of another kind, unreadable or in use by another
   *     process; the message names the file and what to do
   */
  public static FileSpentTokens open(Path dir, int maxEntries, Clock clock) throws IOException {
    ConcurrentHashMap<SpentTokenKey, Long> loaded = new ConcurrentHashMap<>();
    RecordFile file =
        RecordFile.open(
            dir.resolve(FILE_NAME),
            MAGIC,
            clock,
            e -> loaded.put(new SpentTokenKey(e.key()), e.expiresAtMillis()));
    FileSpentTokens tokens = new FileSpentTokens(file, maxEntries, clock);
    tokens.spent.putAll(loaded);
    file.compactFrom(tokens::live);
    return tokens;
  }

  /** What opening cut off after a crash (for the caller to log), or null. */
  public String recoveryNote() {
    return file.recoveryNote();
  }

  @Override
  public Future<Boolean> redeem(byte[] tokenKeyId, byte[] nonce, Instant forgetAfter) {
    sweepIfDue();
    if (spent.size() >= maxEntries) {
      return Future.failedFuture(new IllegalStateException("spent-token store is full"));
    }
    SpentTokenKey key = SpentTokenKey.of(tokenKeyId, nonce);
    long expires = forgetAfter.toEpochMilli();
    if (spent.putIfAbsent(key, expires) != null) {
      // Spent before, or being spent now: either way this one is a replay.
      return Future.succeededFuture(false);
    }
    return file.append(new RecordFile.Entry(key.bytes(), expires, 0))
        .map(v -> Boolean.TRUE)
        .recover(
            t -> {
              // Not on disk: not spent. The caller refuses with 503, the token can be tried again.
              spent.remove(key, expires);
              return Future.failedFuture(t);
            });
  }

  /** Entries currently held, for metrics and tests. */
  public int size() {
    return spent.size();
  }

  /** The file underneath (tests). */
  RecordFile file() {
    return file;
  }

  private List<RecordFile.Entry> live() {
    List<RecordFile.Entry> out = new ArrayList<>(spent.size());
    for (Map.Entry<SpentTokenKey, Long> e : spent.entrySet()) {
      out.add(new RecordFile.Entry(e.getKey().bytes(), e.getValue(), 0));
    }
    return out;
  }

  private void sweepIfDue() {
    long now = clock.millis();
    if (now < nextSweepMillis) {
      return;
    }
    nextSweepMillis = now + 1_000;
    spent.values().removeIf(forgetAfter -> forgetAfter <= now);
  }

  /** The record key of a token: a domain-separated hash of its key id and nonce. */
  static byte[] hash(byte[] tokenKeyId, byte[] nonce) {
    return SpentTokenKey.hash(tokenKeyId, nonce);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
