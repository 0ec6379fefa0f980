// The transparency page: fetches the log's checkpoint, entries and inclusion proofs from the log
// that served it, verifies them in this browser (verify.js, WebCrypto) and shows the result.
// It writes text nodes only (never HTML), so nothing the log serves can run here.
import * as v from './verify.js';

const PAGE_SIZE = 1000; // LogClient.MAX_PAGE: entries per request
const PARALLEL = 6; // inclusion proofs fetched at once
const MAX_ID_CHARS = 128; // ApiLimits.MAX_ID_CHARS: an enclave id
const KEMS = {
  0x0010: 'DHKEM(P-256)',
  0x0020: 'DHKEM(X25519)',
  0x0041: 'ML-KEM-768',
  0x0050: 'MLKEM768-P256',
  0x647a: 'X-Wing',
};
const TOKEN_TYPES = { 1: 'VOPRF (P-384, SHA-384)', 2: 'Blind RSA (2048-bit)' };

const params = new URLSearchParams(location.search);
const byId = (id) => document.getElementById(id);

/** An element with attributes (class, data-*, others) and text or element children. */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, val] of Object.entries(attrs)) {
    if (k === 'class') {
      e.className = val;
    } else if (k.startsWith('data-')) {
      e.dataset[k.slice(5).replace(/-(.)/g, (_, c) => c.toUpperCase())] = val;
    } else {
      e.setAttribute(k, val);
    }
  }
  for (const c of children) {
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function badge(state, text) {
  return el('span', { class: 'badge ' + state, 'data-state': state }, text);
}

function setBadge(cell, state, text, title) {
  cell.replaceChildren(badge(state, text));
  cell.dataset.state = state;
  if (title) {
    cell.title = title;
  }
}

function message(e) {
  return e instanceof v.VerifyError ? e.message : e.name + ': ' + e.message;
}

async function fetchOk(path) {
  let r;
  try {
    r = await fetch(path, { cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new v.VerifyError(path + ' could not be fetched (' + e.message + ')');
  }
  if (!r.ok) {
    let detail = '';
    try {
      detail = (await r.json()).detail || '';
    } catch (e) {
      // not a problem document
    }
    throw new v.VerifyError(path + ' answered ' + r.status + (detail ? ': ' + detail : ''));
  }
  return r;
}

async function getJson(path) {
  const r = await fetchOk(path);
  try {
    return await r.json();
  } catch (e) {
    throw new v.VerifyError(path + ' is not JSON');
  }
}

const failures = [];
function failed(what) {
  failures.push(what);
}

// ---- the log key ---------------------------------------------------------------------------

async function loadKeys() {
  try {
    return await getJson('/keys');
  } catch (e) {
    failed('the log did not say which keys it has (' + message(e) + ')');
    return { origin: '', logKey: '', witnessKeys: [] };
  }
}

async function showKey(claimed) {
  const given = params.get('key');
  const text = given !== null ? given : claimed.logKey;
  const source = byId('key-source');
  const status = byId('key-status');
  byId('key-text').textContent = text || '(none)';
  byId('key-input').value = given !== null ? given : '';
  if (given !== null) {
    source.textContent =
      'You gave this key (in the link or the form). The page is exactly as trustworthy as this ' +
      'key: it should come from somewhere other than this log (your trust file, the operator\u2019s ' +
      'announcement, a witness).';
    source.dataset.source = 'given';
  } else {
    source.textContent =
      'This key was served by the log itself. A log that lies could serve a key of its own ' +
      'choosing, so everything below proves only that the log is consistent with itself until ' +
      'you compare this key with one from elsewhere (the CLI\u2019s trust file ' +
      'trust/log.json, the operator\u2019s announcement) or paste a key you trust below.';
    source.dataset.source = 'log';
  }
  try {
    const key = await v.parseVerifierKey(text);
    byId('key-name').textContent = key.name;
    byId('key-id').textContent = key.idHex;
    setBadge(status, 'verified', 'well-formed Ed25519 key');
    if (given !== null && claimed.logKey && claimed.logKey !== key.text) {
      byId('key-note').textContent =
        'This differs from the key the log serves about itself (' + claimed.logKey + ').';
    }
    return key;
  } catch (e) {
    setBadge(status, 'failed', message(e));
    failed('the log key: ' + message(e));
    return null;
  }
}

// ---- the checkpoint and its witnesses ------------------------------------------------------

async function showCheckpoint(key) {
  const status = byId('checkpoint-status');
  let note;
  let checkpoint;
  try {
    const text = await (await fetchOk('/checkpoint')).text();
    note = v.parseSignedNote(text);
    checkpoint = v.parseCheckpoint(note.text);
  } catch (e) {
    setBadge(status, 'failed', message(e));
    failed('the checkpoint: ' + message(e));
    return null;
  }
  byId('checkpoint-origin').textContent = checkpoint.origin;
  byId('checkpoint-size').textContent = String(checkpoint.size);
  byId('checkpoint-root').textContent = v.hex(checkpoint.root);
  byId('checkpoint-extensions').textContent =
    checkpoint.extensions.length === 0 ? 'none' : checkpoint.extensions.join(' | ');
  checkpoint.verified = false;
  if (key === null) {
    setBadge(status, 'failed', 'not verified: no usable log key');
  } else {
    try {
      const line = await v.verifyNoteSignature(note, key);
      checkpoint.verified = true;
      checkpoint.logLine = line;
      setBadge(status, 'verified', 'signature verified (Ed25519, key ' + key.idHex + ')');
      if (checkpoint.origin !== key.name) {
        byId('checkpoint-note').textContent =
          'The checkpoint origin differs from the key name: C2SP logs name their key after the origin.';
      }
    } catch (e) {
      setBadge(status, 'failed', message(e));
      failed('the checkpoint signature: ' + message(e));
    }
  }
  checkpoint.note = note;
  return checkpoint;
}

async function showWitnesses(checkpoint, claimed) {
  const body = byId('witness-rows');
  const keys = [];
  const given = params.getAll('witness');
  // Keys you give come first: a cosignature is checked with your key when you gave one.
  for (const [text, source] of [
    ...given.map((k) => [k, 'given by you']),
    ...claimed.witnessKeys.map((k) => [k, 'listed by the log']),
  ]) {
    try {
      keys.push({ key: await v.parseVerifierKey(text, v.COSIGNATURE_V1), source });
    } catch (e) {
      failed('witness key ' + text + ': ' + message(e));
    }
  }
  const lines = checkpoint.note.signatures.filter((s) => s !== checkpoint.logLine);
  byId('witness-count').textContent = String(lines.length);
  let verified = 0;
  for (const line of lines) {
    const cell = el('td');
    const time = el('td', {}, '\u2014');
    const known = keys.find(
      (k) => k.key.name === line.name && v.hex(k.key.id) === v.hex(line.id)
    );
    body.append(
      el('tr', { 'data-witness': line.name }, el('td', {}, line.name), el('td', { class: 'mono' }, v.hex(line.id)), time, cell)
    );
    if (!known) {
      setBadge(cell, 'unknown', 'not checked: no key for this witness');
      continue;
    }
    try {
      const at = await v.verifyCosignature(checkpoint.note, line, known.key);
      time.textContent = at.toISOString();
      verified++;
      setBadge(cell, 'verified', 'cosignature verified (key ' + known.source + ')');
    } catch (e) {
      setBadge(cell, 'failed', message(e));
      failed('the cosignature of ' + line.name + ': ' + message(e));
    }
  }
  if (lines.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: '4' }, 'No witness has cosigned this checkpoint.')));
  }
  return verified;
}

