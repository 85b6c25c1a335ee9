#!/usr/bin/env node
// The benchmark driver (bench/run.sh runs it). One run, everything on 127.0.0.1:
//   - lava_fake_services: the fake Lava gateway with fake Anthropic/OpenAI behind it;
//   - lava-mcp and the Node peer (bench/peers/node_peer.mjs, official TS SDK + fetch), each
//     spoken to over stdio with raw newline-delimited JSON-RPC: from this process for startup
//     and memory, and from bench/mcp_client (native) for every latency;
//   - Portkey's open-source gateway (npm @portkey-ai/gateway) pointed at the same fake upstream
//     with x-portkey-custom-host, for the OpenAI -> Anthropic translation path;
//   - a direct client (bench/direct_client.cpp: cpp-httplib, keep-alive, TCP_NODELAY) posting
//     the already-translated request to the fake gateway: the baseline every overhead subtracts;
//     it also times Portkey, so every latency is taken by a native client.
// Prints the table and writes the JSON results. Every loop is bounded in count and in time.
//
//   node bench/driver.mjs --lava BIN --fake BIN --direct-client BIN --mcp-client BIN [--fake-shim SO]
//        [--out FILE] [--quick] [--no-callgrind] [--lava-env KEY=VALUE]...
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ANTHROPIC_ARGS, ANTHROPIC_BODY, ANTHROPIC_TARGET, BEARER, McpProc, NativeMcp, OPENAI_ARGS, OPENAI_TARGET, cpuSeconds,
  directCalls, directClientRunner, forwardPath, freePort, killAll, load, log, post, procStatus, serverEnv, sleep, startFake, stats, track,
} from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.lastIndexOf(name); // the last one wins: run.sh passes defaults first
  return i >= 0 ? argv[i + 1] : fallback;
};
const flag = (name) => argv.includes(name);
const LAVA_BIN = path.resolve(opt('--lava', path.join(HERE, '../build/bench/src/lava-mcp')));
const FAKE_BIN = path.resolve(opt('--fake', path.join(HERE, '../build/bench/tests/fake_services/lava_fake_services')));
const OUT = path.resolve(opt('--out', path.join(HERE, 'results/latest.json')));
const DIRECT_BIN = path.resolve(opt('--direct-client', path.join(HERE, '../build/bench/bench-tools/direct_client')));
const MCP_CLIENT_BIN = path.resolve(opt('--mcp-client', path.join(HERE, '../build/bench/bench-tools/mcp_client')));
const SSE_DECODE_BIN = path.resolve(opt('--sse-decode', path.join(HERE, '../build/bench/bench/lava_mcp_sse_decode')));
const FAKE_SHIM = opt('--fake-shim', '') && path.resolve(opt('--fake-shim', ''));
const QUICK = flag('--quick');
// --lava-env KEY=VALUE (repeatable): extra environment for lava-mcp, for what-if experiments
// (e.g. LD_PRELOAD of a patch stand-in); recorded in the results.
const LAVA_EXTRA_ENV = Object.fromEntries(argv.flatMap((a, i) => (a === '--lava-env' ? [argv[i + 1].split(/=(.*)/s).slice(0, 2)] : [])));
const CALLGRIND = !flag('--no-callgrind');
const PEER_SCRIPT = path.join(HERE, 'peers/node_peer.mjs');
const PORTKEY_SCRIPT = path.join(HERE, 'peers/node_modules/@portkey-ai/gateway/build/start-server.js');
const LOOPBACK_HOOK = path.join(HERE, 'peers/loopback.mjs');
const RUN_DEADLINE = Date.now() + 15 * 60 * 1000; // hard stop for the whole run

// Calls per contender and level, [total, rounds]: the total is split into interleaved rounds
// (direct, lava-mcp, other, direct, ...) so that drift and other tenants' load hit every
// contender alike; each round starts with `warmup` unrecorded calls on warm connections.
const N = QUICK
  ? { startup: 21, levels: { 1: [400, 8], 8: [800, 4], 32: [1600, 2] }, warmup: 40, rss: 300, failover: 15, callgrind: 50, ping: 500,
    stream: { progress: 40, levels: { 1: [200, 4], 8: [400, 2] }, warmup: 10, decode_s: 0.5 } }
  : { startup: 25, levels: { 1: [2000, 20], 8: [4000, 8], 32: [6000, 4] }, warmup: 100, rss: 300, failover: 50, callgrind: 200, ping: 2000,
    stream: { progress: 150, levels: { 1: [800, 8], 8: [1600, 4] }, warmup: 20, decode_s: 1 } };

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'lava-bench-'));
const SETTLE_MS = 100;
const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);
const spawnLava = (origin, name = 'lava-mcp') => new McpProc(name, LAVA_BIN, [], { ...serverEnv(origin, TMP), ...LAVA_EXTRA_ENV }, TMP);
const spawnPeer = (origin) => new McpProc('node-peer', process.execPath, [PEER_SCRIPT], serverEnv(origin, TMP), TMP);
const loadB = (fn, total, concurrency, budgetMs = 60000) => load(fn, total, concurrency, { budgetMs, deadline: RUN_DEADLINE });

