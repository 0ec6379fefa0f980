// Verification of the transparency log in the browser, with WebCrypto only (no library, no
// network): C2SP signed-note keys and signatures (Ed25519), cosignature/v1 witness cosignatures,
// C2SP checkpoints, the log's canonical entry encoding and RFC 9162 inclusion proofs (SHA-256).
// Every function either returns what it checked or throws a VerifyError saying what failed.
// Formats: docs/TRANSPARENCY.md; Java counterparts in org.privateprocessing.tlog.

export class VerifyError extends Error {}

const ENCODER = new TextEncoder();
const EM_DASH = '\u2014';
const KEY_TYPE_ED25519 = 0x01; // c2sp.org/signed-note
const KEY_TYPE_COSIGNATURE_V1 = 0x04; // c2sp.org/tlog-cosignature
const HASH_LENGTH = 32;

function fail(message) {
  throw new VerifyError(message);
}

/** Whether this page can verify at all: WebCrypto exists only in a secure context. */
export function cryptoAvailable() {
  return typeof crypto !== 'undefined' && crypto.subtle !== undefined && globalThis.isSecureContext;
}

/** Bytes of standard or URL-safe base64, padded or not; throws on anything else. */
export function base64Decode(s, what) {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) {
    fail(what + ' is not base64');
  }
  let t = s.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (t.length % 4 === 1) {
    fail(what + ' is not base64 (wrong length)');
  }
  t += '='.repeat((4 - (t.length % 4)) % 4);
  let bin;
  try {
    bin = atob(t);
  } catch (e) {
    fail(what + ' is not base64');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) {
    out[i] = bin.charCodeAt(i);
  }
  return out;
}

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function concat(...parts) {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equalBytes(a, b) {
  if (a.length !== b.length) {
    return false;
  }
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    d |= a[i] ^ b[i];
  }
  return d === 0;
}

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

// ---- signed-note keys ----------------------------------------------------------------------

/** The 4-byte key id of a signed-note key: SHA-256(name || 0x0A || type || public key)[:4]. */
export async function keyId(name, type, publicKey) {
  const d = await sha256(concat(ENCODER.encode(name + '\n'), Uint8Array.of(type), publicKey));
  return d.slice(0, 4);
}

/**
 * Parses a verifier key {@code <name>+<hex8>+<base64(type || 32-byte Ed25519 key)>} of the given
 * type and checks that its key id belongs to its name and key.
 */
export async function parseVerifierKey(vkey, type = KEY_TYPE_ED25519) {
  if (typeof vkey !== 'string') {
    fail('the verifier key is missing');
  }
  const s = vkey.trim();
  // The base64 key may itself hold '+': split at the first '+' and the one 8 digits later.
  const at = s.indexOf('+');
  if (at < 0 || s.charAt(at + 9) !== '+') {
    fail('a verifier key has the form <name>+<8 hex digits>+<base64 key>');
  }
  const name = s.substring(0, at);
  const idHex = s.substring(at + 1, at + 9);
  const b64 = s.substring(at + 10);
  if (name.length === 0 || /[\s+]/.test(name)) {
    fail('the verifier key has an empty name or one with spaces');
  }
  if (!/^[0-9a-f]{8}$/.test(idHex)) {
    fail('the verifier key id must be 8 lower-case hex digits');
  }
  const raw = base64Decode(b64, 'the verifier key');
  if (raw.length !== 33 || raw[0] !== type) {
    fail(
      'the verifier key is not an ' +
        (type === KEY_TYPE_ED25519 ? 'Ed25519 note key (type 0x01)' : 'cosignature/v1 key (type 0x04)')
    );
  }
  const publicKey = raw.slice(1);
  const id = await keyId(name, type, publicKey);
  if (hex(id) !== idHex) {
    fail('the verifier key id ' + idHex + ' does not belong to its name and key (' + hex(id) + ')');
  }
  let cryptoKey;
  try {
    cryptoKey = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, [
      'verify',
    ]);
  } catch (e) {
    fail('this browser cannot use Ed25519 keys in WebCrypto (' + e.name + ')');
  }
  return { text: s, name, id, idHex, publicKey, cryptoKey, type };
}

