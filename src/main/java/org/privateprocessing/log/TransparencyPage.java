package org.privateprocessing.log;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The transparency page (docs/TRANSPARENCY.md, "The page"): an HTML page, its script and its style
 * sheet, read once from the jar and served by the log's listener. Nothing is fetched from anywhere
 * else: the page loads only these files and the log's own API, which a strict {@link
 * #CONTENT_SECURITY_POLICY} enforces in the browser. The page verifies the checkpoint signature,
 * the witnesses' cosignatures and every entry's inclusion proof with WebCrypto; this class only
 * serves the files and says which keys the log itself claims ({@link #keys}).
 *
 * <p>Immutable and thread-safe.
 */
public final class TransparencyPage {
  /**
   * The page itself. Not {@code /}: every listener answers {@code GET /} with a problem, which the
   * malformed-request tests of all listeners rely on (node/HttpEdgesTest).
   */
  public static final String PAGE_PATH = "/page/";

  /** Where the page's script, its verifier module and its style sheet are served. */
  public static final String ASSET_PREFIX = "/page/";

  /** The keys the log claims: {@code {"origin","logKey","witnessKeys":[…]}}. */
  public static final String KEYS_PATH = "/keys";

  /**
   * Only this listener's own files and API: no inline script or style, no other origin, no frames,
   * no plug-ins, no form posting elsewhere, and DOM sinks locked by Trusted Types (the page writes
   * only text nodes).
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
          + "require-trusted-types-for 'script'; trusted-types 'none'";

  private static final String RESOURCES = "/org/privateprocessing/log/page/";

  /** One file of the page, with the type it is served as and its strong entity tag. */
  public record Asset(String path, String contentType, byte[] body, String etag) {
    public Asset {
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }
  }

  private final Map<String, Asset> assets;

  private TransparencyPage(Map<String, Asset> assets) {
    this.assets = Map.copyOf(assets);
  }

  /**
   * Reads the page's files from the class path.
   *
   * @throws IllegalStateException when one is missing (a broken jar: nothing to serve)
   */
  public static TransparencyPage load() {
    Map<String, Asset> m = new LinkedHashMap<>();
    add(m, PAGE_PATH, "index.html", "text/html; charset=utf-8");
    add(m, ASSET_PREFIX + "app.js", "app.js", "text/javascript; charset=utf-8");
    add(m, ASSET_PREFIX + "verify.js", "verify.js", "text/javascript; charset=utf-8");
    add(m, ASSET_PREFIX + "style.css", "style.css", "text/css; charset=utf-8");
    return new TransparencyPage(m);
  }

  private static void add(Map<String, Asset> m, String path, String file, String type) {
    try (InputStream in = TransparencyPage.class.getResourceAsStream(RESOURCES + file)) {
      if (in == null) {
        throw new IllegalStateException(
            "the transparency page's " + file + " is missing from the jar (" + RESOURCES + ")");
      }
      byte[] body = in.readAllBytes();
      m.put(path, new Asset(path, type, body, etag(body)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the transparency page's " + file, e);
    }
  }

  private static String etag(byte[] body) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(d) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }

  /** The file served at {@code path} (without the query), if it is one of the page's. */
  public Optional<Asset> asset(String path) {
    return Optional.ofNullable(assets.get(path));
  }

  /** Every path the page is served at, for the listener's routes. */
  public List<String> paths() {
    return List.copyOf(assets.keySet());
  }

  /**
   * The response headers of {@code asset}: its type, no caching without revalidation (the page
   * changes with the jar, and a stale script would verify with stale code), the content security
   * policy and the usual hardening.
   */
  public static Map<String, String> headers(Asset asset) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("content-type", asset.contentType());
    h.put("cache-control", "no-cache");
    h.put("etag", asset.etag());
    h.put("content-security-policy", CONTENT_SECURITY_POLICY);
    h.put("x-content-type-options", "nosniff");
    h.put("referrer-policy", "no-referrer");
    h.put("x-frame-options", "DENY");
    h.put("cross-origin-opener-policy", "same-origin");
    h.put("cross-origin-resource-policy", "same-origin");
    return h;
  }

  /**
   * Whether a request's {@code If-None-Match} names this asset's current version, so a 304 with no
   * body answers it.
   */
  public static boolean notModified(Asset asset, String ifNoneMatch) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || t.equals(asset.etag()) || t.equals("W/" + asset.etag())) {
        return true;
      }
    }
    return false;
  }

  /**
   * What the log says about its own keys: its origin, its verifier key and the witnesses whose
   * cosignatures it keeps. The page shows them with a warning: a key the log serves about itself
   * proves nothing to someone who has not compared it with a key from elsewhere.
   */
  public static JsonObject keys(String origin, String logKey, List<String> witnessKeys) {
    return new JsonObject()
        .put("origin", origin)
        .put("logKey", logKey)
        .put("witnessKeys", new JsonArray(List.copyOf(witnessKeys)));
  }
}
