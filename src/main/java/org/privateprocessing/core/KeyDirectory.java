package org.privateprocessing.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A directory of secret key files, one file per key, each with its validity: the durable home of
 * the gateway's outer OHTTP keys and the issuer's token keys. Replicas of a role share one
 * directory (same host) or an operator copies it to the others (docs/OPERATIONS.md, "Keys"), so
 * they all hold the same keys and the same rotation schedule.
 *
 * <p>A key file is text, one {@code name: value} per line:
 *
 * <pre>
 * format: private-processing-key/1
 * type: ohttp-x25519
 * id: 0
 * created: 2026-12-03T00:10:00Z
 * not-before: 2026-12-03T00:10:00Z
 * not-after: 2026-12-13T00:10:00Z
 * secret: base64[,base64...]
 * public: base64[,base64...]        (optional)
 * </pre>
 *
 * <p>Files are created owner-only ({@code rw-------}) in a directory made {@code rwx------},
 * written to a temporary name, forced to disk, then linked to their final name (never replacing a
 * file that is there: a key is never overwritten, and of two replicas that make the same key at
 * once the second reads the first one's) and the directory is forced too. Reading refuses, naming
 * the file and the fix, a file that is unreadable, truncated or damaged, of another type, or
 * readable by anyone but its owner; reading never changes a file.
 */
public final class KeyDirectory {
  /** First line of every key file. */
  public static final String FORMAT = "private-processing-key/1";

  /** Name ending of key files; other files in the directory are ignored. */
  public static final String SUFFIX = ".key";

  /** The file {@link #exclusive} locks; not a key file (other files are ignored). */
  public static final String LOCK_FILE = ".lock";

  /** Per directory, the lock this JVM takes before the file lock. */
  private static final ConcurrentHashMap<Path, ReentrantLock> HELD = new ConcurrentHashMap<>();

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final Path dir;
  private final Set<String> types;

  /**
   * One key file's content.
   *
   * @param type what kind of key it holds (the directory accepts only its own types)
   * @param id the key's id within its type (an OHTTP key id, a not-before in seconds)
   * @param created when the key was made: the stable timestamp of its transparency-log entry
   * @param notBefore the key is not used before this instant
   * @param notAfter the key is refused from this instant, and its file then removed
   * @param secrets the secret key material (never logged, never in {@link #toString()})
   * @param publics public material stored beside it (certificates), possibly none
   */
  public record KeyFile(
      String type,
      long id,
      Instant created,
      Instant notBefore,
      Instant notAfter,
      List<byte[]> secrets,
      List<byte[]> publics) {
    public KeyFile {
      Objects.requireNonNull(type, "type");
      if (!type.matches("[a-z0-9-]{1,40}")) {
        throw new IllegalArgumentException("key type: lower-case letters, digits and '-'");
      }
      created = created.truncatedTo(ChronoUnit.SECONDS);
      notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
      notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
      if (!notAfter.isAfter(notBefore)) {
        throw new IllegalArgumentException("a key's not-after must follow its not-before");
      }
      if (secrets.isEmpty()) {
        throw new IllegalArgumentException("a key file holds at least one secret");
      }
      secrets = List.copyOf(secrets);
      publics = List.copyOf(publics);
    }

    /**
     * Whether the key may be used at {@code now}: not before its not-before, not from not-after.
     */
    public boolean usableAt(Instant now) {
      return !notBefore.isAfter(now) && now.isBefore(notAfter);
    }

    /** The file's name in its directory: type and id. */
    public String fileName() {
      return type + "-" + id + SUFFIX;
    }

    /** The file's text. */
    public String encode() {
      Base64.Encoder b64 = Base64.getEncoder();
      StringBuilder s = new StringBuilder();
      s.append("format: ").append(FORMAT).append('\n');
      s.append("type: ").append(type).append('\n');
      s.append("id: ").append(id).append('\n');
      s.append("created: ").append(created).append('\n');
      s.append("not-before: ").append(notBefore).append('\n');
      s.append("not-after: ").append(notAfter).append('\n');
      s.append("secret: ")
          .append(String.join(",", secrets.stream().map(b64::encodeToString).toList()))
          .append('\n');
      if (!publics.isEmpty()) {
        s.append("public: ")
            .append(String.join(",", publics.stream().map(b64::encodeToString).toList()))
            .append('\n');
      }
      return s.toString();
    }

    @Override
    public String toString() {
      return "KeyFile["
          + fileName()
          + ", not-before "
          + notBefore
          + ", not-after "
          + notAfter
          + "]";
    }
  }

  /**
   * @param dir the directory (made, owner-only, when a key is first written)
   * @param types the key types that belong in it; a file of another type is refused
   */
  public KeyDirectory(Path dir, Set<String> types) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.types = Set.copyOf(types);
  }

  public Path dir() {
    return dir;
  }

  /**
   * Every key file in the directory (none when it does not exist yet), in file-name order.
   *
   * @throws IllegalStateException naming the file and the fix, when one is unreadable, damaged, of
   *     a type that does not belong here, or readable by others; nothing is changed then
   */
  public List<KeyFile> readAll() {
    if (!Files.isDirectory(dir)) {
      if (Files.exists(dir)) {
        throw new IllegalStateException(
            "key directory "
                + dir
                + " is not a directory; move that file away; nothing was changed");
      }
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : list) {
        if (!p.getFileName().toString().startsWith(".")) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot list key directory "
              + dir
              + " ("
              + e.getClass().getSimpleName()
              + "); make it readable by the user running this role: chmod 700 "
              + dir);
    }
    files.sort(null);
    List<KeyFile> out = new ArrayList<>();
    for (Path p : files) {
      out.add(read(p));
    }
    return out;
  }

  /** Reads and checks one key file (see {@link #readAll} for what is refused). */
  public KeyFile read(Path file) {
    checkOwnerOnly(file);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (AccessDeniedException e) {
      throw new IllegalStateException(
          "cannot read key file "
              + file
              + " (permission denied); give it to the user running this role: chown <user> "
              + file
              + " && chmod 600 "
              + file
              + "; nothing was changed");
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot read key file "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "); restore it from your key backup; nothing was changed");
    }
    KeyFile key = parse(file, text);
    if (!types.contains(key.type())) {
      throw new IllegalStateException(
          "key file "
              + file
              + " holds a '"
              + key.type()
              + "' key, which does not belong in "
              + dir
              + " (it takes "
              + new java.util.TreeSet<>(types)
              + "); move it to the directory of its role; nothing was changed");
    }
    if (!file.getFileName().toString().equals(key.fileName())) {
      throw new IllegalStateException(
          "key file "
              + file
              + " holds key "
              + key.fileName()
              + " under another name; rename it to "
              + key.fileName()
              + "; nothing was changed");
    }
    return key;
  }

  private static KeyFile parse(Path file, String text) {
    Map<String, String> fields = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    if (lines.length == 0 || !lines[0].trim().equals("format: " + FORMAT)) {
      throw damaged(file, "its first line is not 'format: " + FORMAT + "' (not a key file?)");
    }
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(": ");
      if (colon <= 0) {
        throw damaged(file, "line " + (i + 1) + " is not 'name: value'");
      }
      fields.put(line.substring(0, colon), line.substring(colon + 2).trim());
    }
    if (!text.endsWith("\n")) {
      throw damaged(file, "it does not end with a newline (truncated?)");
    }
    try {
      return new KeyFile(
          field(file, fields, "type"),
          Long.parseLong(field(file, fields, "id")),
          Instant.parse(field(file, fields, "created")),
          Instant.parse(field(file, fields, "not-before")),
          Instant.parse(field(file, fields, "not-after")),
          base64List(file, field(file, fields, "secret"), "secret"),
          fields.containsKey("public")
              ? base64List(file, fields.get("public"), "public")
              : List.of());
    } catch (NumberFormatException | DateTimeParseException e) {
      throw damaged(file, "a number or time in it does not parse");
    } catch (IllegalArgumentException e) {
      throw damaged(file, e.getMessage());
    }
  }

  private static String field(Path file, Map<String, String> fields, String name) {
    String v = fields.get(name);
    if (v == null || v.isEmpty()) {
      throw damaged(file, "it has no '" + name + "' line (truncated?)");
    }
    return v;
  }

  private static List<byte[]> base64List(Path file, String value, String name) {
    List<byte[]> out = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      try {
        out.add(Base64.getDecoder().decode(part));
      } catch (IllegalArgumentException e) {
        throw damaged(file, "its '" + name + "' is not base64 (truncated?)");
      }
    }
    return out;
  }

  /** The refusal for a key file whose content cannot be a key. */
  public static IllegalStateException damaged(Path file, String why) {
    return new IllegalStateException(
        "key file "
            + file
            + " is damaged: "
            + why
            + "; restore it from your key backup (or, if the key was never used, move it away "
            + "and a new one is made); nothing was changed");
  }

  private static void checkOwnerOnly(Path file) {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Set<PosixFilePermission> perms;
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalStateException(
            "key file " + file + " is not a regular file; replace it with the key file itself");
      }
      perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the permissions of key file "
              + file
              + "; make it readable by the user running this role: chmod 600 "
              + file);
    }
    Set<PosixFilePermission> others = EnumSet.copyOf(perms);
    others.removeAll(OWNER_ONLY);
    others.remove(PosixFilePermission.OWNER_EXECUTE);
    if (!others.isEmpty()) {
      throw new IllegalStateException(
          "key file "
              + file
              + " is readable or writable by others (mode "
              + PosixFilePermissions.toString(perms)
              + "); a secret key must be owner-only: chmod 600 "
              + file
              + " (and consider the key exposed if others could read it); nothing was changed");
    }
  }

  /**
   * Writes {@code key} under its {@link KeyFile#fileName()} unless a file of that name exists.
   * Durable when it returns: file and directory are forced to disk.
   *
   * @return true when this call wrote it, false when the file was there already (another replica
   *     made the same key first: read that one)
   */
  public boolean create(KeyFile key, SecureRandom random) throws IOException {
    if (!types.contains(key.type())) {
      throw new IllegalArgumentException("type " + key.type() + " does not belong in " + dir);
    }
    boolean posix = makeDirectory();
    Path target = dir.resolve(key.fileName());
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    byte[] nonce = new byte[8];
    random.nextBytes(nonce);
    Path temp = dir.resolve("." + key.fileName() + ".tmp-" + HexFormat.of().formatHex(nonce));
    FileAttribute<?>[] ownerOnly =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    ByteBuffer bytes = ByteBuffer.wrap(key.encode().getBytes(StandardCharsets.UTF_8));
    try {
      try (FileChannel out =
          FileChannel.open(
              temp,
              EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              ownerOnly)) {
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      try {
        // A hard link never replaces a file: of two replicas making the same key, one wins.
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException e) {
        Files.move(temp, target);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    forceDirectory();
    return true;
  }

  /** Removes a retired key's file (its secret is gone for good); absent is fine. */
  public void delete(KeyFile key) throws IOException {
    try {
      Files.delete(dir.resolve(key.fileName()));
    } catch (NoSuchFileException e) {
      return;
    }
    forceDirectory();
  }

  /**
   * Runs {@code work} (reads, then writes of what is missing) while this process holds the
   * directory, so that replicas sharing it take turns: without it, two gateways started at once on
   * an empty directory could each read the other's half-made generation (its X25519 key written,
   * its X-Wing key not yet) and serve different key lists until their next refresh, and two issuers
   * starting a second apart could each make a current key (their file names differ by not-before).
   * The hold is an advisory lock on {@value #LOCK_FILE} (an empty owner-only file that stays),
   * which every replica on this host takes, plus a lock per directory within this JVM (a JVM cannot
   * hold two file locks on one file). Replicas on other hosts do not make keys (docs/OPERATIONS.md,
   * Keys). The lock goes with the process, also on {@code kill -9}.
   */
  public <T> T exclusive(Work<T> work) throws IOException {
    ReentrantLock local =
        HELD.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new ReentrantLock());
    if (local.isHeldByCurrentThread()) {
      return work.run();
    }
    local.lock();
    try {
      boolean posix = makeDirectory();
      FileChannel channel;
      try {
        channel =
            FileChannel.open(
                dir.resolve(LOCK_FILE),
                EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0]);
      } catch (IOException e) {
        throw new IOException(
            "cannot open "
                + dir.resolve(LOCK_FILE)
                + " ("
                + e.getClass().getSimpleName()
                + "): make the key directory writable by the user running this role (chmod 700 "
                + dir
                + "), or set makeKeys to false on a replica that only uses copied keys",
            e);
      }
      try (channel;
          FileLock held = channel.lock()) {
        return work.run();
      }
    } finally {
      local.unlock();
    }
  }

  /** What {@link #exclusive} runs. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws IOException;
  }

  /** Makes the directory owner-only if missing; returns whether the file system is POSIX. */
  private boolean makeDirectory() throws IOException {
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir,
          posix
              ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
              }
              : new FileAttribute<?>[0]);
    }
    return posix;
  }

  private void forceDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
