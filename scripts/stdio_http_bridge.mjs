#!/usr/bin/env node
// stdio -> Streamable-HTTP bridge, so HTTP-only MCP tooling (the official conformance
// suite) can test a stdio server.
//
//   PORT=0 node scripts/stdio_http_bridge.mjs <server cmd> [args...]
//
// Prints "listening <port>" on stdout once ready; endpoint http://localhost:<port>/mcp.
// Each HTTP session (created only by a POST carrying `initialize`) owns one child
// process. JSON-RPC lines are forwarded verbatim in both directions. Anything the child
// sends that is not a response (notifications, server->client requests) goes out on the
// SSE stream of the POST it belongs to: progress by progressToken, everything else to the
// newest POST still in flight. No standalone GET stream (405), no resumability.
// Modern (2026-07-28) requests are stateless: a POST without Mcp-Session-Id whose message is
// `server/discover` or carries the per-request `_meta` protocol version goes to one shared child
// that no session owns (never reaped), and its answer carries no Mcp-Session-Id. When the
// first thing the child sends for such a POST is its response, it goes back as one JSON body
// with the HTTP status the modern HTTP transport gives the error (-32601: 404; -32602,
// -32020..-32022: 400); a MCP-Protocol-Version or Mcp-Method header that contradicts the body
// is -32020 (HeaderMismatch) with 400, never forwarded.
// Env: PORT (default 3001), BRIDGE_IDLE_MS (default 30000: idle sessions are reaped,
// because the 0.1.x conformance runner never sends DELETE).
import http from 'node:http';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import readline from 'node:readline';

const [cmd, ...cmdArgs] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: PORT=0 node stdio_http_bridge.mjs <server cmd> [args...]');
  process.exit(2);
}
const PORT = Number(process.env.PORT ?? 3001);
const IDLE_MS = Number(process.env.BRIDGE_IDLE_MS ?? 30000);
const MAX_BODY = 16 * 1024 * 1024;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const sessions = new Map(); // session id -> Session
let stateless; // the Session whose child serves every modern (stateless) POST
const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';
const isModern = (m) => m?.method === 'server/discover' || m?.params?._meta?.[PROTOCOL_VERSION_META] !== undefined;
const log = (...a) => console.error('[bridge]', ...a);

