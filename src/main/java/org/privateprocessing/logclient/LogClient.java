package org.privateprocessing.logclient;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.privateprocessing.tlog.ConsistencyProof;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.NoteSignature;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.tlog.TlogException;

/**
 * A client of the transparency log's HTTP API. Every method parses the answer into tlog types and
 * fails with a {@link Failure} that names the endpoint and what went wrong (status and the log's
 * problem detail, or why the answer did not parse). It checks form only: verifying signatures and
 * proofs against trusted keys and roots is the caller's job.
 */
public final class LogClient implements LogReader, AutoCloseable {
  /**
   * Most entries one {@code GET /entries} returns: the log API's page size, which the server
   * enforces.
   */
  public static final int MAX_PAGE = 1000;

  /** {@code GET}: the signed checkpoint, a C2SP signed note in plain text. */
  public static final String CHECKPOINT_PATH = "/checkpoint";

  /** {@code GET ?start&end}: a page of entries; {@code POST}: a publisher appends one. */
  public static final String ENTRIES_PATH = "/entries";

  /** {@code GET ?index&size} or {@code ?hash&size}: an {@link InclusionProof} in its JSON form. */
  public static final String INCLUSION_PROOF_PATH = "/proof/inclusion";

  /** {@code GET ?from&to}: a {@link ConsistencyProof} in its JSON form. */
  public static final String CONSISTENCY_PROOF_PATH = "/proof/consistency";

  /** {@code GET ?measurement=}, {@code ?keyConfig=} or {@code ?tokenKey=}: the first such entry. */
  public static final String LOOKUP_PATH = "/lookup";

  /** {@code POST}: a witness's cosignature line for the current checkpoint. */
  public static final String COSIGNATURE_PATH = "/checkpoint/cosignature";

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private final WebClient web;
  private final String base;
  private final boolean ownsClient;

