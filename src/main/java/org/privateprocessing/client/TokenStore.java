package org.privateprocessing.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.privateprocessing.token.Token;
import org.privateprocessing.token.TokenChallenge;
import org.privateprocessing.token.TokenException;

/**
 * Unspent Privacy Pass tokens kept between runs of a client, in one file of the client state
 * directory ({@value #FILE_NAME}), so that a one-shot command spends the tokens an earlier one
 * fetched ahead instead of throwing them away.
 *
 * <p>Tokens are bearer secrets: the directory is owner-only (0700) and the file too (0600), written
 * whole to a temporary file and moved into place, so a crash leaves the old file or the new one. A
 * run <em>claims</em> every token (the file is emptied) and puts back what it did not spend, both
 * under a lock, so two runs never hold the same token; a crash between the two loses tokens, never
 * spends one twice. A file that cannot be read is set aside ({@value #FILE_NAME}.corrupt),
 * reported, and not used.
 *
 * <pre>{@code
 * {"tokens": [{"challenge": "<base64url TokenChallenge>", "token": "<base64url Token>"}, ...]}
 * }</pre>
 */
public final class TokenStore {
  public static final String FILE_NAME = "token-wallet.json";

  /** At most this many tokens are kept; more are not worth keeping secret on disk. */
  static final int MAX_TOKENS = 1024;

  private static final Object IN_PROCESS = new Object();
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");

  private final Path dir;
  private final Path file;

  private TokenStore(Path dir) {
    this.dir = dir;
    this.file = dir.resolve(FILE_NAME);
  }

  /** The store in the client state directory {@code stateDir} (created when first written). */
  public static TokenStore in(Path stateDir) {
    return new TokenStore(stateDir);
  }

  public Path file() {
    return file;
  }

  /** A token and the challenge it was made for. */
  public record Stored(TokenChallenge challenge, Token token) {}

  /**
   * What a claim took from the file.
   *
   * @param problem why the file was set aside, or null when it was read (or absent)
   */
  public record Claimed(List<Stored> tokens, String problem) {}

  /** Takes every token out of the file (leaving it empty) for this run to spend. */
  public Claimed claimAll() throws IOException {
    if (!Files.exists(file)) {
      return new Claimed(List.of(), null);
    }
    synchronized (IN_PROCESS) {
      try (Held held = lock()) {
        List<Stored> tokens;
        try {
          tokens = read();
        } catch (IOException | RuntimeException e) {
          Path aside = file.resolveSibling(FILE_NAME + ".corrupt");
          Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
          return new Claimed(
              List.of(),
              "the token wallet "
                  + file
                  + " could not be read ("
                  + e.getMessage()
                  + "); it was moved to "
                  + aside
                  + " and not used, and fresh tokens are fetched");
        }
        if (!tokens.isEmpty()) {
          write(List.of());
        }
        return new Claimed(tokens, null);
      }
    }
  }

  /** Adds {@code tokens} (unspent, never sent) to those in the file. */
  public void putBack(List<Stored> tokens) throws IOException {
    if (tokens.isEmpty()) {
      return;
    }
    synchronized (IN_PROCESS) {
      ownerOnlyDirectory();
      try (Held held = lock()) {
        List<Stored> all = new ArrayList<>();
        if (Files.exists(file)) {
          try {
            all.addAll(read());
          } catch (IOException | RuntimeException e) {
            // Another run wrote something unreadable since: keep ours, not that.
          }
        }
        all.addAll(tokens);
        write(all.size() > MAX_TOKENS ? all.subList(all.size() - MAX_TOKENS, all.size()) : all);
      }
    }
  }

  /** The lock between runs (other processes); {@link #IN_PROCESS} is the one within this JVM. */
  private record Held(FileChannel channel, FileLock lock) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try {
        lock.release();
      } finally {
        channel.close();
      }
    }
  }

  private Held lock() throws IOException {
    ownerOnlyDirectory();
    FileChannel channel =
        FileChannel.open(
            dir.resolve(FILE_NAME + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      return new Held(channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private List<Stored> read() throws IOException {
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw new IOException("not a JSON object");
    }
    JsonArray array = json.getJsonArray("tokens");
    if (array == null) {
      throw new IOException("no \"tokens\" array");
    }
    Base64.Decoder b64 = Base64.getUrlDecoder();
    List<Stored> tokens = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject entry = array.getJsonObject(i);
      try {
        TokenChallenge challenge = TokenChallenge.parse(b64.decode(entry.getString("challenge")));
        Token token = Token.parse(b64.decode(entry.getString("token")));
        if (!token.isFor(challenge)) {
          throw new IOException("token " + i + " is not for the challenge stored with it");
        }
        tokens.add(new Stored(challenge, token));
      } catch (TokenException | IllegalArgumentException | NullPointerException e) {
        throw new IOException("token " + i + " does not parse: " + e.getMessage());
      }
    }
    return tokens;
  }

  private void write(List<Stored> tokens) throws IOException {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    JsonArray array = new JsonArray();
    for (Stored s : tokens) {
      array.add(
          new JsonObject()
              .put("challenge", b64.encodeToString(s.challenge().encode()))
              .put("token", b64.encodeToString(s.token().encode())));
    }
    byte[] bytes =
        new JsonObject()
            .put(
                "_comment",
                "Privacy Pass tokens fetched and not yet spent: bearer secrets, keep this file private")
            .put("tokens", array)
            .encodePrettily()
            .getBytes(StandardCharsets.UTF_8);
    Path tmp =
        posix()
            ? Files.createTempFile(dir, ".token-wallet", ".tmp", owner(OWNER_FILE))
            : Files.createTempFile(dir, ".token-wallet", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Creates the state directory owner-only, and makes an existing one owner-only. */
  private void ownerOnlyDirectory() throws IOException {
    if (!posix()) {
      Files.createDirectories(dir);
      return;
    }
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, owner(OWNER_DIR));
    }
    Files.setPosixFilePermissions(dir, OWNER_DIR);
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> owner(Set<PosixFilePermission> perms) {
    return PosixFilePermissions.asFileAttribute(perms);
  }
}