// bench/direct_client posts `body` to http://127.0.0.1:PORT/PATH `total` times at `concurrency`
// (after `warmup` unrecorded requests on the same connections) and reports each latency: the
// direct gateway baseline, and Portkey.
const directRunner = (origin, urlPath, body, headers) => directClientRunner(DIRECT_BIN, TMP, origin, urlPath, body, headers);

// ---------------------------------------------------------------- Portkey
async function startPortkey(origin) {
  const port = await freePort();
  const child = track(spawn(process.execPath, ['--import', LOOPBACK_HOOK, PORTKEY_SCRIPT, `--port=${port}`, '--headless'], {
    env: { PATH: process.env.PATH, HOME: TMP, NODE_ENV: 'production' }, cwd: TMP, stdio: ['ignore', 'ignore', 'pipe'],
  }));
  let stderr = '';
  child.stderr.on('data', (d) => { if (stderr.length < 20000) stderr += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      await new Promise((resolve, reject) => {
        const req = http.get(url + '/', (res) => { res.resume(); res.on('end', resolve); });
        req.on('error', reject);
      });
      break;
    } catch (e) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`Portkey did not start: ${stderr.slice(-800)}`);
      await sleep(50);
    }
  }
  const headers = {
    'x-portkey-provider': 'anthropic',
    // Portkey appends "/messages" to the custom host: this lands on the fake gateway's forward
    // endpoint with u=https://api.anthropic.com/v1/messages. The Lava bearer rides along as a
    // forwarded header (Portkey itself would send it to Anthropic as x-api-key).
    'x-portkey-custom-host': `${origin}/v1/forward?u=https://api.anthropic.com/v1`,
    'x-portkey-forward-headers': 'authorization',
    authorization: `Bearer ${BEARER}`,
  };
  return {
    pid: child.pid, origin: url, headers,
    call: () => post(`${url}/v1/chat/completions`, headers, ANTHROPIC_ARGS),
    stop: () => child.kill('SIGTERM'),
  };
}

