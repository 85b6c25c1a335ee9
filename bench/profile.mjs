#!/usr/bin/env node
// Profiling helper: starts the fake gateway, runs ONE lava-mcp (optionally under a wrapper such
// as callgrind, strace or perf) for a fixed number of prompt calls, and prints latency and the
// server's CPU time per call. Used for the findings in bench/README.md; not part of run.sh.
//
//   node bench/profile.mjs [--lava BIN] [--fake BIN] [--fake-shim SO] [--calls 500]
//        [--concurrency 1] [--path openai|anthropic] [--wrap "valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out"]
//
// Instructions per call with callgrind: run --calls 0 and --calls N with the same --wrap and
// divide the difference of the two "totals:" lines by N.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ANTHROPIC_ARGS, McpProc, OPENAI_ARGS, cpuSeconds, load, serverEnv, startFake, stats } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.lastIndexOf(name); // the last one wins: run.sh passes defaults first
  return i >= 0 ? argv[i + 1] : fallback;
};
const lavaBin = path.resolve(opt('--lava', path.join(HERE, '../build/bench/src/lava-mcp')));
const fakeBin = path.resolve(opt('--fake', path.join(HERE, '../build/bench/tests/fake_services/lava_fake_services')));
const shimOpt = opt('--fake-shim', path.join(HERE, '../build/bench/bench-shim/libbench_fake_shim.so'));
const shim = shimOpt && fs.existsSync(shimOpt) ? path.resolve(shimOpt) : '';
const calls = Number(opt('--calls', '500'));
const concurrency = Number(opt('--concurrency', '1'));
const args = opt('--path', 'openai') === 'anthropic' ? ANTHROPIC_ARGS : OPENAI_ARGS;
const wrap = (opt('--wrap', '') || '').split(/\s+/).filter(Boolean);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lava-profile-'));
const fake = await startFake(fakeBin, shim);
const cmd = wrap.length ? wrap[0] : lavaBin;
const cmdArgs = wrap.length ? [...wrap.slice(1), lavaBin] : [];
const server = new McpProc('lava-mcp', cmd, cmdArgs, serverEnv(fake.origin, tmp), tmp);
await server.initialize(60000);
// With a wrapper the pid is the wrapper's; CPU time is then the wrapper's process (valgrind runs
// the program in-process, strace does not).
const cpu0 = cpuSeconds(server.pid);
const { lat, wall_us: wall } = await load(() => server.call(args, 120000).then((r) => r.us), calls, concurrency, { budgetMs: 10 * 60 * 1000 });
const cpu = cpuSeconds(server.pid) - cpu0;
await server.close();
fake.stop();
fs.rmSync(tmp, { recursive: true, force: true });
if (lat.length) {
  const s = stats(lat);
  console.log(`calls ${lat.length} at concurrency ${concurrency}: p50 ${s.p50.toFixed(0)} us, p99 ${s.p99.toFixed(0)} us, ` +
    `${((lat.length / wall) * 1e6).toFixed(0)} calls/s, server CPU ${((cpu / lat.length) * 1e6).toFixed(0)} us/call`);
} else {
  console.log('0 calls (startup only)');
}
