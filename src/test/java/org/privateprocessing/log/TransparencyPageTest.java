package org.privateprocessing.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.Profile;

/**
 * How the log's listener serves the transparency page: from the jar, with the right types, no
 * caching without revalidation, a self-only content security policy, and the keys the log claims;
 * bad requests for it are problems. The page's behaviour in a browser: {@link
 * TransparencyPageBrowserTest}.
 */
class TransparencyPageTest {
  @TempDir static Path dir;
  static Vertx vertx;
  static LogRole.Started log;
  static WebClient http;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    log =
        await(
            LogRole.start(vertx, LogServiceTest.options(dir), Profile.DEMO, LogServiceTest.RANDOM));
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> get(String pathAndQuery) throws Exception {
    return await(http.getAbs(log.url() + pathAndQuery).send());
  }

  @Test
  @DisplayName("every file of the page is in the jar, and nothing else is served under its paths")
  void assetsLoadFromTheClassPath() {
    TransparencyPage page = TransparencyPage.load();
    assertThat(page.paths())
        .containsExactlyInAnyOrder("/page/", "/page/app.js", "/page/verify.js", "/page/style.css");
    assertThat(page.asset("/page/nope.js")).isEmpty();
    assertThat(page.asset("/index.html")).isEmpty();
    TransparencyPage.Asset html = page.asset("/page/").orElseThrow();
    assertThat(html.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(html.etag()).matches("\"[A-Za-z0-9_-]{43}\"");
    byte[] body = html.body();
    body[0] = 'X';
    assertThat(html.body()[0]).as("the asset is immutable").isEqualTo((byte) '<');
  }

  @Test
  @DisplayName("the page references only its own files: no CDN, no inline script or style")
  void noExternalOrInlineAssets() {
    TransparencyPage page = TransparencyPage.load();
    for (String path : page.paths()) {
      String text = new String(page.asset(path).orElseThrow().body(), StandardCharsets.UTF_8);
      assertThat(text).as(path).doesNotContainPattern("(?i)(src|href)\\s*=\\s*\"(https?:)?//");
      assertThat(text).as(path).doesNotContainPattern("(?i)url\\(\\s*['\"]?(https?:)?//");
      assertThat(text).as(path).doesNotContainPattern("(?i)import[^;]*['\"]https?:");
      assertThat(text).as(path).doesNotContain("innerHTML").doesNotContain("eval(");
    }
    String html = new String(page.asset("/page/").orElseThrow().body(), StandardCharsets.UTF_8);
    Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(html);
    int n = 0;
    while (scripts.find()) {
      assertThat(scripts.group(1)).as("every script is a file").contains("src=\"/page/");
      n++;
    }
    assertThat(n).isEqualTo(1);
    assertThat(html).doesNotContain("<style").doesNotContainPattern(" style=\"");
    assertThat(html).doesNotContainPattern(" on[a-z]+=\"");
  }

  @Test
  @DisplayName("GET / serves the page with its type, no-cache and a self-only policy")
  void servesThePageWithStrictHeaders() throws Exception {
    for (String[] c :
        List.of(
            new String[] {"/page/", "text/html; charset=utf-8"},
            new String[] {"/page/?key=a%2Bb&measurement=ab", "text/html; charset=utf-8"},
            new String[] {"/page/app.js", "text/javascript; charset=utf-8"},
            new String[] {"/page/verify.js", "text/javascript; charset=utf-8"},
            new String[] {"/page/style.css", "text/css; charset=utf-8"})) {
      HttpResponse<Buffer> r = get(c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(200);
      assertThat(r.getHeader("content-type")).as(c[0]).isEqualTo(c[1]);
      assertThat(r.getHeader("cache-control")).isEqualTo("no-cache");
      assertThat(r.getHeader("x-content-type-options")).isEqualTo("nosniff");
      assertThat(r.getHeader("referrer-policy")).isEqualTo("no-referrer");
      assertThat(r.getHeader("content-security-policy"))
          .isEqualTo(TransparencyPage.CONTENT_SECURITY_POLICY)
          .contains("default-src 'none'")
          .contains("script-src 'self'")
          .contains("connect-src 'self'")
          .doesNotContain("unsafe")
          .doesNotContain("http");
      assertThat(r.bodyAsBuffer().getBytes())
          .isEqualTo(
              TransparencyPage.load().asset(c[0].replaceFirst("\\?.*", "")).orElseThrow().body());
    }
  }

  @Test
  @DisplayName("a request with the current entity tag gets 304 and no body; a stale one the file")
  void revalidatesWithTheEntityTag() throws Exception {
    HttpResponse<Buffer> first = get("/page/verify.js");
    String etag = first.getHeader("etag");
    HttpResponse<Buffer> again =
        await(http.getAbs(log.url() + "/page/verify.js").putHeader("if-none-match", etag).send());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isNull();
    HttpResponse<Buffer> stale =
        await(
            http.getAbs(log.url() + "/page/verify.js")
                .putHeader("if-none-match", "\"old\"")
                .send());
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.bodyAsBuffer()).isEqualTo(first.bodyAsBuffer());
  }

  @Test
  @DisplayName("GET /keys says which keys the log claims, for the page to show with its caveat")
  void keysAreTheLogsOwn() throws Exception {
    HttpResponse<Buffer> r = get(TransparencyPage.KEYS_PATH);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    JsonObject keys = r.bodyAsJsonObject();
    assertThat(keys.fieldNames()).containsExactlyInAnyOrder("origin", "logKey", "witnessKeys");
    assertThat(keys.getString("origin")).isEqualTo("test.log");
    assertThat(keys.getString("logKey")).isEqualTo(log.verifierKey());
    assertThat(keys.getJsonArray("witnessKeys").getList())
        .containsExactly(LogServiceTest.WITNESS.verifierKey());
  }

  @Test
  @DisplayName("other files, other methods and a malformed query are problems, not the page")
  void badRequestsAreProblems() throws Exception {
    for (String path :
        List.of(
            "/", "/page/nope.js", "/page/app.js/x", "/index.html", "/page", "/page/index.html")) {
      HttpResponse<Buffer> r = get(path);
      assertThat(r.statusCode()).as(path).isIn(400, 404);
      assertThat(r.getHeader("content-type")).as(path).isEqualTo("application/problem+json");
    }
    HttpResponse<Buffer> post =
        await(
            http.requestAbs(HttpMethod.POST, log.url() + "/page/")
                .putHeader("content-type", "text/html")
                .sendBuffer(Buffer.buffer("<p>")));
    assertThat(post.statusCode()).isIn(404, 405);
    assertThat(post.getHeader("content-type")).isEqualTo("application/problem+json");
    HttpResponse<Buffer> badQuery = get("/page/?key=%zz");
    assertThat(badQuery.statusCode()).isEqualTo(400);
    assertThat(badQuery.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(badQuery.bodyAsString()).doesNotContain("<html");
  }

  @Test
  @DisplayName("headers: a 304 is only for a matching tag")
  void notModifiedMatchesOnlyTheCurrentTag() {
    TransparencyPage.Asset a = TransparencyPage.load().asset("/page/").orElseThrow();
    assertThat(TransparencyPage.notModified(a, null)).isFalse();
    assertThat(TransparencyPage.notModified(a, "\"x\"")).isFalse();
    assertThat(TransparencyPage.notModified(a, "\"x\", " + a.etag())).isTrue();
    assertThat(TransparencyPage.notModified(a, "W/" + a.etag())).isTrue();
    assertThat(TransparencyPage.notModified(a, "*")).isTrue();
    assertThat(TransparencyPage.headers(a))
        .containsEntry("etag", a.etag())
        .containsEntry("x-frame-options", "DENY");
  }
}
