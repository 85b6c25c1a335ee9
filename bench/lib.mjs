// Shared pieces of the benchmark driver (driver.mjs) and the profiling helper (profile.mjs):
// the requests, the fake gateway, a raw newline-delimited JSON-RPC client for stdio servers, a
// keep-alive HTTP client, a bounded load generator and small statistics.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';

// ---------------------------------------------------------------- the requests
export const SECRET = 'aks_test_bench0000000000000000';
export const BEARER = Buffer.from(JSON.stringify({ secret_key: SECRET })).toString('base64');
export const MESSAGES = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say hello in one short sentence.' },
];
export const OPENAI_ARGS = { model: 'gpt-4o-mini', max_tokens: 64, messages: MESSAGES };
export const ANTHROPIC_ARGS = { model: 'claude-haiku-4-5', max_tokens: 64, messages: MESSAGES };
export const OPENAI_TARGET = 'https://api.openai.com/v1/chat/completions';
export const ANTHROPIC_TARGET = 'https://api.anthropic.com/v1/messages';
// lava-mcp's translation of ANTHROPIC_ARGS (system hoisted into text blocks): what the direct
// baseline posts for the Anthropic path.
export const ANTHROPIC_BODY = {
  model: 'claude-haiku-4-5',
  max_tokens: 64,
  system: [{ type: 'text', text: 'You are terse.' }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello in one short sentence.' }] }],
};

// The fake gateway's forward endpoint for an upstream URL (what the direct baseline posts to).
export const forwardPath = (target) => `/v1/forward?u=${encodeURIComponent(target)}`;

// ---------------------------------------------------------------- helpers
export const now = () => process.hrtime.bigint();
export const us = (ns) => Number(ns) / 1000;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const log = (...a) => process.stderr.write(`[bench] ${a.join(' ')}\n`);
export function pct(sorted, q) { // nearest rank
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, min: s[0], p50: pct(s, 0.5), p90: pct(s, 0.9), p99: pct(s, 0.99), max: s[s.length - 1], mean };
}
export function procStatus(pid) {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number((text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm')) || [])[1] || NaN);
  return { rss_kib: kb('VmRSS'), hwm_kib: kb('VmHWM'), threads: Number((text.match(/^Threads:\s+(\d+)/m) || [])[1]) };
}
const CLK_TCK = (() => {
  try { return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100; } catch { return 100; }
})();
export function cpuSeconds(pid) { // user + system time of the whole process (all its threads)
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); })])
    .finally(() => clearTimeout(timer));
}

// Every child this process starts is killed (by its own handle) when the process ends.
const children = new Set();
export function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
export function killAll() {
  for (const c of children) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { killAll(); process.exit(130); });

// ---------------------------------------------------------------- the fake gateway
// lava_fake_services prints "origin http://127.0.0.1:PORT" and serves until its stdin closes.
export async function startFake(fakeBin, shim) {
  const env = { ...process.env, ...(shim ? { LD_PRELOAD: shim } : {}) };
  const child = track(spawn(fakeBin, [], { env, stdio: ['pipe', 'pipe', 'inherit'] }));
  const origin = await withTimeout(new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/origin (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`lava_fake_services exited (${code})`)));
  }), 10000, 'lava_fake_services');
  return { child, origin, stop: () => child.stdin.end() };
}