// ---- entries -------------------------------------------------------------------------------

async function loadEntries(size) {
  const out = [];
  for (let start = 0; start < size; start += PAGE_SIZE) {
    const end = Math.min(size, start + PAGE_SIZE);
    const page = await getJson('/entries?start=' + start + '&end=' + end);
    if (page.start !== start || !Array.isArray(page.entries) || page.entries.length !== end - start) {
      throw new v.VerifyError('the log served the wrong entries for [' + start + ', ' + end + ')');
    }
    page.entries.forEach((entry, i) => out.push({ index: start + i, entry }));
  }
  return out;
}

function shortHex(h) {
  return h.length > 24 ? h.slice(0, 16) + '\u2026' + h.slice(-8) : h;
}

async function keyFacts(item) {
  const e = item.entry;
  if (e.type === 'gateway-key-config') {
    const bytes = v.base64Decode(e.keyConfig, 'keyConfig');
    item.keyId = bytes.length > 0 ? bytes[0] : null;
    item.kem = bytes.length >= 3 ? (bytes[1] << 8) | bytes[2] : null;
    item.digest = v.hex(await v.sha256(bytes));
    item.group = e.origin + '|' + item.kem;
    item.from = Date.parse(e.createdAt);
  } else if (e.type === 'issuer-key') {
    item.digest = v.hex(await v.sha256(v.base64Decode(e.tokenKey, 'tokenKey')));
    item.group = e.issuer + '|' + e.tokenType;
    item.from = Date.parse(e.notBefore);
  }
}

