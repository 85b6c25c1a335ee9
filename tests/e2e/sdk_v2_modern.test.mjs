#!/usr/bin/env node
// End-to-end: the official TypeScript SDK v2 client (@modelcontextprotocol/client) in the modern
// era (2026-07-28), pinned and with 'auto' negotiation, against the installed lava-mcp and
// lava_fake_services (the whole fake Lava on one loopback origin).
//   node tests/e2e/sdk_v2_modern.test.mjs <path/to/lava-mcp> <path/to/lava_fake_services>
//
// Per mode: the era negotiated by server/discover, tools/list (five tools with output schemas),
// login through MRTR (the SDK's input_required driver calls the scripted URL-elicitation handler
// and retries), call, prompt, search and get_provider_docs with their structuredContent, and a
// subscriptions/listen stream. Every stdout message is tapped: no request from the server.
// Offline: LAVA_API_URL/LAVA_APP_URL are the fake, BROWSER is "none", URLs off the fake origin
// are declined.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { OPTS, check, finish, step, textOf } from './checks.mjs';

const [bin, fakeBin] = process.argv.slice(2);
if (!bin || !fs.existsSync(bin) || !fakeBin || !fs.existsSync(fakeBin)) {
  console.error('usage: node sdk_v2_modern.test.mjs <lava-mcp> <lava_fake_services>');
  process.exit(2);
}
const json = (v) => JSON.stringify(v);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lava-mcp-e2e-v2-'));
const children = [];
process.on('exit', () => { for (const c of children) { try { c.kill('SIGKILL'); } catch {} } });

async function startFake() { // prints "origin http://127.0.0.1:PORT", serves until stdin closes
  const child = spawn(path.resolve(fakeBin), [], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const lines = readline.createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no origin line in 10 s')), 10000);
    lines.on('line', (line) => {
      const m = /^origin (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
}
const origin = await startFake().catch((e) => { check('fake services start', false, String(e)); finish(); });
const isFakeUrl = (u) => { try { return new URL(u).origin === origin; } catch { return false; } };

async function connect(label, mode) {
  const home = fs.mkdtempSync(path.join(tmp, `${label}-`));
  const env = {
    ...process.env, HOME: home, LAVA_MCP_HOME: path.join(home, 'lava-mcp'),
    LAVA_API_URL: origin, LAVA_APP_URL: origin, BROWSER: 'none', LAVA_MCP_ALLOW_LOOPBACK_FETCH: '1',
  };
  for (const k of ['XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'LAVA_SECRET_KEY', 'LAVA_SPEND_KEY', 'LAVA_MCP_LOG']) delete env[k];
  const transport = new StdioClientTransport({ command: path.resolve(bin), args: [], env, cwd: home, stderr: 'pipe' });
  const s = { label, raw: [], elicitations: [], stderr: '' };
  transport.stderr?.on('data', (d) => { s.stderr += d; });
  let onmessage; // tap what the server writes on this connection
  Object.defineProperty(transport, 'onmessage', {
    get: () => (onmessage ? (m, extra) => { s.raw.push(m); onmessage(m, extra); } : undefined),
    set: (fn) => { onmessage = fn; },
  });
  s.client = new Client({ name: `lava-mcp-e2e-v2-${label}`, version: '0.0.0' }, {
    capabilities: { elicitation: { url: {} } },
    versionNegotiation: { mode, probe: { timeoutMs: 5000 } },
  });
  s.client.setRequestHandler('elicitation/create', async (req) => {
    const params = req.params ?? req;
    s.elicitations.push(params);
    if (params.mode !== 'url' || !isFakeUrl(params.url)) return { action: 'decline' };
    const r = await fetch(params.url, { redirect: 'follow' }); // the user's browser
    s.followed = r.status;
    return { action: 'accept' };
  });
  await s.client.connect(transport, OPTS);
  return s;
}

const call = (s, name, args) => s.client.callTool({ name, arguments: args }, OPTS);

for (const [label, mode] of [['pin', { pin: '2026-07-28' }], ['auto', 'auto']]) {
  const s = await step(`${label}: connect`, () => connect(label, mode));
  if (!s) continue;
  check(`${label}: modern era negotiated`, s.client.getProtocolEra() === 'modern' &&
    s.client.getNegotiatedProtocolVersion() === '2026-07-28',
  `${s.client.getProtocolEra()} ${s.client.getNegotiatedProtocolVersion()}`);

  await step(`${label}: tools/list`, async () => {
    const { tools } = await s.client.listTools();
    check(`${label}: five tools`, json(tools.map((t) => t.name)) ===
      json(['login', 'prompt', 'call', 'search', 'get_provider_docs']), json(tools.map((t) => t.name)));
    check(`${label}: every tool has an outputSchema`, tools.every((t) => t.outputSchema?.type === 'object'));
  });

  await step(`${label}: login via MRTR`, async () => {
    const r = await call(s, 'login', { wait_seconds: 20 });
    check(`${label}: login authenticated`, r.structuredContent?.status === 'authenticated', json(r));
    check(`${label}: one URL elicitation, followed`, s.elicitations.length === 1 &&
      s.elicitations[0].mode === 'url' && s.followed === 200, json(s.elicitations));
    const asked = s.raw.find((m) => m.result?.resultType === 'input_required');
    check(`${label}: the first leg was input_required with a requestState`,
      typeof asked?.result?.requestState === 'string' &&
      asked.result.inputRequests?.lava_login?.method === 'elicitation/create', json(asked));
  });

  await step(`${label}: call, prompt, search, get_provider_docs`, async () => {
    const c = await call(s, 'call', {
      url: 'https://api.openai.com/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] },
    });
    check(`${label}: call 200`, c.structuredContent?.status === 200, json(c.structuredContent));
    const p = await call(s, 'prompt', { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 64 });
    check(`${label}: prompt answered`, p.isError !== true &&
      p.structuredContent?.object === 'chat.completion' && p.structuredContent?.choices?.length > 0, textOf(p));
    const q = await call(s, 'search', { query: 'anthropic claude', limit: 3 });
    check(`${label}: search ranks anthropic first`, q.structuredContent?.results?.[0]?.id === 'anthropic',
      json(q.structuredContent?.results?.map((x) => x.id)));
    const d = await call(s, 'get_provider_docs', { provider: 'acme', topic: 'rate limits' });
    check(`${label}: get_provider_docs live`, d.structuredContent?.source === 'live', json(d.structuredContent));
  });

  await step(`${label}: subscriptions/listen`, async () => {
    const sub = await s.client.listen({ toolsListChanged: true });
    check(`${label}: listen acknowledged, honouring nothing`, json(sub.honoredFilter ?? {}) === '{}', json(sub.honoredFilter));
    await sub.close();
  });

  const requests = s.raw.filter((m) => m.method && m.id !== undefined);
  check(`${label}: the server sent no request`, requests.length === 0, json(requests));
  const results = s.raw.filter((m) => m.result && m.id !== undefined);
  check(`${label}: every result has resultType and serverInfo`, results.every((m) =>
    m.result.resultType && m.result._meta?.['io.modelcontextprotocol/serverInfo']?.name === 'lava-mcp'),
  json(results.find((m) => !m.result.resultType)));
  await s.client.close();
}
finish();
