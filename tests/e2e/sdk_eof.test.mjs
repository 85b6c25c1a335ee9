#!/usr/bin/env node
// End-to-end: shutdown at stdin EOF (README "Protocol behaviour", tools.md 4) through the official
// TypeScript SDK v1 client. A prompt is in flight at the fake gateway, which answers after 1.5 s,
// when the client ends the server's stdin (the pipe closing, as when a host stops writing or
// `echo ... | lava-mcp` reaches the end of its input). The call's answer must still arrive over
// stdout, and the process must then exit 0 by itself.
//   node tests/e2e/sdk_eof.test.mjs <path/to/lava-mcp> <path/to/lava_fake_services>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FAKE_SECRET_KEY, OPTS, binariesFromArgs, check, finish, startFakeServices, step, textOf } from './checks.mjs';

const [bin, fakeBin] = binariesFromArgs('sdk_eof.test.mjs');
const SLOW_MS = 1500;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lava-mcp-e2e-eof-'));

const { fake, origin } = await startFakeServices(fakeBin);
const fakeApi = async (route, body) => {
  const r = await fetch(`${origin}${route}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`${route} answered ${r.status}`);
  return r.json();
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

await step('a prompt in flight when stdin ends', async () => {
  const env = { PATH: process.env.PATH, HOME: home, LAVA_API_URL: origin, LAVA_SECRET_KEY: FAKE_SECRET_KEY, BROWSER: 'none' };
  const transport = new StdioClientTransport({ command: path.resolve(bin), args: [], env, cwd: home, stderr: 'pipe' });
  let stderr = '';
  transport.stderr.on('data', (chunk) => { stderr += chunk; });
  const client = new Client({ name: 'lava-mcp-e2e-eof', version: '0.0.0' }, { capabilities: {} });
  await client.connect(transport, OPTS);
  // The transport keeps the child to itself; its stdin is ended below without a kill, which
  // client.close() would add after 2 s (and it would drop the pending call at once).
  const child = transport._process;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  await fakeApi('/__script', { provider: 'openai', kind: 'slow', delay_ms: SLOW_MS });
  const before = (await fakeApi('/__seen')).length;
  let settled = false;
  const call = client.callTool({
    name: 'prompt',
    arguments: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] },
  }, undefined, OPTS).finally(() => { settled = true; });
  call.catch(() => {}); // awaited below; a rejection before then must not end the run
  for (let i = 0; i < 500 && (await fakeApi('/__seen')).length === before; i++) await sleep(10);
  check('the prompt reached the fake provider', (await fakeApi('/__seen')).length > before);

  child.stdin.end(); // EOF on the server's stdin while the provider is still sleeping
  check('the call was still in flight when stdin ended', !settled);

  let result;
  try {
    result = await call;
  } catch (e) {
    check('the call in flight at EOF gets its answer', false, `${e?.message ?? e}; stderr: ${stderr.slice(-500)}`);
  }
  if (result) {
    check('the call in flight at EOF gets its answer', true);
    check('the answer is the provider\'s completion, not an error',
      result.isError !== true && result.structuredContent?.object === 'chat.completion' &&
      textOf(result).includes('Hello from OpenAI'), textOf(result).slice(0, 300));
  }
  const exit = await Promise.race([exited, sleep(10000).then(() => null)]);
  check('the server then exits by itself with 0', exit?.code === 0,
    exit ? `code ${exit.code}, signal ${exit.signal}` : 'still running 10 s after EOF');
  if (!exit) child.kill('SIGKILL');
  await client.close();
});
fake.stdin.end();
finish();
