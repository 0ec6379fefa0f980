package org.privateprocessing.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample chat of {@code conf/examples/chat.json}, also packed into the jar. */
final class SampleChat {
  private SampleChat() {}

  static byte[] load(Path file) throws IOException {
    if (file != null) {
      if (!Files.exists(file)) {
        throw new java.nio.file.NoSuchFileException(file.toString());
      }
      return Files.readAllBytes(file);
    }
    try (InputStream in = SampleChat.class.getResourceAsStream("/examples/chat.json")) {
      if (in == null) {
        throw new IOException("the jar has no sample chat; pass --chat FILE");
      }
      return in.readAllBytes();
    }
  }
}
