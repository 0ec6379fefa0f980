package org.privateprocessing.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.privateprocessing.logclient.LogReader;
import org.privateprocessing.tlog.Checkpoint;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.TlogException;

/**
 * The gateway's view of the transparency log, for the {@code transparency} section of {@code GET
 * /v1/enclaves}: the current checkpoint, inclusion proofs of the gateway's key configs, of the
 * issuer's current keys and of each listed enclave's release, and a consistency proof from the
 * checkpoint the client saw last. The gateway vouches for nothing here: every item is checked by
 * the client against the log's signature ({@code client/LogTrust}). Results are cached for a short
 * time so a listing does not cost a round trip to the log.
 */
public final class TransparencyView {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final LogReader log;
  private final Supplier<List<byte[]>> gatewayKeyConfigs;
  private final Supplier<List<byte[]>> issuerTokenKeys;
  private final Clock clock;
  private final long refreshMs;
  private Future<Snapshot> snapshot;
  private Instant snapshotAt = Instant.EPOCH;
  private final Map<String, Future<JsonObject>> releases = new ConcurrentHashMap<>();
  private final Map<String, Future<JsonObject>> consistencies = new ConcurrentHashMap<>();

  private record Snapshot(
      String note, Checkpoint checkpoint, JsonArray gatewayKeys, JsonArray issuerKeys) {}

  public TransparencyView(
      LogReader log,
      Supplier<List<byte[]>> gatewayKeyConfigs,
      Supplier<List<byte[]>> issuerTokenKeys,
      Clock clock,
      long refreshMs) {
    this.log = log;
    this.gatewayKeyConfigs = gatewayKeyConfigs;
    this.issuerTokenKeys = issuerTokenKeys;
    this.clock = clock;
    this.refreshMs = refreshMs;
  }

  /**
   * Adds the proofs to a listing: the {@code transparency} section, and a {@code release} proof to
   * every enclave entry whose measurement is in the log (entries without one go out as they are;
   * clients refuse them).
   *
   * @param since the tree size the client saw last, if it said
   */
  public Future<JsonObject> annotate(JsonObject listing, OptionalLong since) {
    return current()
        .compose(
            s -> {
              JsonArray enclaves = listing.getJsonArray("enclaves", new JsonArray());
              List<Future<JsonObject>> proofs = new ArrayList<>();
              for (int i = 0; i < enclaves.size(); i++) {
                String m = enclaves.getJsonObject(i).getString("measurement");
                proofs.add(m == null ? Future.succeededFuture(null) : release(s, m));
              }
              Future<JsonObject> consistency = consistency(s, since);
              List<Future<?>> pending = new ArrayList<>(proofs);
              pending.add(consistency);
              return Future.join(pending)
                  .transform(
                      done -> {
                        JsonArray annotated = new JsonArray();
                        for (int i = 0; i < enclaves.size(); i++) {
                          JsonObject e = enclaves.getJsonObject(i).copy();
                          Future<JsonObject> p = proofs.get(i);
                          if (p.succeeded() && p.result() != null) {
                            e.put("release", p.result());
                          }
                          annotated.add(e);
                        }
                        JsonObject section =
                            new JsonObject()
                                .put("checkpoint", s.note())
                                .put("gatewayKeys", s.gatewayKeys())
                                .put("issuerKeys", s.issuerKeys());
                        if (consistency.succeeded() && consistency.result() != null) {
                          section.put("consistency", consistency.result());
                        }
                        return Future.succeededFuture(
                            listing.copy().put("enclaves", annotated).put("transparency", section));
                      });
            });
  }

  private synchronized Future<Snapshot> current() {
    Instant now = clock.instant();
    boolean stale = snapshotAt.plusMillis(refreshMs).isBefore(now);
    if (snapshot == null || (snapshot.isComplete() && (snapshot.failed() || stale))) {
      snapshotAt = now;
      snapshot = load();
    }
    return snapshot;
  }

  private Future<Snapshot> load() {
    return log.checkpoint()
        .compose(
            note -> {
              Checkpoint cp;
              try {
                cp = Checkpoint.parse(SignedNote.parse(note).text());
              } catch (TlogException e) {
                return Future.failedFuture(
                    new IllegalStateException(
                        "the log's checkpoint cannot be read: " + e.getMessage()));
              }
              Future<JsonArray> gateway = proofs(cp, "keyConfig", gatewayKeyConfigs.get());
              Future<JsonArray> issuer = proofs(cp, "tokenKey", issuerTokenKeys.get());
              return Future.all(gateway, issuer)
                  .map(v -> new Snapshot(note, cp, gateway.result(), issuer.result()));
            });
  }

  /**
   * Proofs of the entries naming each value; a value not in the log is left out (the client then
   * refuses it).
   */
  private Future<JsonArray> proofs(Checkpoint cp, String kind, List<byte[]> values) {
    List<Future<JsonObject>> all = new ArrayList<>();
    for (byte[] v : values) {
      all.add(proofOf(cp, kind, B64.encodeToString(v)));
    }
    return Future.join(all)
        .transform(
            done -> {
              JsonArray out = new JsonArray();
              all.stream()
                  .filter(f -> f.succeeded() && f.result() != null)
                  .forEach(f -> out.add(f.result()));
              return Future.succeededFuture(out);
            });
  }

  private Future<JsonObject> proofOf(Checkpoint cp, String kind, String value) {
    return log.lookup(kind, value)
        .compose(
            index -> {
              if (index.isEmpty() || index.getAsLong() >= cp.size()) {
                return Future.succeededFuture(null);
              }
              long i = index.getAsLong();
              Future<byte[]> entry = log.entry(i);
              Future<InclusionProof> proof = log.inclusion(i, cp.size());
              return Future.all(entry, proof)
                  .map(
                      v ->
                          new JsonObject()
                              .put("entry", B64.encodeToString(entry.result()))
                              .mergeIn(
                                  new JsonObject(
                                      proof.result().toJsonWithoutTreeSize().toString())));
            });
  }

  private Future<JsonObject> release(Snapshot s, String measurement) {
    String key = measurement + "@" + s.checkpoint().size();
    if (releases.size() > 1_000) {
      releases.clear();
    }
    Future<JsonObject> proof =
        releases.computeIfAbsent(key, k -> proofOf(s.checkpoint(), "measurement", measurement));
    // Forgotten on failure outside computeIfAbsent: a future that failed at once would otherwise
    // remove its own key during the update (IllegalStateException "Recursive update").
    proof.onFailure(e -> releases.remove(key, proof));
    return proof;
  }

  private Future<JsonObject> consistency(Snapshot s, OptionalLong since) {
    long n = s.checkpoint().size();
    if (since.isEmpty() || since.getAsLong() <= 0 || since.getAsLong() == n) {
      return Future.succeededFuture(null);
    }
    long size1 = Math.min(since.getAsLong(), n);
    long size2 = Math.max(since.getAsLong(), n);
    String key = size1 + ".." + size2;
    if (consistencies.size() > 1_000) {
      consistencies.clear();
    }
    Future<JsonObject> proof =
        consistencies.computeIfAbsent(
            key,
            k -> log.consistency(size1, size2).map(p -> new JsonObject(p.toJson().toString())));
    proof.onFailure(e -> consistencies.remove(key, proof));
    return proof;
  }
}
