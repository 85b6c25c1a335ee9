// What the e2e scripts share: one "ok - name" / "not ok - name: detail" line per check, steps
// whose exception counts as one failed check, and the closing count with the exit code.
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
