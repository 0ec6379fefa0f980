package org.privateprocessing.core;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Which deployment a config describes (top-level {@code "profile"}). Only {@link #DEMO} may use
 * what makes no sense in production: simulated attestation and its self-made root, demo accounts
 * written in config. A config without the key is {@link #PRODUCTION}, so forgetting it fails safe.
 */
public enum Profile {
  DEMO,
  PRODUCTION;

  public static Profile of(JsonObject conf) {
    Object v = conf.getValue("profile", "production");
    if (v instanceof String s) {
      switch (s.toLowerCase(Locale.ROOT)) {
        case "demo", "dev" -> {
          return DEMO;
        }
        case "production" -> {
          return PRODUCTION;
        }
        default -> {}
      }
    }
    throw new IllegalArgumentException("profile: '" + v + "' is not demo, dev or production");
  }
}
