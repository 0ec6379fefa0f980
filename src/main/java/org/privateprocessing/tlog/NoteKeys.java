package org.privateprocessing.tlog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The golang.org/x/mod/sumdb/note key string formats shared by note signers and cosigners: {@code
 * <name>+<hex8 key id>+<base64(type || key)>}, with {@code PRIVATE+KEY+} before a signing key. Key
 * ids are SHA-256(name || 0x0A || type || public key)[:4].
 */
final class NoteKeys {
  static final byte TYPE_ED25519 = 0x01;
  static final byte TYPE_COSIGNATURE_V1 = 0x04;
  static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

  private NoteKeys() {}

  /** A parsed key string: name, the key id it claims, type and key bytes. */
  record Parsed(String name, byte[] keyId, byte type, byte[] key) {}

  static byte[] keyId(String name, byte type, byte[] publicKey) {
    MessageDigest md = Rfc9162.sha256();
    md.update(name.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0x0A);
    md.update(type);
    md.update(publicKey);
    return Arrays.copyOf(md.digest(), 4);
  }

  /** Key names are non-empty and contain no '+', whitespace or control characters. */
  static boolean validName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '+'
          || Character.isWhitespace(c)
          || Character.isISOControl(c)
          || Character.isSurrogate(c) && !validSurrogate(name, i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  /**
   * Parses {@code <name>+<hex8>+<base64>} (the caller strips any {@code PRIVATE+KEY+} prefix). The
   * key id is returned as written; the caller checks it against the public key.
   */
  static Parsed parse(String s, String what) throws TlogException {
    if (s == null) {
      throw malformed(what + " is missing");
    }
    // The base64 key may itself contain '+': split at the first two only (as golang's note does).
    int a = s.indexOf('+');
    int b = a < 0 ? -1 : s.indexOf('+', a + 1);
    if (b < 0) {
      throw malformed(what + " must have the form <name>+<hex key id>+<base64 key>");
    }
    String[] parts = {s.substring(0, a), s.substring(a + 1, b), s.substring(b + 1)};
    String name = parts[0];
    if (!validName(name)) {
      throw malformed(what + " has an invalid key name");
    }
    if (parts[1].length() != 8 || !parts[1].chars().allMatch(NoteKeys::isLowerHex)) {
      throw malformed(what + " key id must be 8 lowercase hex digits");
    }
    byte[] id = HexFormat.of().parseHex(parts[1]);
    byte[] raw = base64Strict(parts[2], what + " key");
    if (raw.length < 1) {
      throw malformed(what + " key is empty");
    }
    return new Parsed(name, id, raw[0], Arrays.copyOfRange(raw, 1, raw.length));
  }

  static String encode(String name, byte[] keyId, byte type, byte[] key) {
    byte[] raw = new byte[1 + key.length];
    raw[0] = type;
    System.arraycopy(key, 0, raw, 1, key.length);
    return name
        + "+"
        + HexFormat.of().formatHex(keyId)
        + "+"
        + Base64.getEncoder().encodeToString(raw);
  }

  /** Standard base64 with padding, canonical only (re-encoding gives the same string). */
  static byte[] base64Strict(String s, String what) throws TlogException {
    byte[] out;
    try {
      out = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw malformed(what + " is not valid base64");
    }
    if (!Base64.getEncoder().encodeToString(out).equals(s)) {
      throw malformed(what + " is not canonical padded base64");
    }
    return out;
  }

  static void checkKeyId(Parsed p, byte[] publicKey, String what) throws TlogException {
    byte[] want = keyId(p.name(), p.type(), publicKey);
    if (!MessageDigest.isEqual(want, p.keyId())) {
      throw malformed(what + " key id does not match its name and public key");
    }
  }

  private static boolean isLowerHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  static TlogException malformed(String msg) {
    return new TlogException(TlogException.Reason.MALFORMED, msg);
  }
}
