/** `oncosurv match` end to end on lalonde.csv against MatchIt (reference/r/matchit.R). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { assertAllClose, loadReference, referenceDataPath, REPO_ROOT } from '../../testing/approx.js';

function runCli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'match', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface RCase { name: string; weights: number[]; subclass: (number | null)[]; nMatchedTreated: number; nMatchedControl: number }
const ref = loadReference<{ cases: RCase[]; corrected: { name: string; weights: number[] }[] }>('matchit.json');
const FORMULA = 'treat ~ age + educ + race + married + nodegree + re74 + re75';
const dir = mkdtempSync(join(tmpdir(), 'oncosurv-match-'));

/** Reads the matched CSV back: id -> {subclass, weights}. */
function readMatched(path: string): Map<string, { subclass: string; weights: number }> {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const id = header.indexOf('id'), sc = header.indexOf('subclass'), w = header.indexOf('weights');
  return new Map(lines.slice(1).map((l) => { const f = l.split(','); return [f[id]!, { subclass: f[sc]!, weights: Number(f[w]) }]; }));
}

test('oncosurv match --legacy-matchit reproduces MatchIt 4.5.1: 1:3, caliper 0.2 SD of the logit', () => {
  const out = join(dir, 'legacy.csv');
  const r = runCli(['--data', referenceDataPath('lalonde.csv'), '--formula', FORMULA, '--ratio', '3', '--caliper', '0.2', '--legacy-matchit', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const c = ref.cases.find((k) => k.name === 'ratio3_caliper')!;
  assert.equal(j.counts.treated.matched, c.nMatchedTreated);
  assert.equal(j.counts.control.matched, c.nMatchedControl);
  const ids = readFileSync(referenceDataPath('lalonde.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!.replace(/"/g, ''));
  const matched = readMatched(out);
  const weights = ids.map((id) => matched.get(id)?.weights ?? 0);
  assertAllClose(weights, c.weights, 'weights', 1e-12);
  assert.deepEqual(ids.map((id) => (matched.has(id) ? Number(matched.get(id)!.subclass) : null)), c.subclass);
});

test('oncosurv match (corrected algorithm) equals the base-R re-implementation: 1:1, caliper 0.2', () => {
  const out = join(dir, 'corrected.csv');
  const r = runCli(['--data', referenceDataPath('lalonde.csv'), '--formula', FORMULA, '--caliper', '0.2', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const w = ref.corrected.find((k) => k.name === 'ratio1_caliper')!.weights;
  assert.equal(j.counts.treated.matched, w.filter((x, i) => x > 0 && i < 185).length);
  assert.equal(j.balance.rows.length, 9);
});

test('oncosurv match: a caliper that leaves no match is one error line', () => {
  // (lalonde itself has treated and control units with identical covariates, hence distance 0.)
  const csv = join(dir, 'small.csv');
  writeFileSync(csv, 't,x\n1,1\n0,2\n1,4\n0,7\n0,11\n1,16\n0,3\n');
  const r = runCli(['--data', csv, '--formula', 't ~ x', '--caliper', '0.0001', '--out', join(dir, 'none.csv')]);
  assert.equal(r.code, 1, r.stdout);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /caliper 0\.0001 SD leaves no treated unit with a match/);
});

test('oncosurv match --replace writes no subclass and MatchIt\'s weights (legacy mode)', () => {
  const out = join(dir, 'replace.csv');
  const r = runCli(['--data', referenceDataPath('lalonde.csv'), '--formula', FORMULA, '--replace', '--link', 'logit', '--legacy-matchit', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const matched = readMatched(out);
  const c = ref.cases.find((k) => k.name === 'replace')!;
  assert.equal(matched.size, c.nMatchedTreated + c.nMatchedControl);
  assert.ok([...matched.values()].every((m) => m.subclass === ''));
});
