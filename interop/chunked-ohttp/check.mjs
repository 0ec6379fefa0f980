// Chunked Oblivious HTTP (draft-ietf-ohai-chunked-ohttp-08) written from the draft's text on an
// independent HPKE (hpke-js: @hpke/core, @hpke/dhkem-x25519, @hpke/chacha20poly1305) and an
// independent QUIC varint (quicvarint); HKDF for the response keys from node:crypto. No Java code
// is involved here.
//
//   node check.mjs vectors FILE...   both roles of every vector in FILE, byte for byte
//   node check.mjs seal-request      stdin {key_config, chunks[], final}  -> {request, enc, secret}
//   node check.mjs open-request      stdin {sk_r, key_config, request}    -> {chunks[], final, response}
//                                    (the response echoes the request's chunks, sealed here)
//   node check.mjs open-response     stdin {aead_id, enc, secret, response} -> {chunks[], final}
// Hex everywhere. Exit 0 on success, 1 on a mismatch or refusal (message on stderr), 2 on usage.
import { CipherSuite, HkdfSha256, Aes128Gcm } from "@hpke/core";
import { DhkemX25519HkdfSha256 } from "@hpke/dhkem-x25519";
import { Chacha20Poly1305 } from "@hpke/chacha20poly1305";
import * as varint from "quicvarint";
import { readFileSync } from "node:fs";
import { hkdfSync, webcrypto } from "node:crypto";

const REQUEST_LABEL = "message/bhttp chunked request";
const RESPONSE_LABEL = "message/bhttp chunked response";
const FINAL = new TextEncoder().encode("final");
const EMPTY = new Uint8Array(0);
const NN = 12;
const NT = 16;

const hex = (b) => Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString("hex");
const unhex = (s) => new Uint8Array(Buffer.from(s, "hex"));
const cat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const u16 = (b, i) => (b[i] << 8) | b[i + 1];
const fail = (msg) => { const e = new Error(msg); e.check = true; throw e; };
const same = (what, got, want) => { if (got !== want) fail(`${what}: got ${got}, want ${want}`); };

function suiteFor(kemId, kdfId, aeadId) {
  if (kemId !== 0x0020 || kdfId !== 0x0001) fail(`unsupported KEM/KDF ${kemId}/${kdfId}`);
  const aead = aeadId === 0x0001 ? new Aes128Gcm() : aeadId === 0x0003 ? new Chacha20Poly1305() : fail(`AEAD ${aeadId}`);
  return new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead });
}
const nk = (aeadId) => (aeadId === 0x0001 ? 16 : 32);

// draft section 6.1: info = "message/bhttp chunked request" || 0x00 || hdr
const info = (hdr) => cat(new TextEncoder().encode(REQUEST_LABEL), new Uint8Array([0]), hdr);

// sections 4 and 5: Length (i) || sealed for non-final chunks, 0 || sealed for the final one
function frame(sealed, last) {
  return cat(varint.encode(last ? 0 : sealed.length), sealed);
}
function unframe(bytes, at) {
  const chunks = [];
  while (at < bytes.length) {
    const { value, usize } = varint.read(new DataView(bytes.buffer, bytes.byteOffset), at);
    at += usize;
    if (value === 0) return { chunks, last: bytes.subarray(at) };
    if (at + value > bytes.length) fail("chunk cut short: the stream is incomplete");
    chunks.push(bytes.subarray(at, at + value));
    at += value;
  }
  fail("no final chunk: the stream is incomplete");
}

// section 6.2: the response AEAD key and base nonce. HKDF from node's own crypto (OpenSSL):
// hpke-js's extract() insists on a salt of hash size, and enc || response_nonce is longer.
async function responseKeys(suite, aeadId, secret, enc, responseNonce) {
  const salt = cat(enc, responseNonce);
  const key = new Uint8Array(hkdfSync("sha256", secret, salt, "key", nk(aeadId)));
  const nonce = new Uint8Array(hkdfSync("sha256", secret, salt, "nonce", NN));
  return { aead: suite.aead.createEncryptionContext(key.buffer), nonce };
}
function chunkNonce(base, counter) {
  const n = base.slice();
  let c = BigInt(counter);
  for (let i = n.length - 1; i >= 0 && c > 0n; i--, c >>= 8n) n[i] ^= Number(c & 0xffn);
  return n;
}

async function importKeys(suite, keyConfig, skHex) {
  const pkR = await suite.kem.importKey("raw", keyConfig.slice(3, 35).buffer, true);
  const skR = skHex ? await suite.kem.importKey("raw", unhex(skHex).buffer, false) : undefined;
  return { pkR, skR };
}

