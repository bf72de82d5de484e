/**
 * `oncosurv rmst` end to end: writes the veteran data stored in reference/json/rmst.json to a
 * CSV, runs the command with --json and compares with R (survRM2 method), and checks that tau
 * beyond follow-up fails with one error naming the group.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { assertClose, loadReference, REPO_ROOT } from '../../testing/approx.js';

interface RefCase { name: string; tau: number; time: number[]; status: number[]; group: number[]; levels: string[]; groups: { rmst: number; se: number }[]; difference: { estimate: number; p: number }; ratio: { estimate: number } }

/** Runs the real CLI in a child process (intercepting stdout here would swallow the test reporter). */
function runCli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'rmst', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const c = loadReference<{ cases: RefCase[] }>('rmst.json').cases.find((k) => k.name === 'veteran_trt_tau200')!;
const dir = mkdtempSync(join(tmpdir(), 'oncosurv-rmst-'));
const csv = join(dir, 'veteran.csv');
writeFileSync(csv, 'time,status,trt\n' + c.time.map((t, i) => `${t},${c.status[i]},${c.levels[c.group[i]]}`).join('\n') + '\n');

test('oncosurv rmst --json matches R on veteran by trt, tau = 200', () => {
  const r = runCli(['--data', csv, '--formula', 'Surv(time, status) ~ trt', '--tau', '200', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.groups.map((g: { name: string }) => g.name), ['trt=1', 'trt=2']);
  out.groups.forEach((g: { rmst: number; se: number }, k: number) => {
    assertClose(g.rmst, c.groups[k].rmst, 'rmst');
    assertClose(g.se, c.groups[k].se, 'se');
  });
  assertClose(out.difference.estimate, c.difference.estimate, 'difference');
  assertClose(out.difference.p, c.difference.p, 'p');
  assertClose(out.ratio.estimate, c.ratio.estimate, 'ratio');
});

test('oncosurv rmst: printed table has one row per group and the contrast block', () => {
  const out = runCli(['--data', csv, '--formula', 'Surv(time, status) ~ trt', '--tau', '200']).stdout;
  assert.match(out, /^trt=1 +69 +64 +99\.62/m);
  assert.match(out, /RMST \(difference\) +-13\.58/);
});

test('oncosurv rmst: tau beyond a group\'s follow-up is one error line naming the group, exit 1', () => {
  const r = runCli(['--data', csv, '--formula', 'Surv(time, status) ~ trt', '--tau', '900']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /group "trt=1"/);
});
