package org.privateprocessing.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.privateprocessing.ohttp.KeyConfig;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.TlogException;

/**
 * Appends what a role creates (issuer keys, gateway key configs, the demo enclave's release) to
 * the transparency log at start. A failure fails the role's start: a key clients cannot find in
 * the log would only be refused later, far from the cause.
 *
 * <p>Config: top-level {@code "transparency": {"logUrl": ..., "publisherKeyFile": ...}}. When this
 * JVM runs the log itself (role all), both default to the in-process log and, in the demo
 * profile, its generated publisher key.
 */
public final class LogPublisher {
  private static final Logger LOG = Logger.getLogger(LogPublisher.class.getName());
  private static final Set<String> KEYS = Set.of("logUrl", "publisherKeyFile", "_comment");

  private final LogClient client;
  private final PublisherKeys.Signer key;

  public LogPublisher(LogClient client, PublisherKeys.Signer key) {
    this.client = client;
    this.key = key;
  }

  /**
   * The publisher a role uses, or null when nothing is configured and no log runs in this JVM.
   *
   * @param localLogUrl the in-process log's URL, null when this JVM runs none
   * @param localKey the in-process log's demo publisher key, null outside the demo profile
   * @throws IllegalArgumentException naming the bad or missing setting
   */
  static LogPublisher fromConfig(Vertx vertx, JsonObject conf, String localLogUrl, PublisherKeys.Signer localKey) {
    JsonObject t = conf.getJsonObject("transparency");
    if (t == null && localLogUrl == null) {
      return null;
    }
    JsonObject j = t == null ? new JsonObject() : t;
    for (String k : j.fieldNames()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("transparency." + k + ": unknown key (known: logUrl, publisherKeyFile)");
      }
    }
    String url = j.getString("logUrl", localLogUrl);
    if (url == null) {
      throw new IllegalArgumentException("transparency.logUrl: required when this JVM runs no log");
    }
    PublisherKeys.Signer signer;
    String file = j.getString("publisherKeyFile");
    if (file != null) {
      try {
        signer = PublisherKeys.Signer.parse(Files.readString(Path.of(file)));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("transparency.publisherKeyFile: cannot read " + file);
      } catch (TlogException e) {
        throw new IllegalArgumentException("transparency.publisherKeyFile " + file + ": " + e.getMessage());
      }
    } else if (localKey != null) {
      signer = localKey;
    } else {
      throw new IllegalArgumentException("transparency.publisherKeyFile: required outside the demo profile");
    }
    return new LogPublisher(LogClient.create(vertx, url), signer);
  }

  /** Appends the entries in order; fails with a message naming what could not be published. */
  /** The log this publisher writes to, for reading proofs back. */
  public LogClient client() {
    return client;
  }

  public Future<Void> publish(String what, List<? extends LogEntry> entries) {
    int[] added = new int[1];
    Future<Void> chain = Future.succeededFuture();
    for (LogEntry e : entries) {
      chain = chain.compose(v -> client.append(e, key)).map(a -> {
        added[0] += a.created() ? 1 : 0;
        return null;
      });
    }
    return chain
        .onSuccess(v -> {
          // Republishing what is already logged is a no-op; say something only when the log grew.
          if (added[0] > 0) {
            LOG.info("published " + added[0] + " " + what + " entr" + (added[0] == 1 ? "y" : "ies")
                + " to the transparency log at " + client.baseUrl());
          }
        })
        .recover(t -> Future.failedFuture(new IllegalStateException("could not publish the " + what
            + " to the transparency log at " + client.baseUrl() + " (" + t.getMessage() + "); the role does not "
            + "start with keys clients cannot find in the log")));
  }

  /** The issuer's current and next key of every type. */
  static List<LogEntry> issuerEntries(String issuer, IssuerKeys keys, Instant now) {
    List<LogEntry> out = new ArrayList<>();
    for (int type : keys.tokenTypes()) {
      for (IssuerKeys.Entry e : keys.published(type, now)) {
        // Whole seconds, as the issuer directory states not-before.
        out.add(new LogEntry.IssuerKey(issuer, type, e.key().tokenKey(), e.notBefore().truncatedTo(ChronoUnit.SECONDS)));
      }
    }
    return out;
  }

  /** The gateway's key configs. Created at start, so {@code createdAt} is the start time. */
  static List<LogEntry> gatewayEntries(String origin, List<KeyConfig> configs, Instant createdAt) {
    List<LogEntry> out = new ArrayList<>();
    for (KeyConfig c : configs) {
      out.add(new LogEntry.GatewayKeyConfig(origin, c.encode(), createdAt.truncatedTo(ChronoUnit.SECONDS)));
    }
    return out;
  }

  /**
   * The demo enclave's own release: its measurement, the jar's version ("dev" without a manifest)
   * and the code's modification time as build time (stable across restarts of one build, so the
   * entry is appended once). Blocking (reads the file time).
   */
  static LogEntry.EnclaveRelease demoRelease(String measurementHex) {
    String version = Node.class.getPackage().getImplementationVersion();
    Instant built;
    try {
      built = Files.getLastModifiedTime(EnclaveAttestation.codeLocation()).toInstant()
          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    } catch (java.io.IOException e) {
      built = Instant.EPOCH;
    }
    return new LogEntry.EnclaveRelease(measurementHex, version == null ? "dev" : version, "unknown", built);
  }
}
