#!/usr/bin/env node
// End-to-end: long generations against the TypeScript SDK v1 client's request timeout (issue 16;
// README "Deadlines"). Real time is scaled by LAVA_E2E_TIME_SCALE (default 0.1: a 90 s
// generation takes 9 s, the SDK's 60 s timeout is 6 s); at 1 every figure is the real one.
//   1. A 90 s generation completes in a client that resets its 60 s timeout on progress
//      (`resetTimeoutOnProgress`, the call's deadline_ms above the generation), and the same
//      call in a client that does not reset times out in the SDK: the progress is what kept it.
//   2. With the default deadline (55 s for a host that is not Claude Code), a client with the
//      SDK's 60 s timeout and no reset gets lava-mcp's own result, the text so far marked as
//      cut, before its timeout. Scaled, the default is given as LAVA_MCP_DEADLINE_MS = 55 s x
//      scale; at scale 1 nothing is set and the host default table itself is exercised.
//   node tests/e2e/sdk_progress.test.mjs <path/to/lava-mcp> <path/to/lava_fake_services>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FAKE_SECRET_KEY, OPTS, binariesFromArgs, check, finish, startFakeServices, step, textOf } from './checks.mjs';

const [bin, fakeBin] = binariesFromArgs('sdk_progress.test.mjs');
const SCALE = Number(process.env.LAVA_E2E_TIME_SCALE ?? '0.1');
const scaled = (ms) => Math.round(ms * SCALE);
const GENERATION_MS = scaled(90000);
const SDK_TIMEOUT_MS = scaled(60000);
const DEFAULT_DEADLINE_MS = scaled(55000);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lava-mcp-e2e-progress-'));

const { fake, origin } = await startFakeServices(fakeBin);

async function connect(extraEnv = {}) {
  const home = fs.mkdtempSync(path.join(tmp, 'home-'));
  const env = { PATH: process.env.PATH, HOME: home, LAVA_API_URL: origin, LAVA_SECRET_KEY: FAKE_SECRET_KEY, BROWSER: 'none', ...extraEnv };
  const transport = new StdioClientTransport({ command: path.resolve(bin), args: [], env, cwd: home, stderr: 'pipe' });
  const client = new Client({ name: 'lava-mcp-e2e-progress', version: '0.0.0' }, { capabilities: {} });
  await client.connect(transport, OPTS);
  return client;
}

// The next OpenAI answer streams WORDS words, one event every `delay` ms, GENERATION_MS in all
// (the fake's stream: a role chunk, a chunk per word, the finish chunk, usage, [DONE]).
const WORDS = 40;
const ANSWER = Array.from({ length: WORDS }, (_, i) => `w${i + 1}`).join(' ');
async function scriptLongAnswer() {
  const delay = Math.round(GENERATION_MS / (WORDS + 3));
  const r = await fetch(`${origin}/__script`, { method: 'POST', body: JSON.stringify({ provider: 'openai', kind: 'stream_trickle', delay_ms: delay, text: ANSWER }) });
  if (r.status !== 200) throw new Error(`/__script answered ${r.status}`);
}

const prompt = (extra = {}) => ({ name: 'prompt', arguments: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Write at length.' }], ...extra } });

await step(`a ${GENERATION_MS} ms generation completes in a client that resets its ${SDK_TIMEOUT_MS} ms timeout on progress`, async () => {
  const client = await connect();
  await scriptLongAnswer();
  const progress = [];
  const started = Date.now();
  const r = await client.callTool(prompt({ deadline_ms: GENERATION_MS * 2 }), undefined, {
    timeout: SDK_TIMEOUT_MS, resetTimeoutOnProgress: true, onprogress: (p) => progress.push(p),
  });
  const elapsed = Date.now() - started;
  check('the call outlasted the SDK timeout', elapsed > SDK_TIMEOUT_MS, `${elapsed} ms`);
  check('the whole answer, not cut', r.isError !== true && r.structuredContent?.choices?.[0]?.message?.content === ANSWER &&
    r.structuredContent.choices[0].finish_reason === 'stop', textOf(r).slice(0, 300));
  const values = progress.map((p) => p.progress);
  check('progress came all along, rising, without a total',
    progress.length >= Math.floor(GENERATION_MS / SDK_TIMEOUT_MS) + 1 && values.every((v, i) => i === 0 || v > values[i - 1]) &&
    progress.every((p) => p.total === undefined), JSON.stringify(progress.slice(0, 5)));
  await client.close();
});

await step('the same call in a client that does not reset on progress times out in the SDK', async () => {
  const client = await connect();
  await scriptLongAnswer();
  let error = null;
  try {
    await client.callTool(prompt({ deadline_ms: GENERATION_MS * 2 }), undefined, { timeout: SDK_TIMEOUT_MS, onprogress: () => {} });
  } catch (e) {
    error = e;
  }
  check("the SDK's own timeout (-32001)", error?.code === -32001, String(error));
  await client.close();
});

await step(`with the default deadline a ${SDK_TIMEOUT_MS} ms client gets lava-mcp's result first`, async () => {
  const client = await connect(SCALE === 1 ? {} : { LAVA_MCP_DEADLINE_MS: String(DEFAULT_DEADLINE_MS) });
  await scriptLongAnswer();
  const started = Date.now();
  let r = null;
  let error = null;
  try {
    r = await client.callTool(prompt(), undefined, { timeout: SDK_TIMEOUT_MS });
  } catch (e) {
    error = e;
  }
  const elapsed = Date.now() - started;
  check('a result, not the SDK timeout', error === null, String(error));
  const choice = r?.structuredContent?.choices?.[0];
  check('the text so far, marked as cut by the deadline',
    r?.isError !== true && choice?.finish_reason === 'deadline' && ANSWER.startsWith(choice?.message?.content ?? 'x') &&
      r.structuredContent.routing?.cut_by_deadline === true && /\[cut:/.test(textOf(r)),
    textOf(r).slice(0, 400));
  check('it came at the deadline, before the SDK timeout', elapsed >= DEFAULT_DEADLINE_MS * 0.9 && elapsed < SDK_TIMEOUT_MS, `${elapsed} ms`);
  await client.close();
});

fake.stdin.end();
finish();
