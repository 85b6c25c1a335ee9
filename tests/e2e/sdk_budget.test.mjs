#!/usr/bin/env node
// End-to-end: the result budget (README "Result size") through the official TypeScript SDK v1
// client, which also checks every structuredContent against the tool's outputSchema. A call
// whose echoed body is about 300,000 characters must come back within 100,000 characters in
// all, the body carried once: in the text for a host that reads the text, in structuredContent
// for Claude Code (clientInfo.name "claude-code"), which reads structuredContent alone.
//   node tests/e2e/sdk_budget.test.mjs <path/to/lava-mcp> <path/to/lava_fake_services>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FAKE_SECRET_KEY, OPTS, binariesFromArgs, check, finish, startFakeServices, step, textOf } from './checks.mjs';

const [bin, fakeBin] = binariesFromArgs('sdk_budget.test.mjs');
const BUDGET_CHARS = 25000 * 4;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lava-mcp-e2e-budget-'));

const { fake, origin } = await startFakeServices(fakeBin);

async function connect(clientName) {
  const home = fs.mkdtempSync(path.join(tmp, 'home-'));
  const env = { PATH: process.env.PATH, HOME: home, LAVA_API_URL: origin, LAVA_SECRET_KEY: FAKE_SECRET_KEY, BROWSER: 'none' };
  const transport = new StdioClientTransport({ command: path.resolve(bin), args: [], env, cwd: home, stderr: 'pipe' });
  const client = new Client({ name: clientName, version: '0.0.0' }, { capabilities: {} });
  await client.connect(transport, OPTS);
  return client;
}

// The next provider answer is a 200 whose JSON body is about 300,000 characters.
async function answerBig(text) {
  const body = JSON.stringify({ data: text });
  const r = await fetch(`${origin}/__script`, { method: 'POST', body: JSON.stringify({ provider: 'openai', kind: 'status', status: 200, body }) });
  if (r.status !== 200) throw new Error(`/__script answered ${r.status}`);
}
// The fake provider checks the request as OpenAI's would, so the call carries a chat body.
const args = { url: 'https://api.openai.com/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] } };
const size = (r) => JSON.stringify(r.content).length + JSON.stringify(r.structuredContent ?? null).length;
const xs = (s) => (s.match(/x{1000}/g) ?? []).length; // thousands of the body's characters

for (const [name, structuredSide] of [['lava-mcp-e2e-budget', false], ['claude-code', true]]) {
  await step(`${name}: a call over the budget`, async () => {
    const client = await connect(name);
    await answerBig('x'.repeat(300000));
    const r = await client.callTool({ name: 'call', arguments: args }, undefined, OPTS);
    check(`${name}: not an error`, r.isError !== true, textOf(r).slice(0, 300));
    check(`${name}: the whole result is within ${BUDGET_CHARS} characters`, size(r) <= BUDGET_CHARS, `${size(r)}`);
    const inText = xs(textOf(r));
    const inStructured = xs(JSON.stringify(r.structuredContent));
    check(`${name}: the body is carried once, on the side the host reads`,
      structuredSide ? inStructured > 50 && inText === 0 : inText > 50 && inStructured === 0,
      `text ${inText}k, structured ${inStructured}k`);
    check(`${name}: the result says it was cut and how to get the rest`,
      r.structuredContent?.truncated === true && /\[cut: the body is \d+ characters/.test(textOf(r)) && /Range/.test(textOf(r)),
      textOf(r).slice(-300));
    await answerBig('hello');
    const small = await client.callTool({ name: 'call', arguments: args }, undefined, OPTS);
    check(`${name}: a small body is on both sides`,
      textOf(small).includes('hello') && JSON.stringify(small.structuredContent).includes('hello'));
    await client.close();
  });
}
fake.stdin.end();
finish();