// ---------------------------------------------------------------- callgrind
function hasValgrind() {
  try { execFileSync('valgrind', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}
async function callgrindRun(origin, args, calls, tag) {
  const out = path.join(TMP, `callgrind.${tag}.out`);
  const proc = new McpProc(`lava-mcp (callgrind ${tag})`, 'valgrind',
    ['--tool=callgrind', `--callgrind-out-file=${out}`, '--dump-instr=no', '--collect-jumps=no', LAVA_BIN], { ...serverEnv(origin, TMP), ...LAVA_EXTRA_ENV }, TMP);
  await proc.initialize();
  for (let i = 0; i < calls; i++) await proc.call(args, 60000);
  await proc.close();
  const text = fs.readFileSync(out, 'utf8');
  const m = text.match(/^(?:summary|totals):\s+(\d+)/m);
  if (!m) throw new Error(`no totals in ${out}`);
  return { ir: Number(m[1]), file: out };
}

// ---------------------------------------------------------------- streaming
// 200 events of about five tokens each ("lorem_ipsum_dolor_sit" is one piece of the fake's
// stream, about five tokens): OpenAI's stream is a role chunk, then one chunk per piece.
const STREAM_TEXT = Array.from({ length: 200 }, () => 'lorem_ipsum_dolor_sit').join(' ');
const STREAM_BODY = { ...OPENAI_ARGS, stream: true, stream_options: { include_usage: true } };

async function streaming(O) {
  const S = N.stream;
  const lava = new NativeMcp('lava-mcp (stream)', MCP_CLIENT_BIN, LAVA_BIN, [], { ...serverEnv(O, TMP), ...LAVA_EXTRA_ENV }, TMP);
  await lava.command({ op: 'initialize' });
  // First progress: the fake writes an event every millisecond (a model streams over time, so
  // each event reaches lava-mcp alone); timed from the write of event 1, the first with text.
  log(`streaming: first progress, ${S.progress} calls`);
  const trickle = { provider: 'openai', kind: 'stream_trickle', delay_ms: 1, text: STREAM_TEXT };
  const fp = await lava.command({ op: 'first_progress', origin: O, args: OPENAI_ARGS, script: trickle, runs: S.progress, text_event: 1 });
  const out = { events: 200, first_progress_us: stats(fp.first), whole_call_from_first_event_us: stats(fp.whole), overhead: {} };
  // Overhead over the direct streamed round trip: the whole 200-event stream at once (no delay),
  // read whole by direct_client, against the prompt call that streams it; interleaved rounds.
  const burst = (count) => post(`${O}/__script`, {}, { provider: 'openai', kind: 'stream_trickle', delay_ms: 0, text: STREAM_TEXT, repeat: count });
  const direct = directRunner(O, forwardPath(OPENAI_TARGET), STREAM_BODY, { Authorization: `Bearer ${BEARER}` });
  for (const [levelText, [total, rounds]] of Object.entries(S.levels)) {
    const level = Number(levelText);
    log(`streaming: overhead at concurrency ${level}, ${total} calls each`);
    const samples = { direct: [], lava: [] };
    const per = Math.ceil(total / rounds);
    for (let r = 0; r < rounds; r++) {
      await sleep(SETTLE_MS);
      await burst(per + S.warmup);
      samples.direct.push(...(await direct(per, level, S.warmup)).lat);
      await sleep(SETTLE_MS);
      await burst(per + S.warmup);
      samples.lava.push(...(await lava.command({ op: 'calls', args: OPENAI_ARGS, count: per, concurrency: level, warmup: S.warmup })).lat);
    }
    const d = stats(samples.direct);
    const l = stats(samples.lava);
    out.overhead[level] = { direct: d, lava: l, overhead_p50: l.p50 - d.p50, overhead_p99: l.p99 - d.p99 };
  }
  await lava.close();
  log('streaming: SSE decoding throughput');
  out.decode = JSON.parse(execFileSync(SSE_DECODE_BIN, [String(S.decode_s)]).toString());
  return out;
}

// ---------------------------------------------------------------- the run
async function main() {
  const results = {
    meta: {
      date: new Date().toISOString(), host: os.hostname(), loadavg_at_start: os.loadavg(), cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model,
      kernel: os.release(), node: process.version, quick: QUICK, counts: N,
      lava_mcp: LAVA_BIN, fake_shim: FAKE_SHIM || null, lava_extra_env: LAVA_EXTRA_ENV, commit: (() => { try { return execFileSync('git', ['-C', HERE, 'rev-parse', '--short', 'HEAD']).toString().trim(); } catch { return null; } })(),
    },
  };
  const fake = await startFake(FAKE_BIN, FAKE_SHIM);
  log(`fake gateway at ${fake.origin}`);
  const O = fake.origin;
  const direct = directCalls(O);
  // Sanity: the direct requests are valid for the fake providers.
  await direct.openai();
  await direct.anthropic();

  // 1. Startup to the initialize result, alternating the two servers.
  log(`startup: ${N.startup} runs each`);
  const startup = { lava: [], peer: [] };
  for (let i = 0; i < N.startup + 1; i++) {
    for (const [key, spawnIt] of [['lava', spawnLava], ['peer', spawnPeer]]) {
      const p = spawnIt(O);
      const t = await p.initialize();
      await p.close();
      if (i > 0) startup[key].push(t); // the first run of each warms the page cache
    }
  }
  results.startup = { lava: stats(startup.lava), peer: stats(startup.peer) };

  // 2. Resident memory after a few hundred calls, fresh processes.
  log(`memory: ${N.rss} calls each`);
  {
    const lava = spawnLava(O);
    const peer = spawnPeer(O);
    await lava.initialize();
    await peer.initialize();
    const idle = { lava: procStatus(lava.pid), peer: procStatus(peer.pid) };
    let k = 0;
    await loadB(() => lava.call(k++ % 2 ? OPENAI_ARGS : ANTHROPIC_ARGS).then((r) => r.us), N.rss, 8);
    await loadB(() => peer.call(OPENAI_ARGS).then((r) => r.us), N.rss, 8);
    await sleep(300);
    results.memory = { calls: N.rss, concurrency: 8, idle, after: { lava: procStatus(lava.pid), peer: procStatus(peer.pid) } };
    await lava.close();
    await peer.close();
  }

  // 3 + 5. Overhead (and throughput at 32): each level interleaves rounds of the direct baseline
  // and the servers, so drift hits all alike. Every latency is taken by a native client:
  // direct_client for HTTP (the gateway, Portkey), mcp_client for the stdio servers.
  const portkey = await startPortkey(O);
  const lava = new NativeMcp('lava-mcp', MCP_CLIENT_BIN, LAVA_BIN, [], { ...serverEnv(O, TMP), ...LAVA_EXTRA_ENV }, TMP);
  const peer = new NativeMcp('node-peer', MCP_CLIENT_BIN, process.execPath, [PEER_SCRIPT], serverEnv(O, TMP), TMP);
  lava.pid = (await lava.command({ op: 'initialize' })).pid;
  peer.pid = (await peer.command({ op: 'initialize' })).pid;
  await sleep(1500); // let Portkey's start-up timers settle
  // Check that Portkey really translated and hit the fake's Anthropic.
  {
    const r = await portkey.call();
    const body = JSON.parse(r.body);
    if (r.status !== 200 || body.choices?.[0]?.message?.content !== 'Hello from Claude') throw new Error(`Portkey path broken: ${r.status} ${r.body.slice(0, 400)}`);
  }
  // Each contender's overhead is over the direct round trip of the request it sends upstream:
  // the peers post the whole-response request, lava-mcp streams every attempt (issue 16), so its
  // baseline posts the same request with `stream: true` and reads the stream whole.
  const anthropicHeaders = { Authorization: `Bearer ${BEARER}`, 'anthropic-version': '2023-06-01' };
  const directOpenai = directRunner(O, forwardPath(OPENAI_TARGET), OPENAI_ARGS, { Authorization: `Bearer ${BEARER}` });
  const directOpenaiStream = directRunner(O, forwardPath(OPENAI_TARGET), STREAM_BODY, { Authorization: `Bearer ${BEARER}` });
  const directAnthropic = directRunner(O, forwardPath(ANTHROPIC_TARGET), ANTHROPIC_BODY, anthropicHeaders);
  const directAnthropicStream = directRunner(O, forwardPath(ANTHROPIC_TARGET), { ...ANTHROPIC_BODY, stream: true }, anthropicHeaders);
  const viaPortkey = directRunner(portkey.origin, '/v1/chat/completions', ANTHROPIC_ARGS, portkey.headers);
  const mcpRun = (server, args) => async (total, level) => {
    const r = await server.command({ op: 'calls', args, count: total, concurrency: level, warmup: N.warmup });
    return { lat: r.lat, wall_us: r.wall_us, cpu_us: r.cpu_us };
  };
  const withCpu = (pid, run) => async (total, level) => {
    const cpu0 = cpuSeconds(pid);
    const r = await run(total, level, N.warmup);
    // The process's CPU time covers the warm-up requests too: count the measured share.
    return { ...r, cpu_us: ((cpuSeconds(pid) - cpu0) * 1e6 * total) / (total + N.warmup) };
  };
  const contenders = {
    openai: {
      direct: (total, level) => directOpenai(total, level, N.warmup),
      direct_stream: (total, level) => directOpenaiStream(total, level, N.warmup),
      lava: mcpRun(lava, OPENAI_ARGS),
      peer: mcpRun(peer, OPENAI_ARGS),
    },
    anthropic: {
      direct: (total, level) => directAnthropic(total, level, N.warmup),
      direct_stream: (total, level) => directAnthropicStream(total, level, N.warmup),
      lava: mcpRun(lava, ANTHROPIC_ARGS),
      portkey: withCpu(portkey.pid, viaPortkey),
    },
  };
  // The floor of any MCP call: a `ping` round trip over stdio (JSON-RPC encode, pipe, the
  // server's read/parse/answer, pipe, decode), no tool and no HTTP.
  results.ping = {};
  for (const [name, proc] of [['lava', lava], ['peer', peer]]) {
    await proc.command({ op: 'ping', count: N.warmup });
    results.ping[name] = stats((await proc.command({ op: 'ping', count: N.ping })).lat);
  }
  results.overhead = {};
  for (const [pathName, set] of Object.entries(contenders)) {
    results.overhead[pathName] = {};
    for (const [levelText, [total, rounds]] of Object.entries(N.levels)) {
      const level = Number(levelText);
      log(`overhead ${pathName} at concurrency ${level}: ${total} calls per contender in ${rounds} rounds`);
      const samples = {};
      const roundP50 = {};
      const wall = {};
      const cpu = {};
      for (const name of Object.keys(set)) {
        samples[name] = [];
        roundP50[name] = [];
        wall[name] = 0;
        cpu[name] = null;
      }
      for (let r = 0; r < rounds; r++) {
        for (const [name, run] of Object.entries(set)) {
          if (Date.now() > RUN_DEADLINE) throw new Error('the run took too long');
          // A pause before each contender's round: what the previous one left running (a Node
          // peer's garbage collection and timers after thousands of calls) finishes on the 2
          // shared CPUs instead of landing in the next contender's round.
          await sleep(SETTLE_MS);
          const { lat, wall_us, cpu_us } = await run(Math.ceil(total / rounds), level);
          samples[name].push(...lat);
          roundP50[name].push(stats(lat).p50);
          wall[name] += wall_us;
          if (cpu_us !== undefined) cpu[name] = (cpu[name] ?? 0) + cpu_us;
        }
      }
      const out = {};
      const baseline = (name) => (name === 'lava' ? 'direct_stream' : 'direct');
      for (const name of Object.keys(set)) {
        const s = stats(samples[name]);
        const base = stats(samples[baseline(name)]);
        out[name] = {
          ...s,
          throughput_per_s: (samples[name].length / wall[name]) * 1e6,
          ...(cpu[name] !== null ? { cpu_us_per_call: cpu[name] / samples[name].length } : {}),
          ...(name.startsWith('direct') ? {} : {
            overhead_p50: s.p50 - base.p50,
            overhead_p99: s.p99 - base.p99,
            // Each round's p50 minus the direct p50 of the same round, median over the rounds:
            // a burst of noise from the machine's other tenants moves a few rounds, not this.
            overhead_p50_paired: stats(roundP50[name].map((p, i) => p - roundP50[baseline(name)][i])).p50,
          }),
        };
      }
      // Diagnostic, not judged: lava-mcp over the whole-response request, as before issue 16.
      out.lava.overhead_p50_over_whole = out.lava.p50 - out.direct.p50;
      results.overhead[pathName][level] = out;
    }
  }
  results.memory.after_all = { lava: procStatus(lava.pid), peer: procStatus(peer.pid), portkey: procStatus(portkey.pid) };
  await lava.close();
  await peer.close();
  portkey.stop();

  // 4. Failover: mcp_client puts a pass-through proxy between the server and the fake gateway;
  // the fake fails the primary (a 503, or a connection cut mid-body), the fallback answers.
  log(`failover: ${N.failover} runs per case`);
  {
    const cases = {
      // lava-mcp: Anthropic primary (translated) -> OpenAI fallback.
      lava: { cmd: LAVA_BIN, args: [], env: { ...serverEnv(O, TMP), ...LAVA_EXTRA_ENV }, provider: 'anthropic',
        call: { ...ANTHROPIC_ARGS, fallbacks: [{ url: 'api.openai.com/v1/chat/completions', model: 'gpt-4o-mini' }] } },
      // The peer cannot translate: OpenAI primary -> OpenAI fallback.
      peer: { cmd: process.execPath, args: [PEER_SCRIPT], env: serverEnv(O, TMP), provider: 'openai',
        call: { ...OPENAI_ARGS, fallbacks: [{ url: 'api.openai.com/v1/chat/completions', model: 'gpt-4o' }] } },
    };
    results.failover = {};
    for (const [name, c] of Object.entries(cases)) {
      const server = new NativeMcp(`${name} (failover)`, MCP_CLIENT_BIN, c.cmd, c.args, c.env, TMP, O);
      await server.command({ op: 'initialize' });
      results.failover[name] = {};
      for (const [label, script] of [['503', { kind: 'status', status: 503 }], ['drop', { kind: 'drop' }]]) {
        const r = await server.command({ op: 'failover', args: c.call, script: { provider: c.provider, ...script }, runs: N.failover });
        results.failover[name][label] = { failure_to_answer: stats(r.gap), whole_call: stats(r.whole) };
        results.failover[name].plain_call_via_proxy = stats(r.plain);
      }
      await server.close();
    }
  }

  // 6. Streaming (issue 16 item 8): a streamed answer of 1,000 tokens in 200 events.
  results.streaming = await streaming(O);

  // 5b. Instructions per call (callgrind), startup subtracted.
  if (CALLGRIND && hasValgrind()) {
    log(`callgrind: 0 and ${N.callgrind} calls per path`);
    // Per call: N + 1 calls minus 1 call, so the one-time work of the first request (libcurl's
    // and OpenSSL's initialisation, lazy since startup stopped paying it) is not spread over N.
    const zero = await callgrindRun(O, OPENAI_ARGS, 0, 'zero');
    const one = await callgrindRun(O, OPENAI_ARGS, 1, 'one');
    const oa = await callgrindRun(O, OPENAI_ARGS, N.callgrind + 1, 'openai');
    const an = await callgrindRun(O, ANTHROPIC_ARGS, N.callgrind + 1, 'anthropic');
    results.callgrind = {
      calls: N.callgrind,
      startup_ir: zero.ir,
      first_call_ir: one.ir - zero.ir,
      openai_ir_per_call: (oa.ir - one.ir) / N.callgrind,
      anthropic_ir_per_call: (an.ir - one.ir) / N.callgrind,
    };
    if (process.env.LAVA_BENCH_KEEP_CALLGRIND) {
      for (const f of [zero.file, one.file, oa.file, an.file]) fs.copyFileSync(f, path.join(process.env.LAVA_BENCH_KEEP_CALLGRIND, path.basename(f)));
    }
  } else {
    results.callgrind = null;
    log('callgrind skipped');
  }
  fake.stop();

  results.meta.loadavg_at_end = os.loadavg();
  results.targets = judge(results);
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT + '.tmp', JSON.stringify(results, null, 2) + '\n');
  fs.renameSync(OUT + '.tmp', OUT);
  printTable(results);
  log(`wrote ${path.relative(process.cwd(), OUT) || OUT}`);
  fs.rmSync(TMP, { recursive: true, force: true });
}

// ---------------------------------------------------------------- targets and the table
// The overhead ratio of another contender to lava-mcp; lava-mcp's overhead is floored at 1 us so
// a zero or negative difference (lava-mcp as fast as the direct client) gives a large ratio,
// not a division by zero or a sign flip.
const overheadRatio = (other, lava) => other / Math.max(lava, 1);

function judge(r) {
  const t = [];
  const add = (name, value, unit, target, pass) => t.push({ name, value: round(value, 2), unit, target, pass });
  const su = r.startup;
  add('startup: Node peer / lava-mcp (medians)', su.peer.p50 / su.lava.p50, 'x', '>= 20', su.peer.p50 / su.lava.p50 >= 20);
  const m = r.memory.after;
  add(`RSS lava-mcp after ${r.memory.calls} calls`, m.lava.rss_kib / 1024, 'MiB', '<= 20', m.lava.rss_kib / 1024 <= 20);
  add('RSS Node peer / lava-mcp', m.peer.rss_kib / m.lava.rss_kib, 'x', '>= 4', m.peer.rss_kib / m.lava.rss_kib >= 4);
  // The absolute budget is judged on sequential calls: under concurrency on 2 shared cores the
  // figure is queueing behind the other processes (reported, not judged; see bench/README.md).
  for (const p of ['openai', 'anthropic']) {
    const o = r.overhead[p]['1'].lava.overhead_p50;
    add(`overhead p50 lava-mcp, ${p === 'openai' ? 'OpenAI passthrough' : 'OpenAI->Anthropic'}, sequential`, o, 'us', '<= 250', o <= 250);
  }
  for (const level of Object.keys(r.overhead.openai)) {
    const o = r.overhead.openai[level];
    const a = r.overhead.anthropic[level];
    const c = level === '1' ? 'sequential' : `concurrency ${level}`;
    const rp = overheadRatio(o.peer.overhead_p50, o.lava.overhead_p50);
    const rk = overheadRatio(a.portkey.overhead_p50, a.lava.overhead_p50);
    add(`overhead p50 Node peer / lava-mcp, ${c}`, rp, 'x', '>= 3', rp >= 3);
    add(`overhead p50 Portkey / lava-mcp, ${c}`, rk, 'x', '>= 3', rk >= 3);
  }
  // p90 of N.failover runs: the max is printed too, but one scheduling hiccup on 2 shared cores
  // should not decide it (bench/README.md).
  for (const label of ['503', 'drop']) {
    const f = r.failover.lava[label].failure_to_answer;
    add(`failover lava-mcp after ${label === '503' ? 'a 503' : 'a connection cut mid-body'} (p90 of ${f.n})`, f.p90 / 1000, 'ms', '<= 5', f.p90 / 1000 <= 5);
  }
  const s = r.streaming;
  add('streaming: first progress after the first text event, p50', s.first_progress_us.p50, 'us', '<= 1000', s.first_progress_us.p50 <= 1000);
  for (const [format, f] of Object.entries(s.decode.formats)) {
    add(`streaming: SSE decoding / memory scan, ${format}`, f.mb_s / f.scan_mb_s, 'x', '>= 0.25', f.mb_s / f.scan_mb_s >= 0.25);
  }
  return t;
}

function printTable(r) {
  const rows = [];
  const line = (...cells) => rows.push(cells.map((c) => (c === undefined || c === null ? '' : String(c))));
  const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toString() : 'n/a');
  const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
  const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
  const ratio = (a, b) => (Number.isFinite(a / b) && b > 0 ? `${(a / b).toFixed(1)}x` : 'n/a');
  const oratio = (other, lava) => (lava < 1 ? 'lava-mcp <= direct' : `${overheadRatio(other, lava).toFixed(1)}x`);
  line('figure', 'lava-mcp', 'Node peer (TS SDK)', 'Portkey 1.15.2', 'ratio (other / lava-mcp)');
  line('---');
  const su = r.startup;
  line(`startup to initialize result, median of ${su.lava.n} (ms)`, f2(su.lava.p50 / 1000), f1(su.peer.p50 / 1000), '', ratio(su.peer.p50, su.lava.p50));
  line('  p90 (ms)', f2(su.lava.p90 / 1000), f1(su.peer.p90 / 1000), '', '');
  const m = r.memory;
  line(`RSS after ${m.calls} calls at c${m.concurrency} (MiB)`, f1(m.after.lava.rss_kib / 1024), f1(m.after.peer.rss_kib / 1024), '', ratio(m.after.peer.rss_kib, m.after.lava.rss_kib));
  line('  RSS idle after initialize (MiB)', f1(m.idle.lava.rss_kib / 1024), f1(m.idle.peer.rss_kib / 1024), '', ratio(m.idle.peer.rss_kib, m.idle.lava.rss_kib));
  line('  RSS after the whole run (MiB)', f1(m.after_all.lava.rss_kib / 1024), f1(m.after_all.peer.rss_kib / 1024), f1(m.after_all.portkey.rss_kib / 1024), '');
  line('---');
  line('stdio JSON-RPC ping round trip (mcp_client), p50 (us)', f0(r.ping.lava.p50), f0(r.ping.peer.p50), '', ratio(r.ping.peer.p50, r.ping.lava.p50));
  for (const [pathName, label, other, otherCol] of [['openai', 'OpenAI passthrough', 'peer', 1], ['anthropic', 'OpenAI->Anthropic', 'portkey', 2]]) {
    for (const level of Object.keys(r.overhead[pathName])) {
      const o = r.overhead[pathName][level];
      const c = level === '1' ? 'sequential' : `concurrency ${level}`;
      const cell = (x) => [otherCol === 1 ? x : '', otherCol === 2 ? x : ''];
      line(`${label}, ${c}: direct gateway round trip p50 / p99 (us)`, `${f0(o.direct.p50)} / ${f0(o.direct.p99)}`, '', '', '');
      if (o.direct_stream) {
        line(`  the same request streamed (what lava-mcp sends), p50 / p99 (us)`, `${f0(o.direct_stream.p50)} / ${f0(o.direct_stream.p99)}`, '', '', '');
      }
      line(`  overhead p50 (us; lava-mcp over the streamed request)`, f0(o.lava.overhead_p50), ...cell(f0(o[other].overhead_p50)), oratio(o[other].overhead_p50, o.lava.overhead_p50));
      if (Number.isFinite(o.lava.overhead_p50_over_whole)) {
        line(`  lava-mcp overhead p50 over the whole-response request (us)`, f0(o.lava.overhead_p50_over_whole), '', '', '');
      }
      if (Number.isFinite(o.lava.overhead_p50_paired)) {
        line(`  overhead p50 paired by round: median of round differences (us)`, f0(o.lava.overhead_p50_paired), ...cell(f0(o[other].overhead_p50_paired)), oratio(o[other].overhead_p50_paired, o.lava.overhead_p50_paired));
      }
      line(`  overhead p99 (us)`, f0(o.lava.overhead_p99), ...cell(f0(o[other].overhead_p99)), oratio(o[other].overhead_p99, o.lava.overhead_p99));
      if (level === '32') {
        line(`  throughput at c32, 2 cores shared with fake + client (calls/s)`, f0(o.lava.throughput_per_s), ...cell(f0(o[other].throughput_per_s)), ratio(o.lava.throughput_per_s, o[other].throughput_per_s).replace('x', 'x (lava/other)'));
        line(`  server CPU per call at c32 (us)`, f0(o.lava.cpu_us_per_call), ...cell(f0(o[other].cpu_us_per_call)), ratio(o[other].cpu_us_per_call, o.lava.cpu_us_per_call));
      }
    }
  }
  line('---');
  for (const label of ['503', 'drop']) {
    const l = r.failover.lava[label].failure_to_answer;
    const p = r.failover.peer[label].failure_to_answer;
    line(`failover: primary ${label === '503' ? 'HTTP 503' : 'connection cut mid-body'} -> fallback answer, p50 / p90 / max (ms)`, `${f2(l.p50 / 1000)} / ${f2(l.p90 / 1000)} / ${f2(l.max / 1000)}`, `${f2(p.p50 / 1000)} / ${f2(p.p90 / 1000)} / ${f2(p.max / 1000)}`, '', '');
  }
  line('  one plain call through the failover proxy, p50 (ms)', f2(r.failover.lava.plain_call_via_proxy.p50 / 1000), f2(r.failover.peer.plain_call_via_proxy.p50 / 1000), '', '');
  const s = r.streaming;
  line('---');
  line(`streaming (${s.events} events, about 1,000 tokens): first progress after the first text event, p50 / p99 (us)`, `${f0(s.first_progress_us.p50)} / ${f0(s.first_progress_us.p99)}`, '', '', '');
  for (const [level, o] of Object.entries(s.overhead)) {
    line(`  direct streamed round trip at c${level}, p50 / p99 (us)`, `${f0(o.direct.p50)} / ${f0(o.direct.p99)}`, '', '', '');
    line(`  lava-mcp overhead over it at c${level}, p50 / p99 (us)`, `${f0(o.overhead_p50)} / ${f0(o.overhead_p99)}`, '', '', '');
  }
  for (const [format, f] of Object.entries(s.decode.formats)) {
    line(`  SSE decoding, ${format} (${f.bytes_per_stream} bytes a stream): MB/s, memory scan MB/s`, `${f0(f.mb_s)} / ${f0(f.scan_mb_s)}`, '', '', `${(f.mb_s / f.scan_mb_s).toFixed(2)} of the scan`);
  }
  if (r.callgrind) {
    line('---');
    line(`instructions per prompt call, OpenAI path (callgrind, ${r.callgrind.calls} calls)`, f0(r.callgrind.openai_ir_per_call), '', '', '');
    line(`instructions per prompt call, Anthropic path`, f0(r.callgrind.anthropic_ir_per_call), '', '', '');
    line(`instructions to start and initialize`, f0(r.callgrind.startup_ir), '', '', '');
    line(`instructions of the first prompt call (one-time initialisation included)`, f0(r.callgrind.first_call_ir), '', '', '');
  }
  const widths = [];
  for (const row of rows) row.forEach((c, i) => { if (row[0] !== '---') widths[i] = Math.max(widths[i] || 0, c.length); });
  const out = [];
  for (const row of rows) {
    if (row[0] === '---') { out.push(widths.map((w) => '-'.repeat(w)).join('-+-')); continue; }
    out.push(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | '));
  }
  out.push('');
  const la = (a) => a.map((x) => x.toFixed(2)).join(' ');
  out.push(`machine: ${r.meta.cpus} CPUs (${r.meta.cpu_model}); load average at start ${la(r.meta.loadavg_at_start)}, at end ${la(r.meta.loadavg_at_end)}`);
  out.push('overhead = p50 (or p99) of the prompt call minus that of the direct round trip of the request the contender sends upstream (lava-mcp: streamed), same concurrency, interleaved rounds');
  out.push('');
  out.push('targets:');
  for (const t of r.targets) out.push(`  [${t.pass ? 'PASS' : 'FAIL'}] ${t.name}: ${t.value} ${t.unit} (target ${t.target})`);
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => {
  log(`failed: ${e.stack || e}`);
  killAll();
  process.exit(1);
});
