/** `oncosurv logistic` end to end on lalonde.csv against R's glm (reference/r/logistic.R). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { assertAllClose, assertClose, loadReference, referenceDataPath, REPO_ROOT } from '../../testing/approx.js';

function runCli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'logistic', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const ref = loadReference<{ name: string; names: string[]; coefficients: number[]; se: number[]; p: number[]; aic: number; deviance: number; lrStatistic: number }[]>('logistic.json').find((c) => c.name === 'lalonde')!;
const FORMULA = 'treat ~ age + educ + race + married + nodegree + re74 + re75';

test('oncosurv logistic --json matches R glm on lalonde', () => {
  const r = runCli(['--data', referenceDataPath('lalonde.csv'), '--formula', FORMULA, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.coefficients.map((c: { term: string }) => c.term), ref.names);
  assertAllClose(out.coefficients.map((c: { estimate: number }) => c.estimate), ref.coefficients, 'estimate');
  assertAllClose(out.coefficients.map((c: { se: number }) => c.se), ref.se, 'se');
  assertAllClose(out.coefficients.map((c: { p: number }) => c.p), ref.p, 'p');
  assertClose(out.aic, ref.aic, 'aic');
  assertClose(out.lr_test.statistic, ref.lrStatistic, 'LR');
  assert.equal(out.n, 614);
});

test('oncosurv logistic prints summary(glm)\'s deviance lines', () => {
  const r = runCli(['--data', referenceDataPath('lalonde.csv'), '--formula', FORMULA]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Null deviance: 751\.49 {2}on 613 {2}degrees of freedom/);
  assert.match(r.stdout, /Residual deviance: 487\.84 {2}on 605 {2}degrees of freedom/);
  assert.match(r.stdout, /AIC: 505\.84/);
});

test('oncosurv logistic: a response that is not 0/1 is one error line naming file, row and column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-logistic-'));
  const csv = join(dir, 'bad.csv');
  writeFileSync(csv, 'y,x\n0,1\n1,2\n3,3\n0,4\n1,5\n');
  const r = runCli(['--data', csv, '--formula', 'y ~ x']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /bad\.csv, row 3, column "y", value "3": the logistic response must be 0 or 1/);
});
