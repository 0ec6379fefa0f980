package org.privateprocessing.node;

import java.util.Locale;

/** Which parts of the system a JVM runs (DESIGN.md section 4). */
public enum Role {
  ALL,
  RELAY,
  GATEWAY,
  ENCLAVE,
  ISSUER,
  LOG;

  public static Role parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown role '" + name + "' (known: all, relay, gateway, enclave, issuer, log)");
    }
  }

  boolean runs(Role part) {
    return this == ALL || this == part;
  }
}
