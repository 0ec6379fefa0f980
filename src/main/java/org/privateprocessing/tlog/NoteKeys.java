package org.privateprocessing.tlog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The golang.org/x/mod/sumdb/note key string formats shared by note signers and cosigners: {@code
 * <name>+<hex8 key id>+<base64(type || key)>}, with {@code PRIVATE+KEY+} before a signing key. Key
 * ids are SHA-256(name || 0x0A || type || public key)[:4].
 *
 * <p>{@link SigningKey} and {@link VerifierKey} are the one implementation of an Ed25519 key of
 * either {@link Type}: {@link NoteSigner} and {@link CosignatureSigner} (and {@link NoteVerifier}
 * and {@link CosignatureVerifier}) differ only in the type byte and in the message they sign, so
 * each wraps one of these and builds its own message.
 */
final class NoteKeys {
  static final byte TYPE_ED25519 = 0x01;
  static final byte TYPE_COSIGNATURE_V1 = 0x04;
  static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

  private NoteKeys() {}

  /** The two Ed25519 key types, and the words their error messages use for each key string. */
  enum Type {
    /** A signed-note key (golang.org/x/mod/sumdb/note): it signs the note text. */
    ED25519(TYPE_ED25519, "Ed25519 (0x01)", "signing key", "verifier key"),
    /**
     * A witness's cosigner key (c2sp.org/tlog-cosignature): it signs a timestamped message that
     * ends in the checkpoint body.
     */
    COSIGNATURE_V1(
        TYPE_COSIGNATURE_V1, "cosignature/v1 (0x04)", "cosigner key", "cosigner verifier key");

    final byte code;
    private final String label;
    private final String signingKey;
    private final String verifierKey;

    Type(byte code, String label, String signingKey, String verifierKey) {
      this.code = code;
      this.label = label;
      this.signingKey = signingKey;
      this.verifierKey = verifierKey;
    }
  }

  /**
   * An Ed25519 signing key of one {@link Type}, with its name and key id. {@link #toString()} names
   * the key, never shows it.
   */
  static final class SigningKey {
    private final Type type;
    private final String name;
    private final Ed25519PrivateKeyParameters key;
    private final byte[] publicKey;
    private final byte[] keyId;

    private SigningKey(Type type, String name, Ed25519PrivateKeyParameters key) {
      this.type = type;
      this.name = name;
      this.key = key;
      this.publicKey = key.generatePublicKey().getEncoded();
      this.keyId = NoteKeys.keyId(name, type.code, publicKey);
    }

    /** A fresh key named {@code name}. */
    static SigningKey generate(Type type, String name, SecureRandom random) {
      if (!validName(name)) {
        throw new IllegalArgumentException("invalid key name");
      }
      return new SigningKey(
          type, name, new Ed25519PrivateKeyParameters(Objects.requireNonNull(random)));
    }

    /**
     * Parses {@code PRIVATE+KEY+<name>+<hex8>+<base64(type || seed)>} and checks its key id.
     *
     * @throws TlogException MALFORMED for any other form, another key type or a wrong key id
     */
    static SigningKey parse(Type type, String skey) throws TlogException {
      String what = type.signingKey;
      if (skey == null || !skey.startsWith(PRIVATE_PREFIX)) {
        throw malformed(what + " must start with " + PRIVATE_PREFIX);
      }
      Parsed p = NoteKeys.parse(skey.substring(PRIVATE_PREFIX.length()), what);
      if (p.type() != type.code) {
        throw malformed(what + " type is not " + type.label);
      }
      if (p.key().length != Ed25519Keys.SEED_LENGTH) {
        throw malformed(what + " seed is not 32 bytes");
      }
      SigningKey key = new SigningKey(type, p.name(), new Ed25519PrivateKeyParameters(p.key(), 0));
      checkKeyId(p, key.publicKey, what);
      return key;
    }

    /** The signing key string (secret: store it like a private key). */
    String encode() {
      return PRIVATE_PREFIX + NoteKeys.encode(name, keyId, type.code, key.getEncoded());
    }

    /** The verifier key string {@code <name>+<hex8>+<base64(type || public key)>}. */
    String verifierKey() {
      return NoteKeys.encode(name, keyId, type.code, publicKey);
    }

    /** The verifier of this key's own verifier key string. */
    VerifierKey verifier() {
      try {
        return VerifierKey.parse(type, verifierKey());
      } catch (TlogException e) {
        throw new IllegalStateException("own verifier key does not parse", e);
      }
    }

    /** The Ed25519 signature over exactly {@code message}. */
    byte[] sign(byte[] message) {
      return Ed25519Keys.sign(key, message);
    }

    String name() {
      return name;
    }

    byte[] keyId() {
      return keyId.clone();
    }

    @Override
    public String toString() {
      return name + "+" + Hashes.hex(keyId);
    }
  }

  /** An Ed25519 verifier key of one {@link Type}, with its name and key id. */
  static final class VerifierKey {
    private final String name;
    private final byte[] keyId;
    private final Ed25519PublicKeyParameters key;
    private final String encoded;

    private VerifierKey(String name, byte[] keyId, Ed25519PublicKeyParameters key, String encoded) {
      this.name = name;
      this.keyId = keyId;
      this.key = key;
      this.encoded = encoded;
    }

    /**
     * Parses {@code <name>+<hex8>+<base64(type || public key)>} and checks that its key id matches
     * its name and public key.
     *
     * @throws TlogException MALFORMED for a bad form, another key type or a wrong key id
     */
    static VerifierKey parse(Type type, String vkey) throws TlogException {
      String what = type.verifierKey;
      Parsed p = NoteKeys.parse(vkey, what);
      if (p.type() != type.code) {
        throw malformed(what + " type is not " + type.label);
      }
      Ed25519PublicKeyParameters key = Ed25519Keys.publicKey(p.key());
      checkKeyId(p, p.key(), what);
      return new VerifierKey(p.name(), p.keyId(), key, vkey);
    }

    /** Whether {@code signature} is this key's Ed25519 signature over exactly {@code message}. */
    boolean verify(byte[] message, byte[] signature) {
      return Ed25519Keys.verify(key, message, signature);
    }

    /** Whether a signature line names this key (name and key id). */
    boolean matches(NoteSignature s) {
      return name.equals(s.keyName()) && Arrays.equals(keyId, s.keyId());
    }

    String name() {
      return name;
    }

    byte[] keyId() {
      return keyId.clone();
    }

    /** The verifier key string, as parsed. */
    String encode() {
      return encoded;
    }

    @Override
    public String toString() {
      return name + "+" + Hashes.hex(keyId);
    }
  }

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
