package org.privateprocessing.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.privateprocessing.client.TrustFiles;

/**
 * Where client commands find which enclaves to trust, and the loud line when that is a demo root.
 */
final class TrustSettings {
  /** Where `serve` in the demo profile writes its fragments (data directory `run`). */
  static final String DEFAULT = "run/trust";

  private TrustSettings() {}

  static TrustFiles.Loaded load(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new IOException(
          "no trust settings at "
              + path
              + ": a client sends nothing to an enclave it cannot verify. "
              + "Start `serve` with the demo profile from this directory (it writes "
              + DEFAULT
              + "), or pass "
              + "--trust FILE listing the measurements you accept (see README, 'Trust settings')");
    }
    TrustFiles.Loaded loaded = TrustFiles.load(path);
    if (loaded.simulatedRoots() > 0) {
      System.err.println(
          "WARNING: trusting "
              + loaded.simulatedRoots()
              + " SIMULATED attestation root(s) from "
              + path
              + " (demo profile only: evidence from them proves no hardware)");
    }
    if (loaded.log() == null) {
      System.err.println(
          "note: no transparency log key in "
              + path
              + ": enclaves are checked against the listed "
              + "measurements only");
    }
    return loaded;
  }
}
