package org.privateprocessing.logclient;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.TlogException;

/**
 * Appends what a role creates (issuer keys, gateway key configs, the demo enclave's release) to the
 * transparency log at start. A failure fails the role's start: a key clients cannot find in the log
 * would only be refused later, far from the cause.
 *
 * <p>Config: top-level {@code "transparency": {"logUrl": ..., "publisherKeyFile": ...}}. When this
 * JVM runs the log itself (role all), both default to the in-process log and, in the demo profile,
 * its generated publisher key.
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
  public static LogPublisher fromConfig(
      Vertx vertx, JsonObject conf, String localLogUrl, PublisherKeys.Signer localKey) {
    JsonObject t = conf.getJsonObject("transparency");
    if (t == null && localLogUrl == null) {
      return null;
    }
    JsonObject j = t == null ? new JsonObject() : t;
    for (String k : j.fieldNames()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException(
            "transparency." + k + ": unknown key (known: logUrl, publisherKeyFile)");
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
        throw new IllegalArgumentException(
            "transparency.publisherKeyFile " + file + ": " + e.getMessage());
      }
    } else if (localKey != null) {
      signer = localKey;
    } else {
      throw new IllegalArgumentException(
          "transparency.publisherKeyFile: required outside the demo profile");
    }
    return new LogPublisher(LogClient.create(vertx, url), signer);
  }

  /** The log this publisher writes to, for reading proofs back. */
  public LogClient client() {
    return client;
  }

  /** Appends the entries in order; fails with a message naming what could not be published. */
  public Future<Void> publish(String what, List<? extends LogEntry> entries) {
    int[] added = new int[1];
    Future<Void> chain = Future.succeededFuture();
    for (LogEntry e : entries) {
      chain =
          chain
              .compose(v -> client.append(e, key))
              .map(
                  a -> {
                    added[0] += a.created() ? 1 : 0;
                    return null;
                  });
    }
    return chain
        .onSuccess(
            v -> {
              // Republishing what is already logged is a no-op; say something only when the log
              // grew.
              if (added[0] > 0) {
                LOG.info(
                    "published "
                        + added[0]
                        + " "
                        + what
                        + " entr"
                        + (added[0] == 1 ? "y" : "ies")
                        + " to the transparency log at "
                        + client.baseUrl());
              }
            })
        .recover(
            t ->
                Future.failedFuture(
                    new IllegalStateException(
                        "could not publish the "
                            + what
                            + " to the transparency log at "
                            + client.baseUrl()
                            + " ("
                            + t.getMessage()
                            + "); the role does not "
                            + "start with keys clients cannot find in the log")));
  }
}