/**
 * Validity of logged keys: the log records when a key starts; a key of the same group (issuer and
 * token type, or gateway origin and KEM) starting later replaces it.
 */
function validity(items, now) {
  const groups = new Map();
  for (const it of items) {
    groups.set(it.group, [...(groups.get(it.group) || []), it]);
  }
  for (const g of groups.values()) {
    g.sort((a, b) => a.from - b.from || a.index - b.index);
    g.forEach((it, i) => {
      const started = g.filter((o) => o.from <= now);
      const current = started.length > 0 ? started[started.length - 1] : null;
      if (it.from > now) {
        it.validity = ['next', 'next: usable from ' + new Date(it.from).toISOString()];
      } else if (it === current || (current !== null && it.from === current.from)) {
        it.validity = ['current', 'current since ' + new Date(it.from).toISOString()];
      } else {
        const next = g.slice(i + 1).find((o) => o.from > it.from && o.from <= now);
        it.validity = [
          'retired',
          'replaced by #' + next.index + ' at ' + new Date(next.from).toISOString(),
        ];
      }
    });
  }
}

function rebuildHelp(e) {
  if (e.sourceCommit === 'unknown' || !/^[0-9a-f]{7,64}$/.test(e.sourceCommit)) {
    return el(
      'p',
      { class: 'note' },
      'This release names no commit (' + e.sourceCommit + '): it cannot be rebuilt from the log alone.'
    );
  }
  return el(
    'pre',
    {},
    'git checkout ' + e.sourceCommit + '\n' +
      'mvn -B -DskipTests package        # scripts/reproducible-build.sh shows two builds agree\n' +
      'java -jar target/private-processing.jar audit measurement --jar target/private-processing.jar\n' +
      '# must print ' + e.measurement
  );
}

