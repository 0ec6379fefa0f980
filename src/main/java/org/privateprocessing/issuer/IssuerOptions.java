package org.privateprocessing.issuer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.privateprocessing.core.Defaults;

/**
 * Issuer settings ({@code "issuer"} section of a role config).
 *
 * @param name the issuer name that gateways put in their token challenges (RFC 9577 section 2.1)
 * @param accounts SHA-256 (hex) of each account's bearer credential -> account id; credentials are
 *     never stored in the clear. Credentials must be high-entropy secrets (e.g. 32 random bytes),
 *     which is why a fast hash is enough
 * @param tokensPerWindow how many tokens one account may get per {@code window}
 * @param tokenTypes token types offered, preferred first (2 = Blind RSA, 1 = VOPRF P-384)
 * @param failedAuthentications how many wrong credentials a source, and all sources together, may
 *     send before the issuer makes them wait ({@link FailedAuthThrottle})
 * @param keyDir where the issuer's keys are kept, one owner-only file per key, shared by every
 *     replica ({@code "keyDir"}; the node's default is {@code <dataDir>/issuer-keys}); null keeps
 *     them in memory only (tests)
 * @param makeKeys whether this replica makes missing keys (default true); false on hosts that get a
 *     copy of the key directory from the one host that makes them (docs/OPERATIONS.md, Keys)
 */
public record IssuerOptions(
    String host,
    int port,
    String name,
    Map<String, String> accounts,
    int tokensPerWindow,
    Duration window,
    Duration keyLifetime,
    Duration keyGrace,
    List<Integer> tokenTypes,
    int maxBodyBytes,
    FailedAuthThrottle.Limits failedAuthentications,
    java.nio.file.Path keyDir,
    boolean makeKeys) {
  public static final int DEFAULT_PORT = Defaults.ISSUER_PORT;

  /** SHA-256("demo"): the all-in-one demo account. Demo only: anyone can read it here. */
  public static final String DEMO_CREDENTIAL_SHA256 =
      "2a97516c354b68848cdbd8f54a226a0a55b21ed138e207ad6c5cbb9c00aa5aea";

  public IssuerOptions {
    accounts = Map.copyOf(accounts);
    tokenTypes = List.copyOf(tokenTypes);
    if (tokenTypes.isEmpty()) {
      throw new IllegalArgumentException("issuer.tokenTypes: at least one token type");
    }
  }

  public static IssuerOptions fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    String host = j.getString("host", "127.0.0.1");
    int port = j.getInteger("port", DEFAULT_PORT);
    Map<String, String> accounts = new LinkedHashMap<>();
    JsonArray list =
        j.getJsonArray(
            "accounts",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("id", "demo")
                        .put("credentialSha256", DEMO_CREDENTIAL_SHA256)));
    for (int i = 0; i < list.size(); i++) {
      JsonObject a = list.getJsonObject(i);
      String hash = a.getString("credentialSha256", "");
      if (!hash.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException(
            "issuer.accounts[" + i + "].credentialSha256: 64 lower-case hex digits");
      }
      accounts.put(hash, a.getString("id", "account-" + i));
    }
    List<Integer> types = new ArrayList<>();
    j.getJsonArray("tokenTypes", new JsonArray().add(2).add(1))
        .forEach(t -> types.add(((Number) t).intValue()));
    for (int t : types) {
      if (t != 1 && t != 2) {
        throw new IllegalArgumentException(
            "issuer.tokenTypes: " + t + " is not supported (1 or 2)");
      }
    }
    long lifetime = j.getLong("keyLifetimeSeconds", 86_400L);
    return new IssuerOptions(
        host,
        port,
        j.getString("name", "issuer.private-processing.local"),
        accounts,
        j.getInteger("tokensPerWindow", 1_000),
        Duration.ofSeconds(j.getLong("windowSeconds", 3_600L)),
        Duration.ofSeconds(lifetime),
        Duration.ofSeconds(j.getLong("keyGraceSeconds", lifetime / 4)),
        types,
        j.getInteger("maxBodyBytes", 4_096),
        FailedAuthThrottle.Limits.fromJson(j.getJsonObject("failedAuthentications")),
        j.getString("keyDir") == null ? null : java.nio.file.Path.of(j.getString("keyDir")),
        j.getBoolean("makeKeys", true));
  }

  public IssuerOptions withPort(int newPort) {
    return new IssuerOptions(
        host,
        newPort,
        name,
        accounts,
        tokensPerWindow,
        window,
        keyLifetime,
        keyGrace,
        tokenTypes,
        maxBodyBytes,
        failedAuthentications,
        keyDir,
        makeKeys);
  }

  /** The same settings with keys kept in {@code dir} unless {@code keyDir} names a place. */
  public IssuerOptions withDefaultKeyDir(java.nio.file.Path dir) {
    return new IssuerOptions(
        host,
        port,
        name,
        accounts,
        tokensPerWindow,
        window,
        keyLifetime,
        keyGrace,
        tokenTypes,
        maxBodyBytes,
        failedAuthentications,
        keyDir != null ? keyDir : dir,
        makeKeys);
  }

  static String sha256Hex(String credential) {
    try {
      return HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(credential.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
