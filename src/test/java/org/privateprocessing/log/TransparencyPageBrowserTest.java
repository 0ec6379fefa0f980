package org.privateprocessing.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.privateprocessing.core.Profile;
import org.privateprocessing.gateway.GatewayIdentity;
import org.privateprocessing.issuer.IssuerKeys;
import org.privateprocessing.logclient.LogClient;
import org.privateprocessing.tlog.InclusionProof;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.MerkleTree;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.Rfc9162;
import org.privateprocessing.tlog.SignedNote;
import org.privateprocessing.token.TokenTypes;

/**
 * The transparency page in a real headless Chromium, against a running log on 127.0.0.1: the page
 * verifies the checkpoint signature, the witness's cosignature and every entry's inclusion proof
 * with WebCrypto; a proxy that flips one bit of one proof, or alters one entry, makes it fail; a
 * key the log did not sign with makes the checkpoint fail; the release form answers logged, not
 * logged and bad input. Screenshots: {@code target/transparency-page.png} (verified) and {@code
 * target/transparency-page-tampered.png}.
 */
class TransparencyPageBrowserTest {
  private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String COMMIT = "4f2d1c0b9a8e7f6d5c4b3a29181706f5e4d3c2b1";
  private static final String NO_BROWSER =
      "no headless Chromium: apt-get install -y chromium-headless-shell (or set PP_CHROMIUM)";

  @TempDir static Path dir;
  static Vertx vertx;
  static LogRole.Started log;
  static HeadlessChromium browser;
  static List<LogEntry> entries = new ArrayList<>();
  static LogEntry.EnclaveRelease release;
  static long releaseIndex;
  static long size;