// ---- signed notes and checkpoints ----------------------------------------------------------

/** Splits a C2SP signed note into its text and signature lines (name, key id, signature bytes). */
export function parseSignedNote(note) {
  if (typeof note !== 'string' || note.length === 0) {
    fail('the checkpoint is empty');
  }
  const split = note.lastIndexOf('\n\n');
  if (split < 0) {
    fail('the checkpoint has no blank line before its signatures');
  }
  const text = note.substring(0, split + 1);
  const block = note.substring(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) {
    fail('the checkpoint has no signature lines, or the last one does not end with a newline');
  }
  const signatures = block
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
      if (!m) {
        fail('signature line ' + (i + 1) + ' of the checkpoint is not "' + EM_DASH + ' <name> <base64>"');
      }
      const raw = base64Decode(m[2], 'signature line ' + (i + 1));
      if (raw.length < 5) {
        fail('signature line ' + (i + 1) + ' is too short');
      }
      return { name: m[1], id: raw.slice(0, 4), signature: raw.slice(4), line };
    });
  return { text, signatures };
}

/** Parses a C2SP checkpoint body: origin, decimal size, base64 root hash, extension lines. */
export function parseCheckpoint(text) {
  const lines = text.split('\n');
  lines.pop(); // the text ends with a newline
  if (lines.length < 3) {
    fail('the checkpoint body needs an origin, a size and a root hash');
  }
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (!/^(0|[1-9][0-9]{0,18})$/.test(sizeLine)) {
    fail('the checkpoint size is not a decimal number');
  }
  const root = base64Decode(rootLine, 'the checkpoint root hash');
  if (root.length !== HASH_LENGTH) {
    fail('the checkpoint root hash is not 32 bytes');
  }
  return { origin, size: BigInt(sizeLine), root, extensions };
}

/**
 * Verifies the log's signature on a signed note with the verifier key: a line with the key's name
 * and id whose Ed25519 signature over the note text verifies.
 */
export async function verifyNoteSignature(note, key) {
  const line = note.signatures.find((s) => s.name === key.name && equalBytes(s.id, key.id));
  if (!line) {
    fail('the checkpoint carries no signature by the key ' + key.name + '+' + key.idHex);
  }
  if (line.signature.length !== 64) {
    fail('the log signature is not 64 bytes');
  }
  const ok = await crypto.subtle.verify(
    { name: 'Ed25519' },
    key.cryptoKey,
    line.signature,
    ENCODER.encode(note.text)
  );
  if (!ok) {
    fail('the log signature on the checkpoint does not verify with key ' + key.name + '+' + key.idHex);
  }
  return line;
}

/**
 * Verifies a witness's cosignature/v1 line over the checkpoint body: 8-byte big-endian time, then
 * Ed25519 over "cosignature/v1\ntime <t>\n" + body. Returns the time as a Date.
 */
export async function verifyCosignature(note, line, key) {
  if (line.name !== key.name || !equalBytes(line.id, key.id)) {
    fail('the cosignature is not by this witness key');
  }
  if (line.signature.length !== 72) {
    fail('a cosignature/v1 value is 8 + 64 bytes');
  }
  const view = new DataView(line.signature.buffer, line.signature.byteOffset, 8);
  const seconds = view.getBigUint64(0);
  if (seconds >= 2n ** 63n) {
    fail('the cosignature time is out of range');
  }
  const message = ENCODER.encode('cosignature/v1\ntime ' + seconds + '\n' + note.text);
  const ok = await crypto.subtle.verify(
    { name: 'Ed25519' },
    key.cryptoKey,
    line.signature.slice(8),
    message
  );
  if (!ok) {
    fail('the cosignature by ' + key.name + ' does not verify');
  }
  return new Date(Number(seconds) * 1000);
}

