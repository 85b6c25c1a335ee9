// What the e2e scripts share: one "ok - name" / "not ok - name: detail" line per check, steps
// whose exception counts as one failed check, and the closing count with the exit code; the
// command line of the scripts that take lava-mcp and lava_fake_services, and the fake started.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

let passed = 0;
let failed = 0;

export function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${!ok && detail ? `: ${detail}` : ''}`);
  return ok;
}

export async function step(name, fn) {
  try { return await fn(); } catch (e) { check(name, false, `threw ${e?.stack ?? e}`); }
}

export const anyFailed = () => failed > 0;

// Prints the count and exits: 0 when every check passed.
export function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

export const textOf = (r) => (r?.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
export const OPTS = { timeout: 30000 };

export const FAKE_SECRET_KEY = 'aks_test_FAKELAVASECRET000123'; // tests/support/fake_lava.h

// [lava-mcp, lava_fake_services] from `node <script> <lava-mcp> <lava_fake_services>`; exits 2
// with the usage line when either is missing.
export function binariesFromArgs(script) {
  const [bin, fakeBin] = process.argv.slice(2);
  if (!bin || !fs.existsSync(bin) || !fakeBin || !fs.existsSync(fakeBin)) {
    console.error(`usage: node ${script} <lava-mcp> <lava_fake_services>`);
    process.exit(2);
  }
  return [bin, fakeBin];
}

// Starts lava_fake_services (killed when this process exits) and resolves to { fake, origin }:
// the child (ending its stdin stops it) and the "origin http://127.0.0.1:PORT" line it prints,
// within 10 s.
export function startFakeServices(fakeBin) {
  const fake = spawn(path.resolve(fakeBin), [], { stdio: ['pipe', 'pipe', 'inherit'] });
  process.on('exit', () => { try { fake.kill('SIGKILL'); } catch {} });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no origin line from lava_fake_services')), 10000);
    readline.createInterface({ input: fake.stdout }).on('line', (line) => {
      const m = /^origin (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
      if (m) { clearTimeout(timer); resolve({ fake, origin: m[1] }); }
    });
  });
}
