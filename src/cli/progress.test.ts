// stderrProgress against hand-written expectations, and `--quiet`: nothing at all on stderr,
// including the bootstrap bar, which the study reports through the injected Progress.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stderrProgress } from './progress.js';

function captureStderr(body: () => void): string {
  const original = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array): boolean => { text += String(chunk); return true; }) as typeof process.stderr.write;
  try { body(); } finally { process.stderr.write = original; }
  return text;
}

test('stderrProgress quiet writes nothing: stages, bars and done', () => {
  const text = captureStderr(() => {
    const p = stderrProgress(3, true);
    p.stage('a');
    const tick = p.bar('bootstrap', 4);
    for (let i = 1; i <= 4; i++) tick(i);
    p.done();
  });
  assert.equal(text, '');
});

test('stderrProgress off a terminal: numbered stage lines, a bar at 25% steps', { skip: process.stderr.isTTY === true }, () => {
  const text = captureStderr(() => {
    const p = stderrProgress(2, false);
    p.stage('first');
    const tick = p.bar('bootstrap', 8);
    for (let i = 1; i <= 8; i++) tick(i);
  });
  assert.equal(text, '[1/2] first\n  bootstrap: 1/8\n  bootstrap: 2/8\n  bootstrap: 4/8\n  bootstrap: 6/8\n  bootstrap: 8/8\n');
});

test('oncosurv demo --quiet (with bootstrap replicates) prints nothing on stderr', { timeout: 300_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'oncosurv-quiet-'));
  try {
    const main = join(dirname(fileURLToPath(import.meta.url)), 'main.js');
    const r = spawnSync(process.execPath, [main, 'demo', '--rows', '20000', '--seed', '3', '--replicates', '2', '--quiet', '--out', join(out, 'demo')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /hcc-conversion study/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
