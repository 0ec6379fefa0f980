package org.privateprocessing.token;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The issuer directory, RFC 9578 section 4, served at {@value MediaTypes#ISSUER_DIRECTORY_PATH} as
 * {@value #MEDIA_TYPE}:
 *
 * <pre>
 * {
 *   "issuer-request-uri": "https://issuer.example.net/request",
 *   "token-keys": [ { "token-type": 2, "token-key": "MI...AB", "not-before": 1686913811 } ]
 * }
 * </pre>
 *
 * Keys keep their order (earlier keys are preferred, section 4). Keys of types this package does
 * not implement are kept: the directory is data, the consumer picks. Unknown members are ignored.
 */
public record IssuerDirectory(String issuerRequestUri, List<TokenKey> tokenKeys) {
  public static final String MEDIA_TYPE = "application/private-token-issuer-directory";

  // Duplicate members would let two readers of the same directory disagree on its keys.
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** A "token-keys" entry; {@code notBefore} is a Unix time in seconds, null when absent. */
  public record TokenKey(int tokenType, byte[] tokenKey, Long notBefore) {
    public TokenKey {
      if (tokenType < 0 || tokenType > 0xFFFF) {
        throw new IllegalArgumentException("token type is a 16-bit value");
      }
      Objects.requireNonNull(tokenKey, "tokenKey");
      if (tokenKey.length == 0) {
        throw new IllegalArgumentException("token key must not be empty");
      }
      if (notBefore != null && notBefore < 0) {
        throw new IllegalArgumentException("not-before must not be negative");
      }
      tokenKey = tokenKey.clone();
    }

    @Override
    public byte[] tokenKey() {
      return tokenKey.clone();
    }

    /** Whether the key may be used at {@code nowSeconds} (no not-before, or not-before reached). */
    public boolean isUsableAt(long nowSeconds) {
      return notBefore == null || nowSeconds >= notBefore;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TokenKey k
          && tokenType == k.tokenType
          && Arrays.equals(tokenKey, k.tokenKey)
          && Objects.equals(notBefore, k.notBefore);
    }

    @Override
    public int hashCode() {
      return Objects.hash(tokenType, Arrays.hashCode(tokenKey), notBefore);
    }

    @Override
    public String toString() {
      return "TokenKey[type="
          + TokenTypes.hex(tokenType)
          + ", "
          + tokenKey.length
          + " bytes, notBefore="
          + notBefore
          + "]";
    }
  }

  public IssuerDirectory {
    Objects.requireNonNull(issuerRequestUri, "issuerRequestUri");
    if (issuerRequestUri.isEmpty()) {
      throw new IllegalArgumentException("issuer request URI must not be empty");
    }
    tokenKeys = List.copyOf(tokenKeys);
  }

  /** The keys of one token type, in the directory's order of preference. */
  public List<TokenKey> keysOfType(int tokenType) {
    return tokenKeys.stream().filter(k -> k.tokenType() == tokenType).toList();
  }

  /** Parses a directory; MALFORMED on bad JSON, missing or mistyped members, bad base64url. */
  public static IssuerDirectory parse(byte[] json) throws TokenException {
    Objects.requireNonNull(json, "json");
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw malformed("not JSON");
    }
    if (root == null || !root.isObject()) {
      throw malformed("not a JSON object");
    }
    JsonNode uri = root.get("issuer-request-uri");
    if (uri == null || !uri.isTextual() || uri.asText().isEmpty()) {
      throw malformed("issuer-request-uri must be a non-empty string");
    }
    try {
      new URI(uri.asText());
    } catch (URISyntaxException e) {
      throw malformed("issuer-request-uri is not a URI");
    }
    JsonNode keys = root.get("token-keys");
    if (keys == null || !keys.isArray()) {
      throw malformed("token-keys must be an array");
    }
    List<TokenKey> tokenKeys = new ArrayList<>(keys.size());
    for (JsonNode k : keys) {
      if (!k.isObject()) {
        throw malformed("token-keys entries must be objects");
      }
      JsonNode type = k.get("token-type");
      if (type == null
          || !type.isIntegralNumber()
          || !type.canConvertToInt()
          || type.intValue() < 0
          || type.intValue() > 0xFFFF) {
        throw malformed("token-type must be an integer 0..65535");
      }
      JsonNode key = k.get("token-key");
      if (key == null || !key.isTextual()) {
        throw malformed("token-key must be a string");
      }
      byte[] keyBytes = Base64Url.decode(key.asText());
      if (keyBytes.length == 0) {
        throw malformed("token-key must not be empty");
      }
      Long notBefore = null;
      JsonNode nb = k.get("not-before");
      if (nb != null && !nb.isNull()) {
        if (!nb.isIntegralNumber() || !nb.canConvertToLong() || nb.longValue() < 0) {
          throw malformed("not-before must be a non-negative integer");
        }
        notBefore = nb.longValue();
      }
      tokenKeys.add(new TokenKey(type.intValue(), keyBytes, notBefore));
    }
    return new IssuerDirectory(uri.asText(), tokenKeys);
  }

  /** The JSON encoding; token keys are padded base64url, as RFC 9578 section 4 specifies. */
  public byte[] encode() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("issuer-request-uri", issuerRequestUri);
    ArrayNode keys = root.putArray("token-keys");
    for (TokenKey k : tokenKeys) {
      ObjectNode o = keys.addObject();
      o.put("token-type", k.tokenType());
      o.put("token-key", Base64Url.encodePadded(k.tokenKey));
      if (k.notBefore() != null) {
        o.put("not-before", k.notBefore().longValue());
      }
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  private static TokenException malformed(String what) {
    return new TokenException(TokenException.Reason.MALFORMED, "issuer directory: " + what);
  }
}
