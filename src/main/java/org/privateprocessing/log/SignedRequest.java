package org.privateprocessing.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.privateprocessing.tlog.LogEntry;
import org.privateprocessing.tlog.PublisherKeys;
import org.privateprocessing.tlog.TlogException;

/**
 * A publisher's signed append request, stored with the entry it added (as the entry's authorization
 * record in {@code entries.log}). A checkpoint covers entries by the log's own signature; an entry
 * that reached the file but no checkpoint (a crash in between, or bytes added behind the log's
 * back) is signed at the next start only if this request still verifies with a configured publisher
 * key and yields exactly that entry.
 *
 * <p>Encoding, UTF-8, every line newline-terminated: {@code publisher-signature/v1}, {@code keyName
 * <name>}, {@code signature <base64url>}, and {@code body <base64url>} only when the signed body is
 * not the entry's canonical encoding (the log stores the canonical one).
 *
 * @param body the signed request body when it differs from the stored entry, else null
 */
record SignedRequest(String keyName, byte[] signature, byte[] body) {
  static final String HEADER = "publisher-signature/v1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  SignedRequest {
    if (keyName == null
        || keyName.isEmpty()
        || keyName.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException("key name must be visible characters without spaces");
    }
    if (signature == null || signature.length == 0) {
      throw new IllegalArgumentException("signature must not be empty");
    }
    signature = signature.clone();
    body = body == null ? null : body.clone();
  }

  /** The request as the log received it, keeping {@code body} only if it is not {@code entry}. */
  static SignedRequest of(String keyName, byte[] signature, byte[] body, byte[] entry) {
    return new SignedRequest(keyName, signature, Arrays.equals(body, entry) ? null : body);
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public byte[] body() {
    return body == null ? null : body.clone();
  }

  byte[] encode() {
    StringBuilder sb =
        new StringBuilder(HEADER)
            .append("\nkeyName ")
            .append(keyName)
            .append("\nsignature ")
            .append(B64.encodeToString(signature))
            .append('\n');
    if (body != null) {
      sb.append("body ").append(B64.encodeToString(body)).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses an encoded request strictly.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static SignedRequest parse(byte[] encoded) {
    String text = new String(encoded, StandardCharsets.UTF_8);
    if (!Arrays.equals(text.getBytes(StandardCharsets.UTF_8), encoded) || !text.endsWith("\n")) {
      throw new IllegalArgumentException("not newline-terminated UTF-8 text");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if ((lines.length != 3 && lines.length != 4) || !lines[0].equals(HEADER)) {
      throw new IllegalArgumentException("not a " + HEADER + " record");
    }
    String name = field(lines[1], "keyName");
    byte[] sig = base64(field(lines[2], "signature"), "signature");
    byte[] body = lines.length == 4 ? base64(field(lines[3], "body"), "body") : null;
    return new SignedRequest(name, sig, body);
  }

  private static String field(String line, String name) {
    if (!line.startsWith(name + " ") || line.length() == name.length() + 1) {
      throw new IllegalArgumentException("expected a " + name + " line");
    }
    return line.substring(name.length() + 1);
  }

  private static byte[] base64(String s, String name) {
    try {
      byte[] b = Base64.getUrlDecoder().decode(s);
      if (!B64.encodeToString(b).equals(s)) {
        throw new IllegalArgumentException(name + " is not canonical base64url");
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is not canonical base64url");
    }
  }

  /**
   * Why this request does not authorize {@code entry}, or empty when it does: its key is one of
   * {@code publishers}, the signature verifies over the body, and the body is that entry.
   */
  Optional<String> problem(Map<String, PublisherKeys.Verifier> publishers, byte[] entry) {
    PublisherKeys.Verifier key = publishers.get(keyName);
    if (key == null) {
      return Optional.of(
          "it is signed by publisher key '" + keyName + "', which log.publisherKeys does not list");
    }
    byte[] signed = body == null ? entry : body;
    if (!key.verify(signed, signature)) {
      return Optional.of("the signature of publisher key '" + keyName + "' does not verify");
    }
    try {
      if (!Arrays.equals(LogEntry.parse(signed).encode(), entry)) {
        return Optional.of("the signed request is another entry than the one stored");
      }
    } catch (TlogException e) {
      return Optional.of("the signed request is not a log entry (" + e.getMessage() + ")");
    }
    return Optional.empty();
  }
}
