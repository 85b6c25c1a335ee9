#!/usr/bin/env node
// Lava's own Node SDK (@lavapayments/nodejs 11.2.0, what Lava's users run) and lava-mcp against
// one recording fake Lava on loopback, operation by operation: the requests must agree on
// method, path, query, auth and body, except for the differences listed in INTENDED (each with
// its reason). A difference not listed fails, and so does a listed one that went away.
//   node tests/e2e/sdk_wire.test.mjs <path/to/lava-mcp> <path/to/follow_url.sh>
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Lava } from '@lavapayments/nodejs';

const run = promisify(execFile);
const [bin, browser] = process.argv.slice(2);
if (!bin || !fs.existsSync(bin) || !browser || !fs.existsSync(browser)) {
  console.error('usage: node sdk_wire.test.mjs <lava-mcp> <follow_url.sh>');
  process.exit(2);
}

const SECRET = 'aks_test_WIRESECRET000111';
const SPEND = 'lava_sk_WIRESPEND000222';
const CODE = 'code-wire-1';

// --- the recording fake: every request kept as {method, path, query, auth, content_type, body}.
let recorded = [];
const fake = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://fake');
    const body = Buffer.concat(chunks).toString('utf8');
    const query = Object.fromEntries(url.searchParams.entries());
    recorded.push({
      method: req.method, path: url.pathname, query, auth: req.headers.authorization ?? null,
      content_type: req.headers['content-type'] ?? null, body: body === '' ? null : JSON.parse(body),
    });
    const json = (status, value) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === '/auth/connect') {
      res.writeHead(302, { location: `http://127.0.0.1:${query.port}/callback?state=${query.state}&code=${CODE}` });
      return res.end();
    }
    if (url.pathname === '/v1/auth/callback') return json(200, { secret_key: SECRET, secret_key_id: 'sk_1', wallet_id: 'wal_1', merchant_id: 'mer_1' });
    if (url.pathname === '/v1/spend_keys' && req.method === 'POST') return json(200, { key: SPEND, spend_key_id: 'spk_1', key_preview: 'lava_sk_WIRE****' });
    if (url.pathname === '/v1/spend_keys/spk_1') return json(200, { spend_key_id: 'spk_1', status: 'active', current_spend: '0.00', total_spend: '0.00', spend_limit: null, request_limit: null, current_requests: 0 });
    if (url.pathname === '/v1/usage') return json(200, { items: [], totals: { total_requests: 0, total_usage_tokens: 0, total_cost: '0', total_charge: '0' } });
    if (url.pathname === '/v1/models') return json(200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'openai' }] });
    if (url.pathname === '/v1/forward') return json(200, { ok: true });
    return json(404, { error: 'not found' });
  });
});
await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${fake.address().port}`;

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lava-mcp-e2e-wire-'));
const lavaHome = path.join(home, 'lava-mcp');
function env(extra = {}) {
  const out = { ...process.env, HOME: home, LAVA_MCP_HOME: lavaHome, LAVA_API_URL: origin, BROWSER: browser, ...extra };
  for (const k of ['XDG_CONFIG_HOME', 'LAVA_SECRET_KEY', 'LAVA_SPEND_KEY', 'LAVA_APP_URL']) if (!(k in extra)) delete out[k];
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}
async function mcp(args, extra) {
  recorded = [];
  try { await run(bin, args, { env: env(extra), timeout: 30000 }); } catch (e) { /* an isError result exits 1; the requests are what counts */ }
  return recorded;
}
async function sdk(fn) {
  recorded = [];
  try { await fn(); } catch (e) { console.error('sdk:', e.message); }
  return recorded;
}
const lava = new Lava(SECRET, { baseUrl: `${origin}/v1/` });
const decode = (auth) => {
  if (!auth?.startsWith('Bearer ')) return auth;
  const bearer = auth.slice(7);
  try { return { forward_token: JSON.parse(Buffer.from(bearer, 'base64').toString('utf8')) }; } catch { return bearer; }
};
const pick = (requests, pathname) => requests.filter((r) => r.path === pathname).map((r) => ({ ...r, auth: decode(r.auth) }));

const monthStart = (() => { const d = new Date(); return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString(); })();
const target = 'https://api.openai.com/v1/chat/completions?x=1&y=a b';
const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };

// [operation, what the SDK sends, what lava-mcp sends, the path compared]
const operations = [
  ['forward, merchant pays', () => sdk(() => lava.gateway(target, { body: chat })),
    () => mcp(['call', 'call', '--args', JSON.stringify({ url: target, body: chat })], { LAVA_SECRET_KEY: SECRET }), '/v1/forward'],
  ['forward, customer billing + BYOK', () => sdk(() => lava.gateway(target, { body: chat, customer_id: 'cus_1', meter_slug: 'm', provider_key: 'sk-p', disable_billing: true })),
    () => mcp(['call', 'call', '--args', JSON.stringify({ url: target, body: chat, customer_id: 'cus_1', meter_slug: 'm', provider_key: 'sk-p', disable_billing: true })], { LAVA_SECRET_KEY: SECRET }), '/v1/forward'],
  ['forward, meter only', () => sdk(() => lava.gateway(target, { body: chat, meter_slug: 'm' })),
    () => mcp(['call', 'call', '--args', JSON.stringify({ url: target, body: chat, meter_slug: 'm' })], { LAVA_SECRET_KEY: SECRET }), '/v1/forward'],
  ['login code exchange', () => sdk(() => Lava.exchangeAuthCode({ code: CODE, baseUrl: `${origin}/v1/` })),
    () => mcp(['login'], { LAVA_APP_URL: origin, LAVA_API_URL: undefined }), '/v1/auth/callback'],
  ['spend key creation', () => sdk(() => lava.spendKeys.create({ name: `lava-mcp (${os.hostname()})`, request_shape: 'openai' })),
    () => { fs.rmSync(lavaHome, { recursive: true, force: true }); return mcp(['call', 'login', '--args', '{}'], { LAVA_SECRET_KEY: SECRET }); }, '/v1/spend_keys'],
  ['usage this month', () => sdk(() => lava.usage.retrieve({ start: monthStart })),
    () => mcp(['status'], { LAVA_SECRET_KEY: SECRET }), '/v1/usage'],
  ['spend key record', () => sdk(() => lava.spendKeys.retrieve('spk_1')),
    () => mcp(['status'], { LAVA_SECRET_KEY: SECRET }), '/v1/spend_keys/spk_1'],
  ['model list', () => sdk(() => lava.models.list()),
    () => mcp(['call', 'search', '--args', JSON.stringify({ query: 'gpt' })], { LAVA_SPEND_KEY: SPEND }), '/v1/models'],
];

// Each intended difference: the operation, the field, and why lava-mcp differs from the SDK.
const SPACE_IN_URL = 'lava-mcp sends the target URL in normal form, a raw space percent-encoded as %20 (a space is not valid in a URL); the SDK passes the caller\'s string as it is';
const INTENDED = {
  'forward, merchant pays|query': SPACE_IN_URL,
  'forward, customer billing + BYOK|query': SPACE_IN_URL,
  'forward, meter only|query': SPACE_IN_URL,
  'forward, meter only|auth': 'the SDK writes "customer_id": null when only a meter is given; lava-mcp leaves absent fields out (tools.md 3.3), which Lava reads the same',
  'model list|content_type': 'lava-mcp\'s catalog GET has no body, so it names no Content-Type; the SDK sends application/json on every management call, a body or not',
  'model list|auth': 'lava-mcp lists the models with the spend key, which Lava limits to the models that key may use (issue 19 item 5); the SDK sends the secret key, which lists the merchant\'s',
};

const canonical = (value) => JSON.stringify(value, (key, v) => (v && typeof v === 'object' && !Array.isArray(v)
  ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));

let failures = 0;
function check(name, ok, detail) {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${name}${ok ? '' : `: ${detail}`}`);
  if (!ok) failures += 1;
}
const seen = new Set();
for (const [name, viaSdk, viaMcp, pathname] of operations) {
  const a = pick(await viaSdk(), pathname);
  const b = pick(await viaMcp(), pathname);
  check(`${name}: both sent it`, a.length >= 1 && b.length >= 1, `sdk ${a.length}, lava-mcp ${b.length}`);
  if (!a.length || !b.length) continue;
  for (const field of ['method', 'path', 'query', 'auth', 'body', 'content_type']) {
    // JSON compared by value: the order of an object's members means nothing to Lava.
    const same = canonical(a[0][field]) === canonical(b[0][field]);
    const key = `${name}|${field}`;
    if (same) { check(`${name}: ${field}`, true); continue; }
    seen.add(key);
    check(`${name}: ${field} differs as intended`, key in INTENDED,
      `sdk ${JSON.stringify(a[0][field])} vs lava-mcp ${JSON.stringify(b[0][field])}`);
  }
}
for (const key of Object.keys(INTENDED)) {
  check(`intended difference still there: ${key}`, seen.has(key), 'gone: update INTENDED');
}
fake.close();
fs.rmSync(home, { recursive: true, force: true });
console.log(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
