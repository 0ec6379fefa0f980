#!/usr/bin/env node
// Independent Privacy Pass client built only on Cloudflare's @cloudflare/privacypass-ts (0.9.0).
// It takes a gateway's WWW-Authenticate value, picks the challenge of the requested token type,
// obtains a token from the issuer with the library's issuance flow and prints the token
// (base64url of the RFC 9577 Token structure, i.e. the Authorization header's token value).
//
// Usage: node client.mjs --issuer http://127.0.0.1:PORT [--type 2|1] [--bearer demo] [WWW-Authenticate value]
//   The WWW-Authenticate value is read from stdin when it is not given as an argument.
//   --type 2 (default): Blind RSA, publicly verifiable (RFC 9578 section 6), token verified locally
//                       against the challenge's token-key with the library's Origin.verify.
//   --type 1:           VOPRF (P-384, SHA-384), privately verifiable (RFC 9578 section 5); the
//                       library's finalize checks the issuer's DLEQ proof against the token-key.
// Only the issuer's origin is ours: the library's own fetchToken()/getIssuerUrl() would fetch the
// directory from https://<issuer_name>, which is not resolvable for a local test, so the client
// reads the directory at --issuer with the library's PRIVATE_TOKEN_ISSUER_DIRECTORY path instead
// and POSTs with the library's sendTokenRequest().
// Exit codes: 0 token printed, 1 any failure (one line on stderr), 2 usage.

import {
    WWWAuthenticateHeader,
    AuthorizationHeader,
    TOKEN_TYPES,
    PRIVATE_TOKEN_ISSUER_DIRECTORY,
    sendTokenRequest,
    publicVerif,
    privateVerif,
} from '@cloudflare/privacypass-ts';

function usage(msg) {
    process.stderr.write(`client.mjs: ${msg}\n`);
    process.stderr.write('usage: node client.mjs --issuer URL [--type 2|1] [--bearer TOKEN] [WWW-Authenticate]\n');
    process.exit(2);
}

function fail(msg) {
    process.stderr.write(`client.mjs: ${msg}\n`);
    process.exit(1);
}

function parseArgs(argv) {
    const opts = { type: 2, bearer: 'demo', issuer: undefined, header: undefined };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const next = () => {
            if (i + 1 >= argv.length) usage(`${a} needs a value`);
            return argv[++i];
        };
        if (a === '--issuer') opts.issuer = next();
        else if (a === '--type') opts.type = Number(next());
        else if (a === '--bearer') opts.bearer = next();
        else if (a === '-h' || a === '--help') usage('help');
        else if (a.startsWith('--')) usage(`unknown option ${a}`);
        else if (opts.header === undefined) opts.header = a;
        else usage('more than one WWW-Authenticate value given');
    }
    if (!opts.issuer) usage('--issuer is required');
    if (opts.type !== 1 && opts.type !== 2) usage('--type must be 1 or 2');
    return opts;
}

async function readStdin() {
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
}

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const equalBytes = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
// Directory keys are base64url; accept with or without padding (RFC 9578 section 4 does not say).
const fromB64url = (s) => new Uint8Array(Buffer.from(s.replace(/=+$/, ''), 'base64url'));

async function fetchWithTimeout(url, init = {}, ms = 20000) {
    return fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
}