function renderEntries(items) {
  const releases = byId('release-rows');
  const gateways = byId('gateway-rows');
  const issuers = byId('issuer-rows');
  const others = byId('other-rows');
  for (const it of items) {
    const e = it.entry;
    it.cell = el('td', { class: 'proof' });
    setBadge(it.cell, 'pending', 'checking\u2026');
    const idx = el('td', { class: 'num' }, '#' + it.index);
    const attrs = { 'data-index': String(it.index), 'data-type': String(e.type) };
    if (e.type === 'enclave-release') {
      releases.append(
        el('tr', attrs, idx, el('td', { class: 'mono', title: e.measurement }, shortHex(String(e.measurement))),
          el('td', {}, e.version), el('td', { class: 'mono' }, e.sourceCommit), el('td', {}, e.buildTimestamp), it.cell),
        el('tr', { class: 'rebuild' }, el('td'), el('td', { colspan: '5' },
          el('details', {}, el('summary', {}, 'How to rebuild and check this release'), rebuildHelp(e))))
      );
    } else if (e.type === 'gateway-key-config') {
      gateways.append(
        el('tr', attrs, idx, el('td', {}, e.origin),
          el('td', { class: 'mono' }, it.keyId === null ? '?' : String(it.keyId)),
          el('td', {}, KEMS[it.kem] || 'KEM 0x' + (it.kem ?? 0).toString(16)),
          el('td', { class: 'mono', title: it.digest }, shortHex(it.digest)),
          el('td', {}, e.createdAt), el('td', {}, badge(it.validity[0], it.validity[1])), it.cell)
      );
    } else if (e.type === 'issuer-key') {
      issuers.append(
        el('tr', attrs, idx, el('td', {}, e.issuer),
          el('td', {}, TOKEN_TYPES[e.tokenType] || 'type ' + e.tokenType),
          el('td', { class: 'mono', title: it.digest }, shortHex(it.digest)),
          el('td', {}, e.notBefore), el('td', {}, badge(it.validity[0], it.validity[1])), it.cell)
      );
    } else {
      others.append(el('tr', attrs, idx, el('td', { class: 'mono' }, JSON.stringify(e)), it.cell));
    }
  }
  for (const [id, rows] of [['releases', releases], ['gateway-keys', gateways], ['issuer-keys', issuers], ['other-entries', others]]) {
    if (rows.children.length === 0) {
      byId(id).dataset.empty = 'true';
    }
  }
}

async function verifyAll(items, checkpoint) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const it = items[next++];
      try {
        const proof = await getJson('/proof/inclusion?index=' + it.index + '&size=' + checkpoint.size);
        await v.verifyEntry(it.entry, it.index, proof, checkpoint);
        it.proven = checkpoint.verified;
        if (checkpoint.verified) {
          setBadge(it.cell, 'verified', 'included \u2713', 'inclusion proof verified in this browser');
        } else {
          setBadge(it.cell, 'unverified', 'proof leads to an unverified checkpoint');
        }
      } catch (e) {
        it.proven = false;
        setBadge(it.cell, 'failed', 'proof fails', message(e));
        it.cell.append(el('div', { class: 'why' }, message(e)));
        failed('entry #' + it.index + ': ' + message(e));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
}

// ---- the release lookup --------------------------------------------------------------------

function lookupForm(itemsPromise) {
  const form = byId('lookup-form');
  const out = byId('lookup-result');
  const show = (state, ...lines) => {
    out.dataset.result = state;
    out.replaceChildren(...lines.map((l) => el('p', {}, l)));
  };
  const run = async () => {
    const id = byId('lookup-enclave').value.trim();
    const raw = byId('lookup-measurement').value.trim().toLowerCase();
    const m = raw.replace(/\s+/g, '').replace(/(\.\.\.|\u2026)$/, '');
    if (id.length > MAX_ID_CHARS || /[\u0000-\u001f\u007f]/.test(id)) {
      show('invalid', 'Enclave id: at most ' + MAX_ID_CHARS + ' characters, no control characters.');
      return;
    }
    if (!/^[0-9a-f]{16,96}$/.test(m)) {
      show(
        'invalid',
        'Measurement: paste 16 to 96 hexadecimal digits (the CLI\u2019s answer line shows the first 16 ' +
          'followed by \u2026; attest and audit print all 96). Nothing was looked up.'
      );
      return;
    }
    const query = new URLSearchParams(location.search);
    query.set('measurement', m);
    id ? query.set('enclave', id) : query.delete('enclave');
    history.replaceState(null, '', '?' + query.toString());
    show('pending', 'Checking\u2026');
    const { items, checkpoint, complete } = await itemsPromise;
    const who = id ? 'Enclave ' + id : 'The enclave';
    const matches = items.filter((it) => it.entry.type === 'enclave-release' && String(it.entry.measurement).startsWith(m));
    const size = checkpoint ? String(checkpoint.size) : '?';
    const allProven = complete && items.every((it) => it.proven);
    if (matches.length === 0 && !allProven) {
      show(
        'unverified',
        'CANNOT SAY: no release here has this measurement, but the log could not be verified ' +
          '(see the reasons at the top), so what it served proves nothing either way.'
      );
    } else if (matches.length === 0) {
      show(
        'not-logged',
        'NOT LOGGED: no release in this log (checkpoint of size ' + size + ') has a measurement ' +
          (m.length < 96 ? 'starting with ' : '') + m + '.',
        who + ' runs software that was never published here: do not trust its answers.'
      );
    } else if (matches.length > 1) {
      show('ambiguous', 'Several releases start with these digits (' + matches.map((it) => '#' + it.index).join(', ') + '): paste more of the measurement.');
    } else {
      const it = matches[0];
      const e = it.entry;
      const what = 'release ' + e.version + ' (commit ' + e.sourceCommit + ', built ' + e.buildTimestamp + '), entry #' + it.index;
      const partial = m.length < 96 ? ' Matched on the first ' + m.length + ' hex digits only: paste all 96 for certainty.' : '';
      if (it.proven) {
        show(
          'logged',
          'LOGGED: ' + (id ? 'enclave ' + id : 'the enclave') + ' runs ' + what + '.',
          'Its inclusion proof was verified in this browser against the signed checkpoint of size ' + size + '.' + partial,
          'The log records releases, not enclaves: the id ties this to your answer; the attestation your client checked ties the id to this measurement.'
        );
      } else {
        show('unverified', 'IN THE LOG BUT NOT VERIFIED: ' + what + ' is listed, but its proof or the checkpoint did not verify (see below).' + partial);
      }
      byId('lookup-result').dataset.index = String(it.index);
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    run();
  });
  if (params.has('measurement') || params.has('enclave')) {
    byId('lookup-enclave').value = params.get('enclave') || '';
    byId('lookup-measurement').value = params.get('measurement') || '';
    run();
  }
  form.querySelector('button').disabled = false;
}