async function checkVector(v) {
  const hdr7 = unhex(v.encapsulated_request_header).subarray(0, 7);
  const [kemId, kdfId, aeadId] = [u16(hdr7, 1), u16(hdr7, 3), u16(hdr7, 5)];
  const suite = suiteFor(kemId, kdfId, aeadId);
  const keyConfig = unhex(v.key_config);
  same("key id", hdr7[0], keyConfig[0]);
  const { pkR, skR } = await importKeys(suite, keyConfig, v.server_x25519_secret_key);
  const reqPts = v.request_chunk_plaintexts.map(unhex);
  const reqWire = v.encapsulated_request_chunks.map(unhex);

  // Client role: SetupBaseS with the vector's ephemeral key, then each chunk
  const skE = await suite.kem.importKey("raw", unhex(v.client_ephemeral_secret_key).buffer, false);
  const pkE = await suite.kem.importKey("raw", unhex(v.encapsulated_request_header).slice(7).buffer, true);
  const sender = await suite.createSenderContext({ recipientPublicKey: pkR, info: info(hdr7), ekm: { privateKey: skE, publicKey: pkE } });
  same("enc", hex(sender.enc), v.encapsulated_request_header.slice(14));
  for (let i = 0; i < reqPts.length; i++) {
    const last = i === reqPts.length - 1;
    const sealed = new Uint8Array(await sender.seal(reqPts[i], last ? FINAL : EMPTY));
    same(`request chunk ${i}`, hex(frame(sealed, last)), hex(reqWire[i]));
  }

  // Gateway role: open the whole encapsulated request with our own framing parser
  const request = unhex(v.encapsulated_request);
  const enc = request.slice(7, 39);
  const recipient = await suite.createRecipientContext({ recipientKey: skR, enc: enc.buffer, info: info(request.subarray(0, 7)) });
  const { chunks, last } = unframe(request, 39);
  same("request chunk count", chunks.length + 1, reqPts.length);
  for (let i = 0; i < chunks.length; i++) {
    same(`opened request chunk ${i}`, hex(await recipient.open(chunks[i], EMPTY)), hex(reqPts[i]));
  }
  same("opened final request chunk", hex(await recipient.open(last, FINAL)), hex(reqPts[reqPts.length - 1]));

  // Out of order must fail: a fresh context opening the second chunk first
  if (chunks.length >= 2) {
    const fresh = await suite.createRecipientContext({ recipientKey: skR, enc: enc.buffer, info: info(request.subarray(0, 7)) });
    let refused = false;
    try { await fresh.open(chunks[1], EMPTY); } catch { refused = true; }
    if (!refused) fail("a reordered request chunk opened");
  }

  // Response: export, derive, seal each chunk under the vector's nonce
  const secret = new Uint8Array(await recipient.export(new TextEncoder().encode(RESPONSE_LABEL), Math.max(NN, nk(aeadId))));
  if (v.response_secret_exported) same("response secret", hex(secret), v.response_secret_exported);
  const responseNonce = unhex(v.response_nonce);
  const keys = await responseKeys(suite, aeadId, secret, enc, responseNonce);
  if (v.response_aead_nonce) same("response base nonce", hex(keys.nonce), v.response_aead_nonce);
  const resPts = v.response_chunk_plaintexts.map(unhex);
  const resWire = v.encapsulated_response_chunks.map(unhex);
  for (let i = 0; i < resPts.length; i++) {
    const lastChunk = i === resPts.length - 1;
    const sealed = new Uint8Array(await keys.aead.seal(chunkNonce(keys.nonce, i), resPts[i], lastChunk ? FINAL : EMPTY));
    same(`response chunk ${i}`, hex(frame(sealed, lastChunk)), hex(resWire[i]));
  }
  const opened = await openResponse(suite, aeadId, secret, enc, unhex(v.encapsulated_response));
  same("opened response", JSON.stringify(opened.chunks.concat([opened.final])), JSON.stringify(v.response_chunk_plaintexts));
}

async function openResponse(suite, aeadId, secret, enc, response) {
  const nlen = Math.max(NN, nk(aeadId));
  if (response.length < nlen) fail("response ends inside its nonce: incomplete");
  const keys = await responseKeys(suite, aeadId, secret, enc, response.subarray(0, nlen));
  const { chunks, last } = unframe(response, nlen);
  const out = [];
  for (let i = 0; i < chunks.length; i++) {
    const pt = new Uint8Array(await keys.aead.open(chunkNonce(keys.nonce, i), chunks[i], EMPTY));
    if (pt.length === 0) fail("empty non-final response chunk");
    out.push(hex(pt));
  }
  const final = hex(await keys.aead.open(chunkNonce(keys.nonce, chunks.length), last, FINAL));
  return { chunks: out, final };
}