async function main() {
    const opts = parseArgs(process.argv.slice(2));
    const header = (opts.header ?? (await readStdin())).trim();
    if (!header) fail('empty WWW-Authenticate value');

    // 1. Parse the gateway's WWW-Authenticate value with the library (RFC 9577 section 2.1).
    let challenges;
    try {
        challenges = WWWAuthenticateHeader.parse(header);
    } catch (e) {
        fail(`library could not parse WWW-Authenticate: ${e.message}`);
    }
    if (challenges.length === 0) fail('no PrivateToken challenge in WWW-Authenticate');
    const entry = opts.type === 2 ? TOKEN_TYPES.BLIND_RSA : TOKEN_TYPES.VOPRF;
    const chosen = challenges.find((h) => h.challenge.tokenType === entry.value);
    if (!chosen) {
        fail(`no challenge of token type ${entry.value} (got ${challenges.map((h) => h.challenge.tokenType).join(',')})`);
    }
    const { challenge, tokenKey } = chosen;
    // type 2: RFC 9578 section 6.5 SPKI with the RSASSA-PSS OID and parameters, 342 bytes for a
    // 2048-bit key (as in the RFC's test vectors); type 1: compressed P-384 point, Npk = 49.
    const expectedKeyLen = opts.type === 2 ? 342 : 49;
    if (tokenKey.length !== expectedKeyLen) {
        fail(`token-key of type ${entry.value} is ${tokenKey.length} bytes, expected ${expectedKeyLen}`);
    }

    // 2. Issuer directory (RFC 9578 section 4) at the issuer's origin.
    const base = opts.issuer.replace(/\/+$/, '');
    const dirUrl = `${base}${PRIVATE_TOKEN_ISSUER_DIRECTORY}`;
    let dir;
    try {
        const res = await fetchWithTimeout(dirUrl);
        if (res.status !== 200) fail(`issuer directory ${dirUrl} answered HTTP ${res.status}`);
        dir = await res.json();
    } catch (e) {
        fail(`issuer directory ${dirUrl}: ${e.message}`);
    }
    const requestUri = dir['issuer-request-uri'];
    if (typeof requestUri !== 'string') fail('issuer directory has no issuer-request-uri');
    const tokenRequestUrl = new URL(requestUri, `${base}/`).toString();
    const listed = (dir['token-keys'] ?? []).some(
        (k) => k['token-type'] === entry.value && equalBytes(fromB64url(k['token-key']), tokenKey),
    );
    if (!listed) fail(`challenge token-key of type ${entry.value} is not in the issuer directory`);

    // 3. Issuance with the library's client (RFC 9578 sections 5 and 6).
    const client =
        opts.type === 2 ? new publicVerif.Client(publicVerif.BlindRSAMode.PSS) : new privateVerif.Client();
    let tokReq;
    try {
        tokReq = await client.createTokenRequest(challenge, tokenKey);
    } catch (e) {
        fail(`library could not create a type ${entry.value} token request with the challenge's token-key: ${e.message}`);
    }
    let tokResBytes;
    try {
        const headers = new Headers({ Authorization: `Bearer ${opts.bearer}` });
        tokResBytes = await sendTokenRequest(tokReq.serialize(), tokenRequestUrl, headers);
    } catch (e) {
        fail(`token request to ${tokenRequestUrl} failed: ${e.message}`);
    }
    // The library slices the response without checking for trailing bytes; be strict here.
    const expectedLen = opts.type === 2 ? entry.Nk : privateVerif.VOPRF.Ne + 2 * privateVerif.VOPRF.Ns;
    if (tokResBytes.length !== expectedLen) {
        fail(`TokenResponse of type ${entry.value} is ${tokResBytes.length} bytes, expected ${expectedLen}`);
    }
    let token;
    try {
        token = await client.finalize(client.deserializeTokenResponse(tokResBytes));
    } catch (e) {
        fail(`library rejected the issuer's type ${entry.value} TokenResponse in finalize: ${e.message}`);
    }

    // 4. Type 2 is publicly verifiable: check the token like an origin would, with the library.
    if (opts.type === 2) {
        let ok = false;
        try {
            const key = await crypto.subtle.importKey(
                'spki',
                publicVerif.convertRSASSAPSSToEnc(tokenKey),
                TOKEN_TYPES.BLIND_RSA.rsaParams,
                true,
                ['verify'],
            );
            ok = await new publicVerif.Origin(publicVerif.BlindRSAMode.PSS).verify(token, key);
        } catch (e) {
            fail(`library could not verify the token: ${e.message}`);
        }
        if (!ok) fail('library Origin.verify rejected the token signed by the issuer');
    }

    // 5. Print the Authorization header's token value, as serialized by the library.
    const authz = new AuthorizationHeader(token).toString();
    const m = /token="?([A-Za-z0-9_\-=]+)"?/.exec(authz);
    if (!m) fail(`unexpected Authorization header from library: ${authz}`);
    if (m[1].replace(/=+$/, '') !== b64url(token.serialize())) fail('library token encoding mismatch');
    process.stdout.write(`${m[1]}\n`);
}

main().catch((e) => fail(`unexpected error: ${e?.stack?.split('\n')[0] ?? e}`));
