package org.privateprocessing.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.privateprocessing.client.TrustFiles;
import org.privateprocessing.node.Node;
import picocli.CommandLine;

/**
 * Runs a command in-process as a shell would, keeping everything it prints: stdout (answers) and
 * stderr (streamed text, notes, errors), whether written through picocli or {@code System}.
 */
final class CliCapture {
  private CliCapture() {}

  /** What a run printed, its exit code and how long it took. */
  record Run(int exit, String out, String err, long ms) {}

  static Run run(String... args) {
    PrintStream systemOut = System.out;
    PrintStream systemErr = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    long start = System.nanoTime();
    int exit;
    try {
      CommandLine cli = Main.commandLine(() -> 80);
      cli.setOut(new PrintWriter(System.out, true));
      cli.setErr(new PrintWriter(System.err, true));
      exit = cli.execute(args);
    } finally {
      System.setOut(systemOut);
      System.setErr(systemErr);
    }
    return new Run(
        exit,
        stdout.toString(StandardCharsets.UTF_8),
        stderr.toString(StandardCharsets.UTF_8),
        (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * {@code summarize} of the example chat through {@code node}, trusting {@code trust}, with {@code
   * options} after it.
   */
  static Run summarize(Node.Running node, Path trust, String... options) {
    String[] args = {
      "summarize",
      "--chat",
      "conf/examples/chat.json",
      "--relay",
      node.relayUrl(),
      "--issuer",
      node.issuerUrl(),
      "--trust",
      trust.toString()
    };
    String[] all = java.util.Arrays.copyOf(args, args.length + options.length);
    System.arraycopy(options, 0, all, args.length, options.length);
    return run(all);
  }

  /** A trust directory under {@code dir} as `serve` writes it in the demo profile. */
  static Path demoTrust(Path dir, Node.Running node) throws IOException {
    Path trust = dir.resolve("run").resolve("trust");
    Files.createDirectories(trust);
    Files.writeString(
        trust.resolve("enclave.json"),
        TrustFiles.simulatedFragment(
                node.attestation().simulatedRoot().orElseThrow(),
                node.attestation().measurementHex())
            .encode());
    return trust;
  }
}
