/** `oncosurv weight` end to end on lalonde.csv against reference/r/weighting.R. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { assertAllClose, assertClose, loadReference, referenceDataPath, REPO_ROOT } from '../../testing/approx.js';

function runCli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'weight', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Ref { weights: Record<string, number[]>; balance: Record<string, { rows: { smdAfter: number }[]; ess: { treatedAfter: number; controlAfter: number } }> }
const ref = loadReference<Ref>('weighting.json');
const FORMULA = 'treat ~ age + educ + race + married + nodegree + re74 + re75';
const dir = mkdtempSync(join(tmpdir(), 'oncosurv-weight-'));

test('oncosurv weight --estimand ATE --stabilize --truncate 0.05,0.95: weights, ESS and balance match R', () => {
  const out = join(dir, 'w.csv');
  const r = runCli(['--data', referenceDataPath('lalonde.csv'), '--formula', FORMULA, '--estimand', 'ATE', '--stabilize', '--truncate', '0.05,0.95', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  const wcol = lines[0]!.split(',').indexOf('weights');
  assertAllClose(lines.slice(1).map((l) => Number(l.split(',')[wcol])), ref.weights.ATEstabilizedTruncated!, 'weights');
});

test('oncosurv weight --estimand ATT --json: ESS and SMDs match R', () => {
  const r = runCli(['--data', referenceDataPath('lalonde.csv'), '--formula', FORMULA, '--estimand', 'ATT', '--out', join(dir, 'att.csv'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assertClose(j.balance.ess.control_after, ref.balance.ATT!.ess.controlAfter, 'ESS control');
  assertAllClose(j.balance.rows.map((x: { smd_after: number }) => x.smd_after), ref.balance.ATT!.rows.map((x) => x.smdAfter), 'SMD after');
});

test('oncosurv weight: a treatment that is not 0/1 is one error line naming the row', () => {
  const csv = join(dir, 'bad.csv');
  writeFileSync(csv, 't,x\n0,1\n1,2\n0,3\n5,4\n1,5\n');
  const r = runCli(['--data', csv, '--formula', 't ~ x', '--estimand', 'ATE', '--out', join(dir, 'bad-out.csv')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.csv, row 4, column "t", value "5": treatment must be 0 or 1/);
});