// DNS-rebinding protection: Host (and Origin, when sent) must name a loopback host.
function loopbackOnly(req) {
  try {
    if (!LOOPBACK.has(new URL(`http://${req.headers.host ?? ''}`).hostname)) return false;
    const origin = req.headers.origin;
    return !origin || LOOPBACK.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

class Session {
  constructor() {
    this.id = randomUUID();
    this.posts = []; // open POST streams, oldest first: {res, pending: Set<idKey>}
    this.byId = new Map(); // JSON-RPC request id (JSON text) -> post
    this.byToken = new Map(); // progressToken (JSON text) -> post
    this.lastSeen = Date.now();
    this.child = spawn(cmd, cmdArgs, { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.on('error', (e) => { log(`spawn failed: ${e.message}`); this.close('could not start the server'); });
    this.child.on('exit', (code, sig) => { log(`child ${this.id} exited (${sig ?? code})`); this.close('server process exited'); });
    this.child.stdin.on('error', () => {}); // EPIPE after the child died: reported by 'exit'
    readline.createInterface({ input: this.child.stdout }).on('line', (l) => this.fromChild(l));
    sessions.set(this.id, this);
  }

  fromChild(line) {
    this.lastSeen = Date.now();
    let msg;
    try { msg = JSON.parse(line); } catch { msg = undefined; }
    if (typeof msg !== 'object' || msg === null) return log(`not a JSON-RPC message from server: ${line.slice(0, 200)}`);
    const isResponse = !msg.method && ('result' in msg || 'error' in msg);
    let post;
    if (isResponse) {
      // id:null errors (parse error, invalid request) answer whatever was sent last.
      post = msg.id === null ? this.posts.at(-1) : this.byId.get(JSON.stringify(msg.id));
    } else {
      const token = msg.method === 'notifications/progress' ? msg.params?.progressToken : undefined;
      post = (token !== undefined && this.byToken.get(JSON.stringify(token))) || this.posts.at(-1);
    }
    if (!post) return log(`dropped (no open request stream): ${line.slice(0, 200)}`);
    if (post.deferHead) {
      post.deferHead = false;
      if (isResponse && post.pending.size === 1) {
        post.res.writeHead(httpStatusOf(msg), { 'Content-Type': 'application/json' });
        post.res.end(line);
        post.pending.clear();
        this.byId.delete(JSON.stringify(msg.id));
        return this.finish(post);
      }
      post.res.writeHead(200, SSE_HEADERS);
      post.res.flushHeaders();
    }
    if (!post.res.writableEnded) post.res.write(`event: message\ndata: ${line}\n\n`);
    if (isResponse) {
      if (msg.id === null) post.pending.clear();
      else { post.pending.delete(JSON.stringify(msg.id)); this.byId.delete(JSON.stringify(msg.id)); }
      if (post.pending.size === 0) this.finish(post);
    }
  }

  // Forward one POST body (a message or a batch) and, if it holds requests, stream back.
  forward(body, raw, res, isInit) {
    this.lastSeen = Date.now();
    const msgs = Array.isArray(body) ? body : [body];
    const requests = msgs.filter((m) => m && typeof m.method === 'string' && m.id !== undefined);
    this.child.stdin.write(raw.replace(/\r?\n/g, ' ') + '\n'); // one line; JSON needs no raw newlines
    if (requests.length === 0) return res.writeHead(202).end();
    const post = { res, pending: new Set(), tokens: [] };
    for (const r of requests) {
      const key = JSON.stringify(r.id);
      post.pending.add(key);
      this.byId.set(key, post);
      const token = r.params?._meta?.progressToken;
      if (token !== undefined) { post.tokens.push(JSON.stringify(token)); this.byToken.set(JSON.stringify(token), post); }
    }
    this.posts.push(post);
    res.on('close', () => this.finish(post));
    if (this.stateless) {
      post.deferHead = true; // JSON or SSE: decided by the child's first message (fromChild)
      return;
    }
    res.writeHead(200, { ...SSE_HEADERS, ...(isInit ? { 'Mcp-Session-Id': this.id } : {}) });
    res.flushHeaders(); // client went away: later messages are dropped
  }

  finish(post) {
    const i = this.posts.indexOf(post);
    if (i < 0) return;
    this.posts.splice(i, 1);
    for (const key of post.pending) this.byId.delete(key);
    for (const t of post.tokens) if (this.byToken.get(t) === post) this.byToken.delete(t);
    this.lastSeen = Date.now();
    if (!post.res.writableEnded) post.res.end();
  }

  close(why) {
    if (!sessions.delete(this.id)) return;
    for (const post of [...this.posts]) {
      // Fail what the dead child can no longer answer, so the client does not hang.
      for (const key of why ? post.pending : []) {
        const err = { jsonrpc: '2.0', id: JSON.parse(key), error: { code: -32603, message: `bridge: ${why}` } };
        if (!post.res.writableEnded) post.res.write(`event: message\ndata: ${JSON.stringify(err)}\n\n`);
      }
      this.finish(post);
    }
    // Same order as a stdio host: close stdin, then SIGTERM, then SIGKILL.
    this.child.stdin.end();
    const term = setTimeout(() => this.child.kill('SIGTERM'), 2000);
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 4000);
    for (const t of [term, kill]) t.unref();
    this.child.once('exit', () => { clearTimeout(term); clearTimeout(kill); });
  }
}

const SSE_HEADERS = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' };

// The HTTP status of a stateless answer (2026-07-28 Streamable HTTP).
function httpStatusOf(msg) {
  const code = msg.error?.code;
  if (code === -32601) return 404;
  if (code === -32602 || (code >= -32022 && code <= -32020)) return 400;
  return 200;
}

// Why the MCP-Protocol-Version or Mcp-Method header contradicts the body; '' when neither does.
function headerMismatch(req, body) {
  const version = req.headers['mcp-protocol-version'];
  const inBody = body?.params?._meta?.[PROTOCOL_VERSION_META];
  if (version !== undefined && inBody !== undefined && version !== inBody) {
    return `MCP-Protocol-Version header ${version} differs from _meta ${inBody}`;
  }
  const method = req.headers['mcp-method'];
  if (method !== undefined && method !== body?.method) return `Mcp-Method header ${method} differs from ${body?.method}`;
  return '';
}

function fail(res, status, message, code = -32000, id = null) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new Error('body too large')); req.destroy(); } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(req, res) {
  if (!loopbackOnly(req)) return fail(res, 403, 'Forbidden: non-loopback Host or Origin');
  if (new URL(req.url, 'http://localhost').pathname !== '/mcp') return fail(res, 404, 'Not found');
  const sid = req.headers['mcp-session-id'];
  const session = sid ? sessions.get(sid) : undefined;
  if (req.method === 'GET') return fail(res, 405, 'No standalone SSE stream on this bridge');
  if (req.method === 'DELETE') {
    if (!sid) return fail(res, 400, 'Missing Mcp-Session-Id');
    if (!session) return fail(res, 404, 'Session not found');
    session.close();
    return res.writeHead(200).end();
  }
  if (req.method !== 'POST') return fail(res, 405, 'Method not allowed');

  const raw = await readBody(req);
  let body;
  try { body = JSON.parse(raw); } catch { return fail(res, 400, 'Parse error', -32700); }
  if (sid && !session) return fail(res, 404, 'Session not found');
  if (session) return session.forward(body, raw, res, false);
  if (!Array.isArray(body) && isModern(body)) {
    const mismatch = headerMismatch(req, body);
    if (mismatch) return fail(res, 400, `Header mismatch: ${mismatch}`, -32020, body.id ?? null);
    if (!stateless || !sessions.has(stateless.id)) { stateless = new Session(); stateless.stateless = true; }
    return stateless.forward(body, raw, res, false);
  }
  if (body?.method !== 'initialize') return fail(res, 400, 'Bad Request: no Mcp-Session-Id and not an initialize request');
  new Session().forward(body, raw, res, true);
}

const onRequest = (req, res) => handle(req, res).catch((e) => {
  log(`request failed: ${e.message}`);
  if (!res.headersSent) fail(res, 400, e.message); else res.end();
});

// Listen on both loopback families so "localhost" works whichever address it resolves to.
const servers = [http.createServer(onRequest), http.createServer(onRequest)];
servers[0].listen(PORT, '127.0.0.1', () => {
  const port = servers[0].address().port;
  const ready = () => console.log(`listening ${port}`);
  servers[1].once('error', (e) => { log(`no IPv6 loopback (${e.code}); IPv4 only`); ready(); });
  servers[1].listen(port, '::1', ready);
});

setInterval(() => {
  const now = Date.now();
  for (const s of sessions.values()) {
    if (!s.stateless && s.posts.length === 0 && now - s.lastSeen > IDLE_MS) { log(`reaping idle session ${s.id}`); s.close(); }
  }
}, 1000).unref();

function shutdown() {
  const children = [...sessions.values()].map((s) => (s.close(), s.child));
  for (const c of children) c.kill('SIGTERM'); // the bridge is going away: do not wait 2 s
  for (const s of servers) s.close();
  setTimeout(() => process.exit(0), 200).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
