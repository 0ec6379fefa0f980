package org.privateprocessing.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * One-line logs on stderr (stdout carries results). Log lines name stages, ports and ids, never
 * request content (DESIGN.md section 7).
 */
final class Logging {
  /** JUL holds loggers weakly: keep the ones we configure, or their levels vanish with them. */
  private static final Logger APP = Logger.getLogger("org.privateprocessing");

  private static final Logger NETTY = Logger.getLogger("io.netty");
  private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");

  private Logging() {}

  static void configure() {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s %3$s: %5$s%6$s%n");
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(new SimpleFormatter());
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    // Hazelcast and Netty are chatty at INFO; their warnings still show.
    NETTY.setLevel(Level.WARNING);
    HAZELCAST.setLevel(Level.WARNING);
  }

  /** Quiets the server roles' INFO lines when a client command runs them in-process (demo). */
  static void quiet() {
    APP.setLevel(Level.WARNING);
  }
}
