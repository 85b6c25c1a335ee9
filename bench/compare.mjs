#!/usr/bin/env node
// A/B of the sequential prompt overhead of several lava-mcp builds, for trying an optimisation
// before a full run: one fake gateway, interleaved rounds of the direct baseline and each build
// (so drift and the machine's other tenants hit all alike), both paths. Prints p50 and the
// overhead (p50 minus the direct p50) per build. Needs what ./bench/run.sh builds.
//
//   node bench/compare.mjs [--rounds 20] [--calls 100] BUILD_A/lava-mcp BUILD_B/lava-mcp ...
//
// Copy each binary somewhere before rebuilding; the same binary twice shows the noise floor.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ANTHROPIC_ARGS, ANTHROPIC_BODY, ANTHROPIC_TARGET, BEARER, NativeMcp, OPENAI_ARGS, OPENAI_TARGET,
  directClientRunner, forwardPath, killAll, serverEnv, startFake, stats,
} from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BUILD = path.join(HERE, '../build/bench');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv.splice(i, 2)[1]) : fallback;
};
const ROUNDS = opt('--rounds', 20);
const CALLS = opt('--calls', 100);
const WARMUP = 50;
const bins = argv.map((b) => path.resolve(b));
if (bins.length === 0) {
  console.error('usage: node bench/compare.mjs [--rounds N] [--calls N] LAVA_BIN...');
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lava-compare-'));
const fake = await startFake(`${BUILD}/tests/fake_services/lava_fake_services`, `${BUILD}/bench-shim/libbench_fake_shim.so`);
try {
  const direct = (target, body, headers) => directClientRunner(`${BUILD}/bench-tools/direct_client`, tmp, fake.origin, forwardPath(target), body, headers);
  const paths = [
    ['OpenAI passthrough', OPENAI_ARGS, direct(OPENAI_TARGET, OPENAI_ARGS, { Authorization: `Bearer ${BEARER}` })],
    ['OpenAI->Anthropic', ANTHROPIC_ARGS, direct(ANTHROPIC_TARGET, ANTHROPIC_BODY, { Authorization: `Bearer ${BEARER}`, 'anthropic-version': '2023-06-01' })],
  ];
  const servers = [];
  for (const [i, bin] of bins.entries()) {
    const server = new NativeMcp(`build ${i + 1}`, `${BUILD}/bench-tools/mcp_client`, bin, [], serverEnv(fake.origin, tmp), tmp);
    await server.command({ op: 'initialize' });
    servers.push(server);
  }
  for (const [name, args, runDirect] of paths) {
    const base = [];
    const lat = servers.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      base.push(...(await runDirect(CALLS, 1, WARMUP)).lat);
      for (const [i, server] of servers.entries()) {
        lat[i].push(...(await server.command({ op: 'calls', args, count: CALLS, concurrency: 1, warmup: WARMUP })).lat);
      }
    }
    const direct50 = stats(base).p50;
    console.log(`${name}, sequential: direct p50 ${direct50.toFixed(0)} us`);
    for (const [i, bin] of bins.entries()) {
      const p50 = stats(lat[i]).p50;
      console.log(`  ${i + 1}. ${bin}: p50 ${p50.toFixed(0)} us, overhead ${(p50 - direct50).toFixed(0)} us`);
    }
  }
  for (const server of servers) await server.close();
} finally {
  fake.stop();
  killAll();
  fs.rmSync(tmp, { recursive: true, force: true });
}