// ---- main ----------------------------------------------------------------------------------

function finish(summaryText) {
  const summary = byId('summary');
  const ok = failures.length === 0;
  document.body.dataset.state = ok ? 'verified' : 'failed';
  summary.dataset.state = ok ? 'verified' : 'failed';
  summary.replaceChildren(el('strong', {}, ok ? 'VERIFIED' : 'FAILED'), ' ' + summaryText);
  if (!ok) {
    summary.append(el('ul', {}, ...failures.slice(0, 20).map((f) => el('li', {}, f))));
  }
}

async function main() {
  document.body.dataset.state = 'loading';
  if (!v.cryptoAvailable()) {
    failed(
      'this browser offers WebCrypto only to pages served over HTTPS or from localhost; ' +
        location.origin + ' is neither, so nothing could be verified'
    );
    finish('');
    return;
  }
  let resolveItems;
  lookupForm(new Promise((r) => (resolveItems = r)));
  const claimed = await loadKeys();
  const key = await showKey(claimed);
  const checkpoint = await showCheckpoint(key);
  if (checkpoint === null) {
    resolveItems({ items: [], checkpoint: null, complete: false });
    finish('The checkpoint could not be read.');
    return;
  }
  const witnesses = await showWitnesses(checkpoint, claimed);
  let items = [];
  let complete = false;
  try {
    items = await loadEntries(Number(checkpoint.size));
    for (const it of items) {
      await keyFacts(it);
    }
    const now = Date.now();
    validity(items.filter((it) => it.entry.type === 'gateway-key-config'), now);
    validity(items.filter((it) => it.entry.type === 'issuer-key'), now);
    renderEntries(items);
    await verifyAll(items, checkpoint);
    complete = true;
  } catch (e) {
    failed('the entries: ' + message(e));
  }
  resolveItems({ items, checkpoint, complete });
  byId('verified-at').textContent = new Date().toISOString();
  const proven = items.filter((it) => it.proven).length;
  finish(
    'Checkpoint of size ' + checkpoint.size + ' ' + (checkpoint.verified ? 'signed by the log key' : 'NOT verified') +
      '; ' + witnesses + ' witness cosignature(s) verified; ' + proven + ' of ' + items.length +
      ' entries proven included, in this browser.'
  );
}

main().catch((e) => {
  failed('the page itself: ' + message(e));
  finish('');
});
