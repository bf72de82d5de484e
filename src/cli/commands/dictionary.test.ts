// `oncosurv dictionary` end to end: texts read off NCDB's 2021 script and our fixture script.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../testing/approx.js';

function runCli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'dictionary', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('dictionary ITEM prints label, columns, years and code meanings of the built-in layout', () => {
  const r = runCli(['FACILITY_TYPE_CD']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^FACILITY_TYPE_CD: Facility Type\n/);
  assert.match(r.stdout, /columns 48-48 \(width 1\)/);
  assert.match(r.stdout, /\n {4}3 +Academic\/Research Program\n/);
  const j = JSON.parse(runCli(['PUF_VITAL_STATUS', '--json']).stdout);
  assert.deepEqual(j.codes, [{ code: '0', label: 'Dead' }, { code: '1', label: 'Alive' }]);
  assert.equal(j.years.years, '2004-2020');
});

test('dictionary without ITEM lists every item; --layout reads the user script', () => {
  const all = JSON.parse(runCli(['--json']).stdout);
  assert.equal(all.items.length, 324);
  assert.equal(all.recordLength, 1032);
  const older = JSON.parse(runCli(['--layout', join(REPO_ROOT, 'src', 'ncdb', 'fixtures', 'older-2015.sas'), '--json']).stdout);
  assert.deepEqual(older.items.map((i: { name: string }) => i.name).slice(0, 3), ['PUF_CASE_ID', 'FACILITY_TYPE_CD', 'AGE']);
  assert.equal(older.recordLength, 60);
});

test('an unknown item is one error line with suggestions, exit 1', () => {
  const r = runCli(['IMMUNO']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /no item IMMUNO .*RX_SUMM_IMMUNOTHERAPY/);
});
