// `oncosurv registry report` refuses bad options before it touches the database: one line naming the
// option and value, exit 2 for a bad option, 1 for a bad input folder; a wrong password is refused
// (exit 1) with nothing written. The full run (demo registry -> report -> R) is proven in
// src/registry/analysis/outcomes-report/demo-report.e2e.test.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../testing/cli-json.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'oncosurv-report-cli-'));
  writeFileSync(join(dir, 'pw'), 'not the password\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const base = (out: string): string[] => ['registry', 'report', '--data', join(dir, 'data'), '--user', 'stat', '--password-file', join(dir, 'pw'), '--out', out];

test('registry report: a bad threshold or date is refused naming the option and value', () => {
  for (const [flag, value] of [['--suppress-below', 'ten'], ['--suppress-below', '0'], ['--suppress-below', '1e1'], ['--today', '2026-13-01']] as const) {
    const r = runCli([...base(join(dir, 'out')), flag, value]);
    assert.equal(r.code, 2, `${flag} ${value}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`value "${value}".*registry report: ${flag}`));
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
  }
});

test('registry report: an existing non-empty folder is never overwritten; a wrong password writes nothing', () => {
  const full = join(dir, 'full');
  mkdirSync(full);
  writeFileSync(join(full, 'keep.txt'), 'x');
  const r = runCli(base(full));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /the report folder exists and is not empty/);
  const init = runCli(['registry', 'init', '--data', join(dir, 'data')]);
  assert.equal(init.code, 0, init.stderr);
  const wrong = runCli(base(join(dir, 'new')));
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /registry report --user stat: /);
  assert.equal(existsSync(join(dir, 'new')), false);
});
