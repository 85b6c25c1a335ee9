#!/usr/bin/env node
// End-to-end: the official TypeScript SDK v1 client drives the five tools of the installed
// lava-mcp against lava_fake_services (the whole fake Lava on one loopback origin: web app,
// auth API, gateway, fake Anthropic/OpenAI/Gemini behind it).
//   node tests/e2e/sdk_tools.test.mjs <path/to/lava-mcp> <path/to/lava_fake_services>
//
// Offline by design: LAVA_API_URL and LAVA_APP_URL point at the fake origin, HOME and
// LAVA_MCP_HOME are fresh temp dirs, BROWSER is "none". Nothing here may send traffic off the
// machine: the elicitation handler only follows URLs on the fake origin, and get_provider_docs
// is only called in a form that never fetches (see its section).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, ElicitationCompleteNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { OPTS, anyFailed, check, finish, step, textOf } from './checks.mjs';

const [bin, fakeBin] = process.argv.slice(2);
for (const [what, file] of [['lava-mcp binary', bin], ['lava_fake_services binary', fakeBin]]) {
  if (!file || !fs.existsSync(file)) {
    console.error(`usage: node sdk_tools.test.mjs <lava-mcp> <lava_fake_services> (no ${what}: ${JSON.stringify(file)})`);
    process.exit(2);
  }
}

const json = (v) => JSON.stringify(v);

// The fake's fixed keys (tests/support/fake_lava.h): they must never reach the client in full.
const SECRET_KEY = 'aks_test_FAKELAVASECRET000123';
const SPEND_KEY = 'lava_sk_FAKELAVASPEND000456';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lava-mcp-e2e-tools-'));
const children = []; // killed on any exit, so a failed run leaves no process behind
process.on('exit', () => { for (const c of children) { try { c.kill('SIGKILL'); } catch {} } });