async function sealRequest({ key_config, chunks, final }) {
  const keyConfig = unhex(key_config);
  const aeadId = u16(keyConfig, 39); // the first (KDF, AEAD) pair after the 2-byte length at 35
  const hdr = cat(keyConfig.subarray(0, 3), keyConfig.subarray(37, 41));
  const suite = suiteFor(u16(hdr, 1), u16(hdr, 3), aeadId);
  const { pkR } = await importKeys(suite, keyConfig);
  const sender = await suite.createSenderContext({ recipientPublicKey: pkR, info: info(hdr) });
  const parts = [hdr, new Uint8Array(sender.enc)];
  for (const c of chunks) parts.push(frame(new Uint8Array(await sender.seal(unhex(c), EMPTY)), false));
  parts.push(frame(new Uint8Array(await sender.seal(unhex(final), FINAL)), true));
  const secret = await sender.export(new TextEncoder().encode(RESPONSE_LABEL), Math.max(NN, nk(aeadId)));
  return { request: hex(cat(...parts)), enc: hex(sender.enc), secret: hex(secret), aead_id: aeadId };
}

async function openRequest({ sk_r, key_config, request }) {
  const req = unhex(request);
  const hdr = req.subarray(0, 7);
  const aeadId = u16(hdr, 5);
  const suite = suiteFor(u16(hdr, 1), u16(hdr, 3), aeadId);
  const { skR } = await importKeys(suite, unhex(key_config), sk_r);
  const enc = req.slice(7, 39);
  const ctx = await suite.createRecipientContext({ recipientKey: skR, enc: enc.buffer, info: info(hdr) });
  const { chunks, last } = unframe(req, 39);
  const opened = [];
  for (const c of chunks) {
    const pt = new Uint8Array(await ctx.open(c, EMPTY));
    if (pt.length === 0) fail("empty non-final request chunk");
    opened.push(pt);
  }
  const final = new Uint8Array(await ctx.open(last, FINAL));
  // Answer with the request's chunks echoed, under a fresh random response nonce.
  const secret = new Uint8Array(await ctx.export(new TextEncoder().encode(RESPONSE_LABEL), Math.max(NN, nk(aeadId))));
  const responseNonce = webcrypto.getRandomValues(new Uint8Array(Math.max(NN, nk(aeadId))));
  const keys = await responseKeys(suite, aeadId, secret, enc, responseNonce);
  const parts = [responseNonce];
  for (let i = 0; i < opened.length; i++) {
    parts.push(frame(new Uint8Array(await keys.aead.seal(chunkNonce(keys.nonce, i), opened[i], EMPTY)), false));
  }
  parts.push(frame(new Uint8Array(await keys.aead.seal(chunkNonce(keys.nonce, opened.length), final, FINAL)), true));
  return { chunks: opened.map(hex), final: hex(final), response: hex(cat(...parts)) };
}

async function main() {
  const [cmd, ...files] = process.argv.slice(2);
  const stdin = () => JSON.parse(readFileSync(0, "utf8"));
  try {
    if (cmd === "vectors" && files.length > 0) {
      for (const f of files) {
        const doc = JSON.parse(readFileSync(f, "utf8"));
        for (const v of doc.vectors ?? [doc]) {
          await checkVector(v);
          console.log(`ok ${f.split("/").pop()} ${v.name ?? "appendix"}: both roles byte for byte`);
        }
      }
    } else if (cmd === "seal-request") {
      console.log(JSON.stringify(await sealRequest(stdin())));
    } else if (cmd === "open-request") {
      console.log(JSON.stringify(await openRequest(stdin())));
    } else if (cmd === "open-response") {
      const { aead_id, enc, secret, response } = stdin();
      const suite = suiteFor(0x0020, 0x0001, aead_id);
      console.log(JSON.stringify(await openResponse(suite, aead_id, unhex(secret), unhex(enc), unhex(response))));
    } else {
      console.error("usage: node check.mjs vectors FILE... | seal-request | open-request | open-response");
      process.exit(2);
    }
  } catch (e) {
    console.error(`chunked-ohttp check: ${e.check ? "" : "refused: "}${e.message}`);
    process.exit(1);
  }
}
await main();