export const COSIGNATURE_V1 = KEY_TYPE_COSIGNATURE_V1;

// ---- entries and proofs --------------------------------------------------------------------

const SHORT_ESCAPES = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r' };

/**
 * A JSON string exactly as the log's encoder (Jackson) writes it: quote and backslash escaped,
 * \b \t \n \f \r, other control characters and every UTF-16 surrogate (so characters beyond
 * U+FFFF, as a pair) as \uXXXX with upper-case hex; everything else as UTF-8. JSON.stringify
 * differs: it writes characters beyond U+FFFF raw and its escapes in lower case.
 */
function jsonString(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      out += '\\"';
    } else if (c === 0x5c) {
      out += '\\\\';
    } else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) {
      out += SHORT_ESCAPES[c] || '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    } else {
      out += s[i];
    }
  }
  return out + '"';
}

/**
 * The log's canonical encoding of an entry (keys sorted, no whitespace, strings as {@link
 * jsonString}, UTF-8): what the log stores and hashes. Entries hold only strings and integers.
 */
export function canonicalJson(v) {
  if (Array.isArray(v)) {
    return '[' + v.map(canonicalJson).join(',') + ']';
  }
  if (v !== null && typeof v === 'object') {
    return (
      '{' +
      Object.keys(v)
        .sort()
        .map((k) => jsonString(k) + ':' + canonicalJson(v[k]))
        .join(',') +
      '}'
    );
  }
  if (typeof v === 'string') {
    return jsonString(v);
  }
  if (typeof v === 'number' && !Number.isSafeInteger(v)) {
    fail('an entry holds a number that is not a safe integer');
  }
  return JSON.stringify(v);
}

/** RFC 9162 leaf hash: SHA-256(0x00 || entry bytes). */
export async function leafHash(entryBytes) {
  return sha256(concat(Uint8Array.of(0), entryBytes));
}

async function nodeHash(left, right) {
  return sha256(concat(Uint8Array.of(1), left, right));
}

/**
 * RFC 9162 section 2.1.3.2: verifies that the leaf hash is at leafIndex in the tree of treeSize
 * whose root is root, with the audit path. Indices are BigInts.
 */
export async function verifyInclusion(leafIndex, treeSize, leaf, path, root) {
  if (leafIndex < 0n || leafIndex >= treeSize) {
    fail('leaf index ' + leafIndex + ' is not below the tree size ' + treeSize);
  }
  let fn = leafIndex;
  let sn = treeSize - 1n;
  let r = leaf;
  for (const p of path) {
    if (p.length !== HASH_LENGTH) {
      fail('a proof hash is not 32 bytes');
    }
    if (sn === 0n) {
      fail('the inclusion proof is longer than the tree allows');
    }
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) {
    fail('the inclusion proof is shorter than the tree needs');
  }
  if (!equalBytes(r, root)) {
    fail('the inclusion proof does not lead to the checkpoint root');
  }
  return true;
}

/**
 * Verifies one entry as the log served it against a verified checkpoint: re-encodes it
 * canonically, hashes it, and checks the proof JSON ({"leafIndex","treeSize","hashes"}).
 */
export async function verifyEntry(entry, index, proof, checkpoint) {
  if (
    proof === null ||
    typeof proof !== 'object' ||
    !Array.isArray(proof.hashes) ||
    !Number.isSafeInteger(proof.leafIndex) ||
    !Number.isSafeInteger(proof.treeSize)
  ) {
    fail('the inclusion proof is not {"leafIndex","treeSize","hashes"}');
  }
  if (BigInt(proof.leafIndex) !== BigInt(index) || BigInt(proof.treeSize) !== checkpoint.size) {
    fail('the inclusion proof is for another leaf or tree size');
  }
  const leaf = await leafHash(ENCODER.encode(canonicalJson(entry)));
  const path = proof.hashes.map((h, i) => base64Decode(h, 'proof hash ' + i));
  await verifyInclusion(BigInt(index), checkpoint.size, leaf, path, checkpoint.root);
  return leaf;
}
