package org.privateprocessing.cli;

import picocli.CommandLine;

/**
 * A command made of subcommands ({@code private-processing} itself, {@code attest}, {@code audit},
 * {@code cluster-ca}, {@code log}, {@code release}): run without one, it prints its help, which
 * lists them, and exits 0.
 */
abstract class CommandGroup implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