  @BeforeAll
  static void start() throws Exception {
    var binary = HeadlessChromium.binary();
    if (binary.isEmpty()) {
      System.err.println("TransparencyPageBrowserTest skipped: " + NO_BROWSER);
      return;
    }
    vertx = Vertx.vertx();
    log =
        await(
            LogRole.start(vertx, LogServiceTest.options(dir.resolve("log")), Profile.DEMO, RANDOM));
    PublisherKeys.Signer publisher = log.demoPublisher().orElseThrow();
    Instant now = Instant.now();
    release =
        new LogEntry.EnclaveRelease(
            "a1".repeat(48), "1.4.0", COMMIT, Instant.parse("2026-11-30T10:00:00Z"));
    entries.add(release);
    entries.add(
        new LogEntry.EnclaveRelease(
            "0b".repeat(48), "dev", "unknown", Instant.parse("2026-11-29T09:00:00Z")));
    entries.addAll(GatewayIdentity.generate(RANDOM).logEntries("gateway.example", now));
    entries.addAll(
        IssuerKeys.generate(
                List.of(TokenTypes.VOPRF_P384),
                Duration.ofHours(1),
                Duration.ofMinutes(5),
                RANDOM,
                now)
            .logEntries("issuer.example", now));
    LogClient client = LogClient.create(vertx, log.url());
    for (LogEntry e : entries) {
      long index = await(client.append(e, publisher)).index();
      if (e == release) {
        releaseIndex = index;
      }
    }
    size = entries.size();
    SignedNote note = await(client.signedCheckpoint());
    await(client.cosign(LogServiceTest.WITNESS.cosign(note.text(), Instant.now())));
    browser = HeadlessChromium.start(binary.get(), dir.resolve("chromium"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @BeforeEach
  void fresh() {
    // Skipped one by one, so the report counts them and says why.
    Assumptions.assumeTrue(browser != null, NO_BROWSER);
    browser.clearProblems();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Opens a page and waits until it has verified (or failed): its body's data-state. */
  private static String load(String url) throws Exception {
    browser.navigate(url);
    browser.waitFor(
        "document.readyState === 'complete' && document.body"
            + " && document.body.dataset.state !== 'loading'",
        VERIFY_TIMEOUT);
    String state = browser.string("document.body.dataset.state");
    if (!"verified".equals(state)) {
      // What the page said, for the test report.
      System.err.println(url + ": " + text("summary") + " " + browser.problems());
    }
    return state;
  }

  /** The state of each entry's inclusion cell, in index order. */
  private static List<Object> proofStates() throws Exception {
    JsonArray a =
        (JsonArray)
            browser.evaluate(
                "Array.from(document.querySelectorAll('tr[data-index]'))"
                    + ".sort((x, y) => x.dataset.index - y.dataset.index)"
                    + ".map(r => r.querySelector('td.proof').dataset.state)");
    return a.getList();
  }

  private static String text(String id) throws Exception {
    return browser.string("document.getElementById('" + id + "').textContent");
  }

  private static String state(String id) throws Exception {
    return browser.string("document.getElementById('" + id + "').dataset.state");
  }

  @Test
  @DisplayName(
      "the page verifies the checkpoint, the witness and every inclusion proof in Chromium")
  void verifiesEverythingInTheBrowser() throws Exception {
    assertThat(load(log.url() + "/page/")).isEqualTo("verified");
    assertThat(state("checkpoint-status")).isEqualTo("verified");
    assertThat(text("checkpoint-size")).isEqualTo(Long.toString(size));
    assertThat(text("checkpoint-origin")).isEqualTo("test.log");
    assertThat(text("key-text")).isEqualTo(log.verifierKey());
    assertThat(browser.string("document.getElementById('key-source').dataset.source"))
        .isEqualTo("log");
    assertThat(text("key-source")).contains("served by the log itself");
    assertThat(proofStates()).hasSize((int) size).containsOnly("verified");
    assertThat(
            browser.string(
                "document.querySelector('tr[data-witness=\"witness.example\"] td:last-child')"
                    + ".dataset.state"))
        .isEqualTo("verified");
    assertThat(text("summary"))
        .startsWith("VERIFIED")
        .contains(size + " of " + size + " entries proven included");
    // Each kind of entry in its table: releases with how to rebuild, keys with their validity.
    assertThat(text("release-rows")).contains("1.4.0").contains("git checkout " + COMMIT);
    assertThat(text("release-rows")).contains("names no commit (unknown)");
    assertThat(text("gateway-rows")).contains("gateway.example").contains("DHKEM(X25519)");
    assertThat(text("issuer-rows"))
        .contains("issuer.example")
        .contains("VOPRF (P-384, SHA-384)")
        .contains("current since")
        .contains("next: usable from");
    assertThat(browser.problems()).as("console errors and CSP violations").isEmpty();
    browser.screenshot(Path.of("target", "transparency-page.png"));
  }

  @Test
  @DisplayName("the form says whether the measurement that answered is a logged release")
  void formLooksUpTheRelease() throws Exception {
    assertThat(load(log.url() + "/page/")).isEqualTo("verified");
    assertThat(lookup("enclave-7", release.measurement())).isEqualTo("logged");
    assertThat(text("lookup-result"))
        .contains("LOGGED: enclave enclave-7 runs release 1.4.0")
        .contains("entry #" + releaseIndex)
        .contains("verified in this browser");
    assertThat(browser.string("document.getElementById('lookup-result').dataset.index"))
        .isEqualTo(Long.toString(releaseIndex));
    // The CLI's answer line shows the first 16 digits and an ellipsis.
    assertThat(lookup("enclave-7", release.measurement().substring(0, 16) + "..."))
        .isEqualTo("logged");
    assertThat(text("lookup-result")).contains("first 16 hex digits only");
    assertThat(lookup("enclave-7", "ff".repeat(48))).isEqualTo("not-logged");
    assertThat(text("lookup-result")).contains("NOT LOGGED").contains("do not trust");
    assertThat(lookup("enclave-7", "not-a-measurement")).isEqualTo("invalid");
    assertThat(text("lookup-result")).contains("Measurement: paste 16 to 96 hexadecimal digits");
    assertThat(lookup("enclave-7", "a1a1")).isEqualTo("invalid");
    // The field takes at most 128 characters; a link can hold more, and is refused.
    assertThat(load(log.url() + "/page/?enclave=" + "x".repeat(129) + "&measurement=a1"))
        .isEqualTo("verified");
    browser.waitFor(
        "document.getElementById('lookup-result').dataset.result === 'invalid'", VERIFY_TIMEOUT);
    assertThat(text("lookup-result")).contains("Enclave id: at most 128 characters");
    // The check is a link: opening it runs the lookup.
    assertThat(browser.string("location.search")).contains("measurement=");
    assertThat(
            load(
                log.url() + "/page/?enclave=e1&measurement=" + release.measurement().toUpperCase()))
        .isEqualTo("verified");
    browser.waitFor(
        "document.getElementById('lookup-result').dataset.result === 'logged'", VERIFY_TIMEOUT);
    assertThat(browser.problems()).isEmpty();
  }

  /** Types into the form like a user and returns the result's state once it has one. */
  private static String lookup(String enclave, String measurement) throws Exception {
    browser.evaluate(
        "document.getElementById('lookup-enclave').value = '';"
            + "document.getElementById('lookup-measurement').value = '';"
            + "document.getElementById('lookup-result').dataset.result = 'none'; true");
    browser.evaluate("document.getElementById('lookup-enclave').focus(); true");
    browser.command("Input.insertText", new JsonObject().put("text", enclave));
    browser.evaluate("document.getElementById('lookup-measurement').focus(); true");
    browser.command("Input.insertText", new JsonObject().put("text", measurement));
    browser.evaluate("document.querySelector('#lookup-form button').click(); true");
    browser.waitFor(
        "!['none', 'pending'].includes(document.getElementById('lookup-result').dataset.result)",
        VERIFY_TIMEOUT);
    return browser.string("document.getElementById('lookup-result').dataset.result");
  }

  @Test
  @DisplayName("one flipped bit in one inclusion proof fails that entry and the page")
  void tamperedProofFails() throws Exception {
    long victim = releaseIndex;
    HttpServer proxy =
        proxy(
            (uri, body) -> {
              if (!uri.startsWith(LogClient.INCLUSION_PROOF_PATH + "?index=" + victim + "&")) {
                return body;
              }
              JsonObject proof = new JsonObject(body);
              JsonArray hashes = proof.getJsonArray("hashes");
              byte[] h = Base64.getUrlDecoder().decode(hashes.getString(0));
              h[7] ^= 0x01;
              hashes.set(0, Base64.getUrlEncoder().withoutPadding().encodeToString(h));
              return proof.toBuffer();
            });
    try {
      assertThat(load("http://127.0.0.1:" + proxy.actualPort() + "/page/")).isEqualTo("failed");
      List<Object> states = proofStates();
      for (int i = 0; i < states.size(); i++) {
        assertThat(states.get(i)).as("entry " + i).isEqualTo(i == victim ? "failed" : "verified");
      }
      assertThat(state("checkpoint-status")).isEqualTo("verified");
      assertThat(text("summary"))
          .startsWith("FAILED")
          .contains(
              "entry #" + victim + ": the inclusion proof does not lead to the checkpoint root");
      // A failed proof is not a logged release, and a log that fails proves no absence either.
      assertThat(lookup("enclave-7", release.measurement())).isEqualTo("unverified");
      assertThat(lookup("enclave-7", "ff".repeat(48))).isEqualTo("unverified");
      assertThat(text("lookup-result")).contains("CANNOT SAY");
      browser.screenshot(Path.of("target", "transparency-page-tampered.png"));
    } finally {
      await(proxy.close());
    }
  }

  @Test
  @DisplayName("an entry altered on the way (same proof) fails its inclusion proof")
  void tamperedEntryFails() throws Exception {
    HttpServer proxy =
        proxy(
            (uri, body) ->
                uri.startsWith(LogClient.ENTRIES_PATH + "?")
                    ? Buffer.buffer(body.toString().replace("\"1.4.0\"", "\"1.4.1\""))
                    : body);
    try {
      assertThat(load("http://127.0.0.1:" + proxy.actualPort() + "/page/")).isEqualTo("failed");
      assertThat(proofStates().get((int) releaseIndex)).isEqualTo("failed");
      assertThat(proofStates()).filteredOn("verified"::equals).hasSize((int) size - 1);
    } finally {
      await(proxy.close());
    }
  }

  @Test
  @DisplayName("a key the log did not sign with fails the checkpoint, and no entry is proven")
  void anotherKeyFailsTheCheckpoint() throws Exception {
    String other = PublisherKeys.Signer.generate("test.log", RANDOM).verifierKey();
    assertThat(load(log.url() + "/page/?key=" + encode(other))).isEqualTo("failed");
    assertThat(state("key-status")).isEqualTo("verified");
    assertThat(browser.string("document.getElementById('key-source').dataset.source"))
        .isEqualTo("given");
    assertThat(text("key-note")).contains("differs from the key the log serves");
    assertThat(state("checkpoint-status")).isEqualTo("failed");
    assertThat(text("checkpoint-status")).contains("no signature by the key test.log+");
    assertThat(proofStates()).containsOnly("unverified");
    assertThat(lookup("e", release.measurement())).isEqualTo("unverified");

    // The right key, given explicitly, verifies.
    assertThat(load(log.url() + "/page/?key=" + encode(log.verifierKey()))).isEqualTo("verified");
    assertThat(text("key-note")).isEmpty();

    // A key that is not one: said, nothing verified.
    assertThat(load(log.url() + "/page/?key=garbage")).isEqualTo("failed");
    assertThat(state("key-status")).isEqualTo("failed");
    assertThat(text("key-status")).contains("<name>+<8 hex digits>+<base64 key>");
    String wrongId = log.verifierKey().replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
    assertThat(load(log.url() + "/page/?key=" + encode(wrongId))).isEqualTo("failed");
    assertThat(text("key-status")).contains("does not belong to its name and key");
    assertThat(browser.problems()).isEmpty();
  }

  @Test
  @DisplayName("a checkpoint signed by a stranger is refused even though its proofs add up")
  void forgedCheckpointFails() throws Exception {
    // A log that lies serves a checkpoint for a root of its choosing: here the true body
    // re-signed by another key under the same name.
    PublisherKeys.Signer forger = PublisherKeys.Signer.generate("test.log", RANDOM);
    HttpServer proxy =
        proxy(
            (uri, body) -> {
              if (!uri.equals(LogClient.CHECKPOINT_PATH)) {
                return body;
              }
              try {
                SignedNote note = SignedNote.parse(body.toString());
                byte[] sig =
                    forger.sign(note.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                byte[] id = keyIdOf(log.verifierKey());
                byte[] raw = new byte[4 + sig.length];
                System.arraycopy(id, 0, raw, 0, 4);
                System.arraycopy(sig, 0, raw, 4, sig.length);
                return Buffer.buffer(
                    note.text()
                        + "\n"
                        + SignedNote.EM_DASH
                        + " test.log "
                        + Base64.getEncoder().encodeToString(raw)
                        + "\n");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      assertThat(load("http://127.0.0.1:" + proxy.actualPort() + "/page/")).isEqualTo("failed");
      assertThat(text("checkpoint-status")).contains("does not verify with key test.log+");
      assertThat(proofStates()).containsOnly("unverified");
    } finally {
      await(proxy.close());
    }
  }

  @Test
  @DisplayName("served over plain HTTP to a non-local name, the page says it verified nothing")
  void withoutSecureContextNothingIsVerified() throws Exception {
    // log.example.test resolves to 127.0.0.1 in this browser only; browsers give WebCrypto to
    // HTTPS and localhost pages, not to plain HTTP elsewhere.
    assertThat(load("http://log.example.test:" + log.port() + "/page/")).isEqualTo("failed");
    assertThat(text("summary"))
        .contains("WebCrypto only to pages served over HTTPS or from localhost")
        .contains("nothing could be verified");
    assertThat(browser.evaluate("document.querySelectorAll('tr[data-index]').length")).isEqualTo(0);
  }

  @Test
  @DisplayName("a witness key given in the link checks the cosignature; a forged cosignature fails")
  void witnessCosignatures() throws Exception {
    String cell = "document.querySelector('tr[data-witness=\"witness.example\"] td:last-child')";
    assertThat(load(log.url() + "/page/?witness=" + encode(LogServiceTest.WITNESS.verifierKey())))
        .isEqualTo("verified");
    assertThat(browser.string(cell + ".textContent")).contains("key given by you");

    assertThat(load(log.url() + "/page/?witness=garbage")).isEqualTo("failed");
    assertThat(text("summary")).contains("witness key garbage: a verifier key has the form");

    // The witness's line with one bit of its signature flipped on the way.
    HttpServer proxy =
        proxy(
            (uri, body) -> {
              if (!uri.equals(LogClient.CHECKPOINT_PATH)) {
                return body;
              }
              StringBuilder out = new StringBuilder();
              for (String line : body.toString().split("\n", -1)) {
                if (line.startsWith(SignedNote.EM_DASH + " witness.example ")) {
                  String b64 = line.substring(line.lastIndexOf(' ') + 1);
                  byte[] raw = Base64.getDecoder().decode(b64);
                  raw[raw.length - 1] ^= 0x01;
                  line =
                      line.substring(0, line.lastIndexOf(' ') + 1)
                          + Base64.getEncoder().encodeToString(raw);
                }
                out.append(line).append('\n');
              }
              return Buffer.buffer(out.substring(0, out.length() - 1));
            });
    try {
      assertThat(load("http://127.0.0.1:" + proxy.actualPort() + "/page/")).isEqualTo("failed");
      assertThat(state("checkpoint-status")).isEqualTo("verified");
      assertThat(browser.string(cell + ".dataset.state")).isEqualTo("failed");
      assertThat(text("summary"))
          .contains(
              "the cosignature of witness.example: the cosignature by witness.example does not verify");
      assertThat(proofStates()).containsOnly("verified");
    } finally {
      await(proxy.close());
    }
  }

  @Test
  @DisplayName("a new, empty log verifies and says that no release is logged")
  void emptyLogVerifies() throws Exception {
    LogRole.Started empty =
        await(
            LogRole.start(
                vertx, LogServiceTest.options(dir.resolve("empty")), Profile.DEMO, RANDOM));
    assertThat(load(empty.url() + "/page/")).isEqualTo("verified");
    assertThat(text("checkpoint-size")).isEqualTo("0");
    assertThat(text("summary")).contains("0 of 0 entries proven included");
    assertThat(browser.string("document.getElementById('releases').dataset.empty"))
        .isEqualTo("true");
    assertThat(lookup("e", release.measurement())).isEqualTo("not-logged");
    assertThat(browser.problems()).isEmpty();
  }

  private static byte[] keyIdOf(String vkey) {
    return java.util.HexFormat.of().parseHex(vkey.split("\\+")[1]);
  }

  @Test
  @DisplayName("the page's RFC 9162 verifier accepts every proof of trees 1..17 and no altered one")
  void inBrowserVerifierAgreesWithTheJavaTree() throws Exception {
    assertThat(load(log.url() + "/page/")).isEqualTo("verified");
    MerkleTree tree = new MerkleTree();
    JsonArray cases = new JsonArray();
    for (int n = 1; n <= 18; n++) {
      tree.append(Rfc9162.leafHash(new byte[] {(byte) n}));
    }
    for (int n = 1; n <= 17; n++) {
      byte[] root = tree.root(n);
      for (long i = 0; i < n; i++) {
        InclusionProof p = tree.inclusionProof(i, n);
        JsonArray hashes = new JsonArray();
        p.hashes().forEach(h -> hashes.add(b64(h)));
        cases.add(
            new JsonObject()
                .put("index", i)
                .put("size", n)
                .put("leaf", b64(tree.leafHash(i)))
                .put("root", b64(root))
                .put("nextRoot", b64(tree.root(n + 1)))
                .put("hashes", hashes));
      }
    }
    String script =
        "(async () => {"
            + " const v = await import('/page/verify.js');"
            + " const d = (s) => v.base64Decode(s, 'x');"
            + " const ok = async (c, index, size, path, root) => {"
            + "   try { await v.verifyInclusion(BigInt(index), BigInt(size), d(c.leaf),"
            + "     path.map(d), d(root)); return true; } catch (e) {"
            + "     if (!(e instanceof v.VerifyError)) throw e; return false; } };"
            + " const flip = (s) => { const b = d(s); b[0] ^= 1;"
            + "   return btoa(String.fromCharCode(...b)); };"
            + " let accepted = 0, refusedAltered = 0, altered = 0; const wrong = [];"
            + " for (const c of CASES) {"
            + "   if (await ok(c, c.index, c.size, c.hashes, c.root)) accepted++;"
            + "   const bad = [['root', c.index, c.size, c.hashes, flip(c.root)],"
            + "     ['next tree', c.index, c.size + 1, c.hashes, c.nextRoot],"
            + "     ['beyond', c.size, c.size, c.hashes, c.root]];"
            + "   if (c.index > 0) bad.push(['index', c.index - 1, c.size, c.hashes, c.root]);"
            + "   if (c.hashes.length > 0) {"
            + "     bad.push(['short', c.index, c.size, c.hashes.slice(1), c.root]);"
            + "     bad.push(['flip', c.index, c.size,"
            + "       [flip(c.hashes[0]), ...c.hashes.slice(1)], c.root]);"
            + "   }"
            + "   bad.push(['long', c.index, c.size, [...c.hashes, c.root], c.root]);"
            + "   for (const [what, i, n, p, r] of bad) { altered++;"
            + "     if (!(await ok(c, i, n, p, r))) refusedAltered++;"
            + "     else wrong.push(what + ' ' + c.index + '/' + c.size); }"
            + " }"
            + " return {accepted, refusedAltered, altered, total: CASES.length,"
            + "   wrong: wrong.join(', ')};"
            + "})()";
    JsonObject r = (JsonObject) browser.evaluate(script.replace("CASES", cases.encode()));
    assertThat(r.getInteger("accepted")).isEqualTo(r.getInteger("total")).isEqualTo(153);
    assertThat(r.getInteger("refusedAltered"))
        .as("altered proofs accepted: " + r.getString("wrong"))
        .isEqualTo(r.getInteger("altered"));
    assertThat(r.getInteger("altered")).isGreaterThan(600);
  }

  @Test
  @DisplayName("the page's canonical encoding hashes to the log's leaves")
  void canonicalEncodingMatchesTheLog() throws Exception {
    assertThat(load(log.url() + "/page/")).isEqualTo("verified");
    JsonArray list = new JsonArray();
    for (LogEntry e : entries) {
      list.add(
          new JsonObject()
              .put("json", new String(e.encode(), java.nio.charset.StandardCharsets.UTF_8))
              .put("leaf", b64(e.leafHash())));
    }
    // Text fields with quotes, backslashes, slashes and non-ASCII, as a version may hold.
    LogEntry odd =
        new LogEntry.EnclaveRelease(
            "cd".repeat(48), "v\"1\\/é–😀", "c", Instant.parse("2026-01-31T12:00:00Z"));
    list.add(
        new JsonObject()
            .put("json", new String(odd.encode(), java.nio.charset.StandardCharsets.UTF_8))
            .put("leaf", b64(odd.leafHash())));
    String script =
        "(async () => { const v = await import('/page/verify.js'); let same = 0;"
            + " for (const c of LIST) {"
            + "   const leaf = await v.leafHash(new TextEncoder().encode("
            + "     v.canonicalJson(JSON.parse(c.json))));"
            + "   if (v.hex(leaf) === v.hex(v.base64Decode(c.leaf, 'leaf'))) same++; }"
            + " return same; })()";
    Object same = browser.evaluate(script.replace("LIST", list.encode()));
    assertThat(((Number) same).intValue()).isEqualTo(list.size());
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * A loopback proxy in front of the log that passes every GET through, letting {@code alter}
   * rewrite the body of each answer (by request URI). The page loads from it, so every fetch of the
   * page goes through it: the production log has no way to serve altered data.
   */
  private static HttpServer proxy(BiFunction<String, Buffer, Buffer> alter) throws Exception {
    HttpClient client = vertx.createHttpClient();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  String uri = req.uri();
                  client
                      .request(HttpMethod.GET, log.port(), "127.0.0.1", uri)
                      .compose(
                          out ->
                              out.send()
                                  .compose(
                                      (HttpClientResponse resp) ->
                                          resp.body()
                                              .map(
                                                  body -> {
                                                    req.response().setStatusCode(resp.statusCode());
                                                    resp.headers()
                                                        .forEach(
                                                            (k, val) -> {
                                                              if (!k.equalsIgnoreCase(
                                                                      "content-length")
                                                                  && !k.equalsIgnoreCase("etag")) {
                                                                req.response().putHeader(k, val);
                                                              }
                                                            });
                                                    return alter.apply(uri, body);
                                                  })))
                      .onSuccess(b -> req.response().end(b))
                      .onFailure(t -> req.response().setStatusCode(502).end(String.valueOf(t)));
                });
    return await(server.listen(0, "127.0.0.1"));
  }
}