// ---------------------------------------------------------------- HTTP client
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
export function post(url, headers, body) {
  return new Promise((resolve, reject) => {
    const data = typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30000, () => req.destroy(new Error(`timeout ${url}`)));
    req.end(data);
  });
}
export async function timed(promiseFn) { // latency in us of one 200 exchange
  const t0 = now();
  const r = await promiseFn();
  if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 300)}`);
  return us(now() - t0);
}
export function directCalls(origin) { // the baseline: the translated request, straight to the gateway
  return {
    openai: () => timed(() => post(`${origin}/v1/forward?u=${encodeURIComponent(OPENAI_TARGET)}`, { authorization: `Bearer ${BEARER}` }, OPENAI_ARGS)),
    anthropic: () => timed(() => post(`${origin}/v1/forward?u=${encodeURIComponent(ANTHROPIC_TARGET)}`, { authorization: `Bearer ${BEARER}`, 'anthropic-version': '2023-06-01' }, ANTHROPIC_BODY)),
  };
}

// ---------------------------------------------------------------- an MCP server over stdio
export class McpProc {
  constructor(name, cmd, args, env, cwd) {
    this.name = name;
    this.nextId = 0;
    this.pending = new Map();
    this.t_spawn = now();
    this.child = track(spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
    this.pid = this.child.pid;
    this.stderr = '';
    this.child.stderr.on('data', (d) => { if (this.stderr.length < 20000) this.stderr += d; });
    let buf = '';
    this.child.stdout.on('data', (d) => {
      const t = now(); // one timestamp per chunk, taken before any parsing
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        let msg;
        try { msg = JSON.parse(line); } catch { continue; }
        if (msg.id !== undefined && this.pending.has(msg.id)) {
          const p = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          p.resolve({ msg, t });
        }
      }
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    this.child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`${name} exited: ${this.stderr.slice(-500)}`));
      this.pending.clear();
    });
    this.child.stdin.on('error', () => {});
  }
  request(method, params) {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });
  }
  notify(method, params) {
    this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}) }) + '\n');
  }
  // Returns microseconds from spawn to the initialize result.
  async initialize(timeout = 30000) {
    const { msg, t } = await withTimeout(this.request('initialize', {
      protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'lava-bench', version: '1' },
    }), timeout, `${this.name} initialize`);
    if (!msg.result) throw new Error(`${this.name} initialize failed: ${JSON.stringify(msg)}`);
    this.notify('notifications/initialized');
    return us(t - this.t_spawn);
  }
  async call(args, timeout = 30000) {
    const t0 = now();
    const { msg, t } = await withTimeout(this.request('tools/call', { name: 'prompt', arguments: args }), timeout, `${this.name} prompt`);
    if (!msg.result || msg.result.isError) throw new Error(`${this.name} prompt failed: ${JSON.stringify(msg).slice(0, 600)}`);
    return { us: us(t - t0), result: msg.result, t };
  }
  async close() {
    this.child.stdin.end();
    const done = await Promise.race([this.exited, sleep(5000).then(() => null)]);
    if (!done) { this.child.kill('SIGKILL'); await this.exited; }
  }
}

// One stdio MCP server driven by bench/mcp_client (a native client, like the direct baseline):
// each command is one JSON line to it and one JSON line back (see mcp_client.cpp).
export class NativeMcp {
  constructor(name, clientBin, cmd, args, env, cwd, proxyTo) {
    this.name = name;
    this.queue = [];
    this.child = track(spawn(clientBin, [...(proxyTo ? ['--proxy-to', proxyTo] : []), '--', cmd, ...args], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
    this.stderr = '';
    this.child.stderr.on('data', (d) => { if (this.stderr.length < 20000) this.stderr += d; });
    let buf = '';
    this.child.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        this.queue.shift()?.resolve(JSON.parse(line));
      }
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.child.on('exit', (code) => {
      for (const p of this.queue) p.reject(new Error(`${name}: mcp_client exited (${code}): ${this.stderr.slice(-800)}`));
      this.queue = [];
    });
  }
  command(cmd, timeout = 300000) {
    const answer = new Promise((resolve, reject) => this.queue.push({ resolve, reject }));
    this.child.stdin.write(JSON.stringify(cmd) + '\n');
    return withTimeout(answer, timeout, `${this.name} ${cmd.op}`);
  }
  async close() {
    this.child.stdin.end();
    const done = await Promise.race([this.exited, sleep(10000).then(() => null)]);
    if (done === null) { this.child.kill('SIGKILL'); await this.exited; }
  }
}

// The environment both servers get: the fake gateway, a test secret key, an empty home.
export const serverEnv = (origin, home) => ({
  PATH: process.env.PATH, HOME: home, LAVA_MCP_HOME: `${home}/lava-home`,
  LAVA_API_URL: origin, LAVA_SECRET_KEY: SECRET, LAVA_MCP_LOG: 'error',
});

// ---------------------------------------------------------------- load generation
// `total` calls of fn() (which resolves to a latency in us) with `concurrency` in flight, bounded
// by `budgetMs` and the absolute `deadline`; returns the latencies and the wall time in us.
export async function load(fn, total, concurrency, { budgetMs = 60000, deadline = Infinity } = {}) {
  const lat = [];
  let issued = 0;
  const stopAt = Math.min(Date.now() + budgetMs, deadline);
  const t0 = now();
  const worker = async () => {
    while (issued < total && Date.now() < stopAt) {
      issued++;
      lat.push(await fn());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { lat, wall_us: us(now() - t0) };
}

// The direct baseline: bench/direct_client (native, keep-alive) POSTs `body` to origin+urlPath.
// Returns (total, concurrency, warmup) => Promise<{lat, wall_us}>.
export function directClientRunner(directBin, tmpDir, origin, urlPath, body, headers) {
  const port = new URL(origin).port;
  const bodyFile = `${tmpDir}/direct-${Math.random().toString(36).slice(2)}.json`;
  fs.writeFileSync(bodyFile, JSON.stringify(body));
  const argsFor = (total, concurrency, warmup) => [port, urlPath, bodyFile,
    String(total), String(concurrency), String(warmup), ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return (total, concurrency, warmup) => new Promise((resolve, reject) => {
    const child = track(spawn(directBin, argsFor(total, concurrency, warmup), { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) { reject(new Error(`direct_client failed (${code}): ${err.slice(-500)}`)); return; }
      const r = JSON.parse(out);
      resolve({ lat: r.lat, wall_us: r.wall_us });
    });
  });
}