// --- lava_fake_services: prints "origin http://127.0.0.1:PORT", serves until stdin closes.
async function startFake() {
  const child = spawn(path.resolve(fakeBin), [], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const lines = readline.createInterface({ input: child.stdout });
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no origin line in 10 s; stderr: ${stderr}`)), 10000);
    child.once('exit', (code) => reject(new Error(`exited ${code} before its origin line; stderr: ${stderr}`)));
    lines.on('line', (line) => {
      const m = /^origin (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.stdin.end(); // its documented way to stop
  });
  return { origin, stop, stderr: () => stderr };
}
let fake;
try {
  fake = await startFake();
} catch (e) {
  check('lava_fake_services starts and prints its origin', false, String(e?.message ?? e));
  finish();
}
console.log(`# fake services at ${fake.origin}`);
const isFakeUrl = (u) => { try { return new URL(u).origin === fake.origin; } catch { return false; } };
async function script(s) { // the next request to s.provider behaves as told
  const r = await fetch(`${fake.origin}/__script`, { method: 'POST', body: json(s) });
  if (r.status !== 200) throw new Error(`/__script ${json(s)} answered ${r.status}`);
}
async function seen() { // [{target, valid, error}], every request the fake providers received
  return (await fetch(`${fake.origin}/__seen`)).json();
}

// --- lava-mcp under the SDK client. Every message it writes is tapped (`raw`), so the tests can
// look past the SDK: the full keys must not be in any of them, and progress can be counted.
const raw = [];
const servers = [];
async function startServer({ name, capabilities = {}, onElicit }) {
  const home = fs.mkdtempSync(path.join(tmp, `${name}-home-`));
  const lavaHome = path.join(home, 'lava-mcp'); // not created yet: the server makes it 0700
  const env = {
    ...process.env, HOME: home, LAVA_MCP_HOME: lavaHome,
    LAVA_API_URL: fake.origin, LAVA_APP_URL: fake.origin, BROWSER: 'none',
    LAVA_MCP_ALLOW_LOOPBACK_FETCH: '1',  // the fake's docs pages are on loopback
  };
  for (const k of ['XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'LAVA_SECRET_KEY', 'LAVA_SPEND_KEY', 'LAVA_MCP_LOG']) delete env[k];
  const transport = new StdioClientTransport({ command: path.resolve(bin), args: [], env, cwd: home, stderr: 'pipe' });
  const server = { name, home, lavaHome, transport, stderr: '', notices: [], completes: [], elicitations: [] };
  transport.stderr?.on('data', (d) => { server.stderr += d; });
  let onmessage; // Client.connect sets transport.onmessage: wrap whatever it sets
  Object.defineProperty(transport, 'onmessage', {
    get: () => (onmessage ? (m, extra) => { raw.push({ server: name, at: Date.now(), m }); onmessage(m, extra); } : undefined),
    set: (fn) => { onmessage = fn; },
  });
  const client = new Client({ name: `lava-mcp-e2e-${name}`, version: '0.0.0' }, { capabilities });
  server.client = client;
  client.onerror = (e) => check(`${name}: no transport error`, false, String(e?.message ?? e));
  if (onElicit) {
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      server.elicitations.push(req.params);
      return onElicit(req.params);
    });
  }
  client.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => { server.completes.push(n.params); });
  client.fallbackNotificationHandler = async (n) => {
    if (n.method === 'notifications/message') server.notices.push(n.params);
  };
  await client.connect(transport, OPTS);
  servers.push(server);
  return server;
}
const call = (server, name, args, opts = {}) =>
  server.client.callTool({ name, arguments: args }, undefined, { ...OPTS, ...opts });

function checkNoFullKey(what, value) {
  const s = typeof value === 'string' ? value : json(value);
  check(`${what}: no full secret or spend key`, !s.includes(SECRET_KEY) && !s.includes(SPEND_KEY),
    s.length > 400 ? `${s.slice(0, 400)}...` : s);
}

const fileMode = (p) => fs.statSync(p).mode & 0o777;
const octal = (m) => `0${m.toString(8)}`;

let main; // the signed-in server that the call, prompt and search sections use
try {
  // ---------------------------------------------------------------- login: URL elicitation
  await step('login via URL elicitation', async () => {
    let followed; // what following the URL gave: the fake's /auth/connect 302s to the local /callback
    main = await startServer({
      name: 'login',
      // SDK 1.32.2: URL mode must be declared explicitly (an empty `elicitation` means form only).
      capabilities: { elicitation: { url: {} } },
      onElicit: async (params) => {
        // Never follow a URL that is not on the fake origin: that would leave the machine.
        if (params.mode !== 'url' || !isFakeUrl(params.url)) return { action: 'decline' };
        const r = await fetch(params.url, { redirect: 'follow' });
        followed = { status: r.status, url: r.url, redirected: r.redirected, body: await r.text() };
        return { action: 'accept' }; // "the user agreed to open the link"
      },
    });
    const r = await call(main, 'login', {});
    const sc = r.structuredContent ?? {};
    check('login: not isError', r.isError !== true, textOf(r));
    check('login: status "authenticated"', sc.status === 'authenticated', json(sc));
    check('login: api_url is the fake origin', sc.api_url === fake.origin, json(sc.api_url));
    check('login: account.merchant_id from the exchange', sc.account?.merchant_id === 'mer_1', json(sc.account));
    check('login: secret key shown only as a hint ending in its last 4',
      typeof sc.account?.secret_key_hint === 'string' && sc.account.secret_key_hint.endsWith('0123') &&
      sc.account.secret_key_hint.length < SECRET_KEY.length, json(sc.account));
    checkNoFullKey('login result', r);

    const [e] = main.elicitations;
    check('login: exactly one elicitation/create', main.elicitations.length === 1, json(main.elicitations));
    check('elicitation: mode "url"', e?.mode === 'url', json(e));
    check('elicitation: url is <app>/auth/connect?state=<32 hex>&port=<port>', (() => {
      try {
        const u = new URL(e.url);
        return u.origin === fake.origin && u.pathname === '/auth/connect' &&
          /^[0-9a-f]{32}$/.test(u.searchParams.get('state')) && /^\d+$/.test(u.searchParams.get('port'));
      } catch { return false; }
    })(), json(e?.url));
    check('elicitation: has a message and an elicitationId',
      typeof e?.message === 'string' && e.message.length > 0 && typeof e?.elicitationId === 'string' && e.elicitationId.length > 0, json(e));
    check('browser step: redirected to the local /callback, which answered 200',
      followed?.redirected === true && followed.status === 200 && /^http:\/\/127\.0\.0\.1:\d+\/callback\?/.test(followed.url),
      json(followed && { ...followed, body: followed.body.slice(0, 200) }));
    check('browser step: the callback page says the tab can be closed', /close this tab/i.test(followed?.body ?? ''),
      followed?.body?.slice(0, 300));
    check('notifications/elicitation/complete names the elicitationId',
      main.completes.some((c) => c.elicitationId === e?.elicitationId), json(main.completes));
    check('login URL also sent as a notifications/message at level notice',
      main.notices.some((n) => n.level === 'notice' && json(n.data).includes(e?.url)), json(main.notices));

    const creds = path.join(main.lavaHome, 'credentials.json');
    if (check('credentials.json exists', fs.existsSync(creds), creds)) {
      check('credentials.json has mode 0600', fileMode(creds) === 0o600, octal(fileMode(creds)));
      check('its folder has mode 0700', fileMode(main.lavaHome) === 0o700, octal(fileMode(main.lavaHome)));
      const stored = JSON.parse(fs.readFileSync(creds, 'utf8'));
      check('credentials.json holds the secret key, the spend key and the api_url',
        stored.secret_key === SECRET_KEY && stored.spend_key === SPEND_KEY && stored.api_url === fake.origin,
        json(Object.keys(stored)));
    }

    const again = await call(main, 'login', {});
    check('second login: status "already_authenticated"', again.structuredContent?.status === 'already_authenticated',
      json(again.structuredContent));
    check('second login: no new elicitation', main.elicitations.length === 1, `${main.elicitations.length}`);
    checkNoFullKey('second login result', again);
  });

  // ---------------------------------------------------------------- login: decline
  await step('login declined in the client', async () => {
    const s = await startServer({
      name: 'decline',
      capabilities: { elicitation: { url: {} } },
      onElicit: async () => ({ action: 'decline' }), // the URL is not opened at all
    });
    const r = await call(s, 'login', {});
    check('declined login: isError', r.isError === true, json(r));
    check('declined login: says it was declined', /declined/i.test(textOf(r)), textOf(r));
    check('declined login: one elicitation, in url mode', s.elicitations.length === 1 && s.elicitations[0].mode === 'url',
      json(s.elicitations));
    check('declined login: no credentials.json', !fs.existsSync(path.join(s.lavaHome, 'credentials.json')));
    await s.client.close();
  });

  if (!main) throw new Error('the login section did not start a server; nothing else can run');
  const expectInvalid = new Set(); // /__seen targets that a test sent invalid on purpose

  // ---------------------------------------------------------------- call
  await step('call: 200 through the forward endpoint', async () => {
    // The fake treats every target that is not Anthropic or Gemini as OpenAI chat completions,
    // so a chat-completions call is what a 2xx looks like here.
    const before = (await seen()).length;
    const r = await call(main, 'call', {
      url: 'https://api.openai.com/v1/chat/completions',
      headers: { Authorization: 'Bearer sk-should-be-dropped', 'X-Title': 'lava-mcp e2e' },
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] },
    });
    const sc = r.structuredContent ?? {};
    check('call 200: not isError', r.isError !== true, textOf(r));
    check('call 200: status 200', sc.status === 200, json(sc.status));
    check('call 200: JSON body parsed (the fake OpenAI answer)', sc.body?.object === 'chat.completion' &&
      sc.body?.model === 'gpt-4o-mini', json(sc.body));
    check('call 200: request_id from x-lava-request-id', sc.request_id === 'req_prompt_1', json(sc.request_id));
    check('call 200: text names the dropped Authorization header', /Dropped headers[^\n]*Authorization/i.test(textOf(r)),
      textOf(r));
    const got = (await seen()).slice(before);
    check('call 200: the fake got one valid request for the target', got.length === 1 &&
      got[0].target === 'https://api.openai.com/v1/chat/completions' && got[0].valid, json(got));
    checkNoFullKey('call result', r);
  });

  await step('call: 4xx', async () => {
    // A search-style body to an endpoint that the fake checks as OpenAI chat: a real 400.
    expectInvalid.add('https://google.serper.dev/search');
    const r = await call(main, 'call', { url: 'https://google.serper.dev/search', body: { q: 'lava gateway' } });
    const sc = r.structuredContent ?? {};
    check('call 400: isError', r.isError === true, textOf(r));
    check('call 400: status 400 with the error body still returned', sc.status === 400 &&
      typeof sc.body?.error?.message === 'string', json(sc));

    // A scripted 429 with Retry-After: the header is kept for the caller.
    await script({ provider: 'openai', kind: 'status', status: 429, retry_after: '7' });
    const limited = await call(main, 'call', {
      url: 'https://api.openai.com/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] },
    });
    const lsc = limited.structuredContent ?? {};
    check('call 429: isError', limited.isError === true, textOf(limited));
    check('call 429: status 429, retry-after header kept', lsc.status === 429 && lsc.headers?.['retry-after'] === '7',
      json(lsc));
  });

  // ---------------------------------------------------------------- prompt with fallbacks
  await step('prompt: 503 then 429, served by the Gemini fallback', async () => {
    await script({ provider: 'anthropic', kind: 'status', status: 503 });
    await script({ provider: 'openai', kind: 'status', status: 429, retry_after: '2' });
    const before = (await seen()).length;
    const progress = [];
    const t0 = Date.now();
    const r = await call(main, 'prompt', {
      model: 'claude-haiku-4-5',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say hello.' },
      ],
      max_tokens: 64,
      temperature: 0.2,
      fallbacks: [
        { url: 'api.openai.com/v1/chat/completions', model: 'gpt-4o-mini' },
        { url: 'generativelanguage.googleapis.com/v1beta', model: 'gemini-2.5-flash' },
      ],
    }, { onprogress: (p) => progress.push(p) });
    const t1 = Date.now();
    const sc = r.structuredContent ?? {};
    check('prompt: not isError', r.isError !== true, textOf(r));
    check('prompt: answer from Gemini', sc.choices?.[0]?.message?.content === 'Hello from Gemini', json(sc.choices));
    // `model` is what the serving provider reports (Gemini's modelVersion; the fake says "gemini-test").
    check('prompt: model is the one the serving provider reported', sc.model === 'gemini-test', json(sc.model));
    check('prompt: served_by.model is the fallback\'s model', sc.routing?.served_by?.model === 'gemini-2.5-flash',
      json(sc.routing?.served_by));
    check('prompt: routing.served_by.attempt == 3', sc.routing?.served_by?.attempt === 3, json(sc.routing?.served_by));
    check('prompt: served_by format "gemini"', sc.routing?.served_by?.format === 'gemini', json(sc.routing?.served_by));
    const attempts = sc.routing?.attempts ?? [];
    check('prompt: attempts statuses are [503, 429, 200]', json(attempts.map((a) => a.status)) === '[503,429,200]',
      json(attempts));
    check('prompt: attempts formats are [anthropic, openai, gemini]',
      json(attempts.map((a) => a.format)) === '["anthropic","openai","gemini"]', json(attempts));
    check('prompt: attempts numbered 1..3', json(attempts.map((a) => a.attempt)) === '[1,2,3]', json(attempts));
    check('prompt: routing.request_id from x-lava-request-id', sc.routing?.request_id === 'req_prompt_1', json(sc.routing));

    // Progress: each fallback says why the chain moved on, then the streamed answer is counted
    // (characters, no total). The server never writes one within 15 ms before the response, so
    // the SDK gets every one it wrote (typescript-sdk#2580; docs/streaming.md).
    const values = progress.map((p) => p.progress);
    check('prompt: onprogress got >= 2 notifications', values.length >= 2, json(progress));
    check('prompt: progress values strictly increase', values.every((v, i) => i === 0 || v > values[i - 1]), json(values));
    check('prompt: progress has no total', progress.every((p) => p.total === undefined), json(progress));
    const rawProgress = raw.filter((x) => x.server === 'login' && x.m.method === 'notifications/progress' &&
      x.at >= t0 && x.at <= t1).map((x) => x.m.params);
    check('prompt: the SDK got every progress notification the server wrote', rawProgress.length === progress.length,
      json(rawProgress));
    check('prompt: the fallbacks say why', rawProgress.length >= 2 &&
      rawProgress[0].message.startsWith('attempt 1 (claude-haiku-4-5) failed: HTTP 503') &&
      rawProgress[1].message.startsWith('attempt 2 (gpt-4o-mini) failed: HTTP 429'), json(rawProgress));

    // What the providers received: each translated body passed that provider's rules.
    const got = (await seen()).slice(before);
    check('prompt: 3 upstream requests (anthropic, openai, gemini)', got.length === 3 &&
      got[0].target.startsWith('https://api.anthropic.com/v1/messages') &&
      got[1].target.startsWith('https://api.openai.com/v1/chat/completions') &&
      /^https:\/\/generativelanguage\.googleapis\.com\/v1beta\/models\/gemini-2\.5-flash:streamGenerateContent\?alt=sse/.test(got[2].target),
      json(got));
    check('prompt: every upstream body passed the provider\'s validation', got.length > 0 && got.every((s) => s.valid),
      json(got.filter((s) => !s.valid)));
    checkNoFullKey('prompt result', r);
  });

  // ---------------------------------------------------------------- search
  await step('search', async () => {
    // The fake has no /v1/services routes: the live catalog answers 404, so the embedded
    // catalog alone answers.
    const r = await call(main, 'search', { query: 'anthropic claude', limit: 3 });
    const sc = r.structuredContent ?? {};
    check('search: not isError', r.isError !== true, textOf(r));
    check('search: source "embedded" (no live catalog on the fake)', sc.source === 'embedded', json(sc.source));
    const results = sc.results ?? [];
    check('search: 1..3 results', results.length >= 1 && results.length <= 3, `${results.length}`);
    check('search: anthropic ranks first', results[0]?.id === 'anthropic', json(results.map((x) => x.id)));
    const examples = results[0]?.examples ?? [];
    check('search: the first result has examples naming call or prompt',
      examples.length > 0 && examples.every((e) => (e.tool === 'call' || e.tool === 'prompt') && e.arguments),
      json(examples));
    // Examples are "ready to run": run each one against the fake Anthropic (every example URL of
    // this provider is api.anthropic.com, which the fake serves on loopback).
    const before = (await seen()).length;
    for (const e of examples) {
      const out = await call(main, e.tool, e.arguments);
      check(`search example "${e.title}" (${e.tool}) runs without isError`, out.isError !== true, textOf(out));
    }
    const got = (await seen()).slice(before);
    check('search examples: every upstream body passed validation', got.length >= examples.length &&
      got.every((s) => s.valid), json(got));
  });

  // ---------------------------------------------------------------- live catalog and docs
  // The fake serves Lava's catalog with one provider, "acme", whose API reference is a page on
  // the fake origin: search merges it, and get_provider_docs fetches it over loopback only.
  await step('search: live catalog', async () => {
    const r = await call(main, 'search', { query: 'acme search', limit: 5 });
    const sc = r.structuredContent ?? {};
    check('search "acme search": not isError', r.isError !== true, textOf(r));
    check('search "acme search": source names the live catalog', /live/.test(sc.source ?? ''), json(sc.source));
    const acme = (sc.results ?? []).find((x) => x.id === 'acme');
    check('search "acme search": the live-only provider is found', !!acme, json(sc.results));
    check('search "acme search": its live service is a runnable call example',
      acme?.examples?.some((e) => e.tool === 'call' && e.arguments?.url === 'https://api.acme.example/v1/search'),
      json(acme?.examples));
  });
  await step('get_provider_docs: live page, then cache', async () => {
    const first = await call(main, 'get_provider_docs', { provider: 'acme', topic: 'rate limits' });
    const sc = first.structuredContent ?? {};
    const text = textOf(first);
    check('get_provider_docs "acme": not isError', first.isError !== true, text);
    check('get_provider_docs "acme": source live', sc.source === 'live', json(sc));
    check('get_provider_docs "acme": readable text, no script, no nav',
      text.includes('Acme API') && text.includes('60 per minute') && !text.includes('hidden') && !text.includes('Menu'), text);
    check('get_provider_docs "acme": the topic section comes first', text.indexOf('Rate limits') < text.indexOf('Search & more'), text);
    const second = await call(main, 'get_provider_docs', { provider: 'acme' });
    check('get_provider_docs "acme" again: from the cache', second.structuredContent?.source === 'cache', json(second.structuredContent));
  });

  // ---------------------------------------------------------------- get_provider_docs
  await step('get_provider_docs: unknown provider', async () => {
    // Only the "no match" form is tested here, on purpose. For a provider that exists, when the
    // live catalog does not answer (the fake 404s /v1/services/providers/<id>), the tool fetches
    // the provider's real https docs URL directly, not through the gateway: that would send
    // traffic off the machine. An unknown name is answered from the embedded catalog alone,
    // after one loopback request to the fake.
    const r = await call(main, 'get_provider_docs', { provider: 'antropic' });
    check('get_provider_docs "antropic": isError', r.isError === true, json(r));
    check('get_provider_docs "antropic": names the closest ids, anthropic among them',
      /closest ids:[^\n]*\banthropic\b/i.test(textOf(r)), textOf(r));
  });

  // ---------------------------------------------------------------- secrets, whole run
  await step('secrets', async () => {
    checkNoFullKey('every message lava-mcp wrote on stdout', raw.map((x) => x.m));
    for (const s of servers) checkNoFullKey(`${s.name}: stderr`, s.stderr);
  });
  await step('all upstream requests', async () => {
    const all = await seen();
    const unexpected = all.filter((s) => !s.valid && !expectInvalid.has(s.target));
    check('every upstream body passed validation (except the deliberate 400)', unexpected.length === 0, json(unexpected));
  });
} finally {
  for (const s of servers) await s.client.close().catch(() => {});
  const code = await fake.stop();
  check('fake services exit 0 when stdin closes', code === 0, `${code}`);
  if (anyFailed()) {
    for (const s of servers) if (s.stderr) console.log(`# ${s.name} stderr:\n${s.stderr.replace(/^/gm, '#   ')}`);
    if (fake.stderr()) console.log(`# fake services stderr:\n${fake.stderr().replace(/^/gm, '#   ')}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

finish();
