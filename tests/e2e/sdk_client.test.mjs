#!/usr/bin/env node
// End-to-end: the official TypeScript SDK v1 client drives the installed lava-mcp over stdio.
//   node tests/e2e/sdk_client.test.mjs <path/to/lava-mcp>     (or env LAVA_MCP_BIN)
// Offline by design: LAVA_API_URL points at a closed loopback port, so `search` must answer
// from its embedded catalog. HOME is a fresh temp dir, so no developer config leaks in.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { OPTS, anyFailed, check, finish, step, textOf } from './checks.mjs';

const bin = process.argv[2] ?? process.env.LAVA_MCP_BIN;
if (!bin || !fs.existsSync(bin)) {
  console.error(`usage: node sdk_client.test.mjs <lava-mcp binary> (got ${JSON.stringify(bin)})`);
  process.exit(2);
}


const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lava-mcp-e2e-'));
const env = { ...process.env, HOME: home, LAVA_API_URL: 'http://127.0.0.1:9', BROWSER: 'none' };
for (const k of ['XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'LAVA_MCP_HOME', 'LAVA_SECRET_KEY', 'LAVA_SPEND_KEY']) delete env[k];

const transport = new StdioClientTransport({ command: path.resolve(bin), args: [], env, cwd: home, stderr: 'pipe' });
let stderr = '';
transport.stderr?.on('data', (d) => { stderr += d; });
let negotiated;
transport.setProtocolVersion = (v) => { negotiated = v; }; // called by Client.connect
const client = new Client({ name: 'lava-mcp-e2e-sdk', version: '0.0.0' }, { capabilities: {} });
const transportErrors = []; // e.g. a non-JSON line on stdout
client.onerror = (e) => transportErrors.push(String(e?.message ?? e));

try {
  await step('connect', async () => {
    await client.connect(transport, OPTS);
    check('initialize negotiates 2025-11-25', negotiated === '2025-11-25', `got ${negotiated}`);
    const info = client.getServerVersion();
    check('serverInfo.name is "lava-mcp"', info?.name === 'lava-mcp', JSON.stringify(info));
    check('serverInfo.version is a non-empty string', typeof info?.version === 'string' && info.version.length > 0);
    const caps = client.getServerCapabilities() ?? {};
    check('capabilities declare tools', typeof caps.tools === 'object', JSON.stringify(caps));
    check('capabilities declare logging', typeof caps.logging === 'object', JSON.stringify(caps));
  });

  await step('tools/list', async () => {
    const tools = [];
    let cursor;
    do {
      const page = await client.listTools(cursor ? { cursor } : {}, OPTS);
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    console.log(`# tools: ${tools.map((t) => t.name).join(', ')}`);
    check('names are unique', new Set(tools.map((t) => t.name)).size === tools.length);
    for (const t of tools) { // the product contract: name, title, description, schemas, annotations
      check(`${t.name}: has a title`, typeof t.title === 'string' && t.title.length > 0);
      check(`${t.name}: has a description`, typeof t.description === 'string' && t.description.length > 0);
      check(`${t.name}: has annotations`, typeof t.annotations === 'object' && t.annotations !== null);
      check(`${t.name}: inputSchema.type is "object"`, t.inputSchema?.type === 'object', JSON.stringify(t.inputSchema));
      check(`${t.name}: outputSchema.type is "object"`, t.outputSchema?.type === 'object', JSON.stringify(t.outputSchema));
    }
    const search = tools.find((t) => t.name === 'search');
    if (check('search is listed', !!search)) {
      check('search: query is a required string', search.inputSchema.required?.includes('query') &&
        search.inputSchema.properties?.query?.type === 'string', JSON.stringify(search.inputSchema));
      check('search: additionalProperties is false', search.inputSchema.additionalProperties === false);
    }
  });

  await step('search {query:"web search"}', async () => {
    // The SDK itself rejects a structuredContent that does not match the outputSchema.
    const r = await client.callTool({ name: 'search', arguments: { query: 'web search' } }, undefined, OPTS);
    check('search: not isError', r.isError !== true, textOf(r));
    check('search: has a text block', textOf(r).length > 0);
    const sc = r.structuredContent ?? {};
    check('search: structuredContent.query echoes the query', sc.query === 'web search', JSON.stringify(sc.query));
    check('search: source is "embedded" while offline', sc.source === 'embedded', JSON.stringify(sc.source));
    const results = Array.isArray(sc.results) ? sc.results : [];
    check('search: results is non-empty', results.length > 0);
    check('search: at most 5 results by default', results.length <= 5, `${results.length}`);
    check('search: every result has an id', results.every((x) => typeof x.id === 'string' && x.id.length > 0));
    const examples = results.flatMap((x) => x.examples ?? []);
    check('search: every example names call or prompt', examples.every((e) => e.tool === 'call' || e.tool === 'prompt'));
    check('search: every example has arguments',
      examples.every((e) => e.arguments && typeof e.arguments === 'object' && !Array.isArray(e.arguments)),
      JSON.stringify(examples.filter((e) => !e.arguments)));
  });

  // Argument validation failures are tool results with isError (SEP-1303), naming the field.
  for (const [args, field] of [
    [{ query: 5 }, 'query'],
    [{}, 'query'],
    [{ query: 'x', limit: 99 }, 'limit'],
    [{ query: 'x', extra: 1 }, 'extra'],
  ]) {
    const name = `search ${JSON.stringify(args)} is an isError result naming "${field}"`;
    await step(name, async () => {
      const r = await client.callTool({ name: 'search', arguments: args }, undefined, OPTS);
      check(name, r.isError === true && textOf(r).includes(field), JSON.stringify(r));
    });
  }

  await step('unknown tool', async () => {
    try {
      const r = await client.callTool({ name: 'no_such_tool', arguments: {} }, undefined, OPTS);
      check('unknown tool is JSON-RPC error -32602', false, `got a result: ${JSON.stringify(r)}`);
    } catch (e) {
      check('unknown tool is JSON-RPC error -32602', e instanceof McpError && e.code === -32602, String(e));
    }
  });

  await step('logging/setLevel', async () => {
    check('logging/setLevel debug answers {}', JSON.stringify(await client.setLoggingLevel('debug', OPTS)) === '{}');
  });
  await step('ping', async () => {
    check('ping answers {}', JSON.stringify(await client.ping(OPTS)) === '{}');
  });

  await step('close', async () => {
    const pid = transport.pid;
    const t0 = Date.now();
    await client.close(); // ends stdin; SIGTERM only if the server is still alive 2 s later
    const ms = Date.now() - t0;
    let alive = true;
    try { process.kill(pid, 0); } catch { alive = false; }
    check('server process is gone after close()', !alive, `pid ${pid}`);
    check('server exits on stdin EOF within 2 s', ms < 2000, `close() took ${ms} ms`);
  });
  check('stdout carried only JSON-RPC (no transport errors)', transportErrors.length === 0, transportErrors.join(' | '));
} finally {
  await client.close().catch(() => {});
  fs.rmSync(home, { recursive: true, force: true });
}

if (anyFailed() && stderr) console.log(`# server stderr:\n${stderr.replace(/^/gm, '#   ')}`);
finish();