  /** A failed call: HTTP status (0 when the log was unreachable or its answer unreadable). */
  public static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Failure(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** An entry and its index. */
  public record Indexed(long index, LogEntry entry) {}

  /** The answer to an append: index, whether this call added it (201) and the new checkpoint. */
  public record Appended(long index, boolean created, SignedNote checkpoint) {}

  private LogClient(WebClient web, String baseUrl, boolean ownsClient) {
    this.web = web;
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.ownsClient = ownsClient;
  }

  /** A client of the log at {@code baseUrl} (e.g. {@code http://127.0.0.1:8083}). */
  public static LogClient create(Vertx vertx, String baseUrl) {
    URI uri = URI.create(baseUrl);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException("log URL must be http(s)://host:port, got " + baseUrl);
    }
    return new LogClient(
        WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setIdleTimeout(30)),
        baseUrl,
        true);
  }

  public String baseUrl() {
    return base;
  }

  /** {@code GET /checkpoint}, parsed as a signed note (not yet verified). */
  public Future<SignedNote> signedCheckpoint() {
    return checkpoint()
        .map(
            text -> {
              try {
                return SignedNote.parse(text);
              } catch (TlogException e) {
                throw new Failure(
                    0,
                    "GET "
                        + CHECKPOINT_PATH
                        + " of "
                        + base
                        + " is not a signed note: "
                        + e.getMessage());
              }
            });
  }

  /** {@code GET /checkpoint} as served: the signed note text (not yet verified). */
  @Override
  public Future<String> checkpoint() {
    return send(web.getAbs(base + CHECKPOINT_PATH), null, "GET " + CHECKPOINT_PATH, 200)
        .map(r -> r.bodyAsString(StandardCharsets.UTF_8.name()));
  }

  /** {@link LogReader}: {@code GET /lookup?<kind>=<value>}, the index only; empty on 404. */
  @Override
  public Future<OptionalLong> lookup(String kind, String value) {
    if (!kind.equals("measurement") && !kind.equals("keyConfig") && !kind.equals("tokenKey")) {
      return Future.failedFuture(
          new IllegalArgumentException("lookup kind must be measurement, keyConfig or tokenKey"));
    }
    return find(kind, value)
        .map(o -> o.map(i -> OptionalLong.of(i.index())).orElse(OptionalLong.empty()));
  }

  /**
   * {@link LogReader}: the canonical bytes of entry {@code index}, exactly what its leaf hashes.
   */
  @Override
  public Future<byte[]> entry(long index) {
    return entries(index, index + 1).map(list -> list.get(0).encode());
  }

  @Override
  public Future<InclusionProof> inclusion(long index, long treeSize) {
    return inclusionProof(index, treeSize);
  }

  @Override
  public Future<ConsistencyProof> consistency(long size1, long size2) {
    return consistencyProof(size1, size2);
  }

  /** {@code GET /entries?start&end}: entries [start, end), at most {@link #MAX_PAGE}. */
  public Future<List<LogEntry>> entries(long start, long end) {
    String what = "GET " + ENTRIES_PATH + "?start=" + start + "&end=" + end;
    return json(
            web.getAbs(base + ENTRIES_PATH)
                .addQueryParam("start", Long.toString(start))
                .addQueryParam("end", Long.toString(end)),
            what)
        .map(
            j -> {
              JsonArray list = j.getJsonArray("entries");
              if (j.getLong("start", -1L) != start || list == null || list.size() != end - start) {
                throw new Failure(0, what + " of " + base + " answered another range than asked");
              }
              List<LogEntry> out = new ArrayList<>(list.size());
              for (int i = 0; i < list.size(); i++) {
                out.add(entry(list.getValue(i), what + " entry " + (start + i)));
              }
              return out;
            });
  }

  /** {@code GET /proof/inclusion?index&size}. */
  public Future<InclusionProof> inclusionProof(long index, long size) {
    return inclusion(
        web.getAbs(base + INCLUSION_PROOF_PATH).addQueryParam("index", Long.toString(index)),
        size,
        "GET " + INCLUSION_PROOF_PATH + "?index=" + index + "&size=" + size);
  }

  /** {@code GET /proof/inclusion?hash&size}: the proof of the first leaf with this hash. */
  public Future<InclusionProof> inclusionProof(byte[] leafHash, long size) {
    return inclusion(
        web.getAbs(base + INCLUSION_PROOF_PATH)
            .addQueryParam("hash", B64URL.encodeToString(leafHash)),
        size,
        "GET " + INCLUSION_PROOF_PATH + "?hash=...&size=" + size);
  }

  private Future<InclusionProof> inclusion(HttpRequest<Buffer> req, long size, String what) {
    return json(req.addQueryParam("size", Long.toString(size)), what)
        .map(
            j -> {
              try {
                return InclusionProof.fromJson(j.encode());
              } catch (TlogException e) {
                throw new Failure(
                    0, what + " of " + base + " is not an inclusion proof: " + e.getMessage());
              }
            });
  }

  /** {@code GET /proof/consistency?from&to}. */
  public Future<ConsistencyProof> consistencyProof(long from, long to) {
    String what = "GET " + CONSISTENCY_PROOF_PATH + "?from=" + from + "&to=" + to;
    return json(
            web.getAbs(base + CONSISTENCY_PROOF_PATH)
                .addQueryParam("from", Long.toString(from))
                .addQueryParam("to", Long.toString(to)),
            what)
        .map(
            j -> {
              try {
                return ConsistencyProof.fromJson(j.encode());
              } catch (TlogException e) {
                throw new Failure(
                    0, what + " of " + base + " is not a consistency proof: " + e.getMessage());
              }
            });
  }

  /** {@code GET /lookup?measurement=}: the first release with this measurement, empty on 404. */
  public Future<Optional<Indexed>> lookupMeasurement(String measurementHex) {
    return find("measurement", measurementHex);
  }

  /**
   * {@code GET /lookup?keyConfig=}: the first gateway key config with these bytes, empty on 404.
   */
  public Future<Optional<Indexed>> lookupKeyConfig(byte[] keyConfig) {
    return find("keyConfig", B64URL.encodeToString(keyConfig));
  }

  /** {@code GET /lookup?tokenKey=}: the first issuer key with these bytes, empty on 404. */
  public Future<Optional<Indexed>> lookupTokenKey(byte[] tokenKey) {
    return find("tokenKey", B64URL.encodeToString(tokenKey));
  }

  private Future<Optional<Indexed>> find(String param, String value) {
    String what = "GET " + LOOKUP_PATH + "?" + param + "=...";
    return send(web.getAbs(base + LOOKUP_PATH).addQueryParam(param, value), null, what, 200, 404)
        .map(
            r -> {
              if (r.statusCode() == 404) {
                return Optional.empty();
              }
              JsonObject j = parse(r, what);
              Long index = j.getLong("index");
              if (index == null) {
                throw new Failure(0, what + " of " + base + " has no index");
              }
              return Optional.of(new Indexed(index, entry(j.getValue("entry"), what)));
            });
  }

  /** {@code POST /entries}: appends {@code entry} signed by {@code publisher}. */
  public Future<Appended> append(LogEntry entry, PublisherKeys.Signer publisher) {
    byte[] body = entry.encode();
    String auth =
        "Signature keyName=\""
            + publisher.name()
            + "\",signature=\""
            + B64URL.encodeToString(publisher.sign(body))
            + "\"";
    HttpRequest<Buffer> req =
        web.postAbs(base + ENTRIES_PATH)
            .putHeader("content-type", "application/json")
            .putHeader("authorization", auth);
    return send(req, Buffer.buffer(body), "POST " + ENTRIES_PATH, 200, 201)
        .map(
            r -> {
              JsonObject j = parse(r, "POST " + ENTRIES_PATH);
              try {
                return new Appended(
                    j.getLong("index"),
                    r.statusCode() == 201,
                    SignedNote.parse(j.getString("checkpoint")));
              } catch (TlogException | RuntimeException e) {
                throw new Failure(
                    0,
                    "POST "
                        + ENTRIES_PATH
                        + " of "
                        + base
                        + " answered without index or signed checkpoint");
              }
            });
  }

  /**
   * {@code POST /checkpoint/cosignature}: one witness cosignature line of the current checkpoint.
   */
  public Future<Void> cosign(NoteSignature cosignature) {
    byte[] raw = new byte[4 + cosignature.signature().length];
    System.arraycopy(cosignature.keyId(), 0, raw, 0, 4);
    System.arraycopy(cosignature.signature(), 0, raw, 4, raw.length - 4);
    String line =
        SignedNote.EM_DASH
            + " "
            + cosignature.keyName()
            + " "
            + Base64.getEncoder().encodeToString(raw)
            + "\n";
    return send(
            web.postAbs(base + COSIGNATURE_PATH)
                .putHeader("content-type", "text/plain; charset=utf-8"),
            Buffer.buffer(line),
            "POST " + COSIGNATURE_PATH,
            204)
        .mapEmpty();
  }

  private Future<JsonObject> json(HttpRequest<Buffer> req, String what) {
    return send(req, null, what, 200).map(r -> parse(r, what));
  }

  private Future<HttpResponse<Buffer>> send(
      HttpRequest<Buffer> req, Buffer body, String what, int... ok) {
    Future<HttpResponse<Buffer>> f = body == null ? req.send() : req.sendBuffer(body);
    return f.recover(
            t ->
                Future.failedFuture(
                    new Failure(
                        0, "the log at " + base + " is unreachable (" + t.getMessage() + ")")))
        .compose(
            r -> {
              for (int s : ok) {
                if (r.statusCode() == s) {
                  return Future.succeededFuture(r);
                }
              }
              return Future.failedFuture(
                  new Failure(
                      r.statusCode(),
                      what + " of " + base + " answered " + r.statusCode() + problemDetail(r)));
            });
  }

  private static String problemDetail(HttpResponse<Buffer> r) {
    try {
      String d = r.bodyAsJsonObject().getString("detail");
      return d == null ? "" : ": " + d;
    } catch (RuntimeException e) {
      return "";
    }
  }

  private JsonObject parse(HttpResponse<Buffer> r, String what) {
    try {
      JsonObject j = r.bodyAsJsonObject();
      if (j == null) {
        throw new DecodeException("empty");
      }
      return j;
    } catch (RuntimeException e) {
      throw new Failure(0, what + " of " + base + " is not a JSON object");
    }
  }

  private LogEntry entry(Object json, String what) {
    if (!(json instanceof JsonObject o)) {
      throw new Failure(0, what + " of " + base + " is not an entry object");
    }
    try {
      return LogEntry.parse(o.toBuffer().getBytes());
    } catch (TlogException e) {
      throw new Failure(0, what + " of " + base + " is not a valid entry: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    if (ownsClient) {
      web.close();
    }
  }
}
