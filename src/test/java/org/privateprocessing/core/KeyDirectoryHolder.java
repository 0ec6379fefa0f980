package org.privateprocessing.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A second process for {@link KeyDirectoryTest}: holds a key directory ({@link
 * KeyDirectory#exclusive}) and says so by writing a marker file, then waits to be killed.
 */
public final class KeyDirectoryHolder {
  private KeyDirectoryHolder() {}

  /** Arguments: the key directory, the marker file to write once it holds it. */
  public static void main(String[] args) throws Exception {
    KeyDirectory dir = new KeyDirectory(Path.of(args[0]), Set.of("ohttp-x25519"));
    Path held = Path.of(args[1]);
    dir.exclusive(
        () -> {
          Files.writeString(held, "held");
          try {
            Thread.sleep(120_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
  }
}
