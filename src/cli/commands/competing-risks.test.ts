// End-to-end: `oncosurv cuminc` and `oncosurv finegray` (the built CLI) against R.
// Numbers: reference/r/cli-competing-risks.R runs survfit (multi-state), cmprsk::cuminc/crr and
// finegray + coxph on the same CSV files and records what --json must print
// (reference/json/cli-competing-risks.json). Text: the printed tables reproduce cmprsk's
// print.cuminc and print.summary.crr. Errors: bad input ends with one line naming the problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadReference } from '../../testing/approx.js';
import { compareJsonContract, runCli as run } from '../../testing/cli-json.js';

/** Keys the CLI prints that R has no counterpart for. */
const EXTRA_KEYS = new Set(['iterations']);

/** Estimates 1e-8, everything else (variances, SEs, limits, p) 1e-6; both absolute below 1e-12. */
function compare(actual: unknown, expected: unknown, path: string): void {
  compareJsonContract(actual, expected, path, {
    close: (a, e, p) => {
      const tol = /estimate|\.coef|statistic|loglik/.test(p) ? 1e-8 : 1e-6;
      const d = Math.abs(a - e);
      assert.ok(d <= 1e-12 || d <= tol * Math.abs(e), `${p}: got ${a}, R says ${e}`);
    },
    extraKey: (key, value) => EXTRA_KEYS.has(key) || (key === 'at' && value === null),
  });
}

const cases = loadReference<Record<string, { args: string[]; expected: Record<string, unknown> }>>('cli-competing-risks.json');

for (const [name, c] of Object.entries(cases)) {
  test(`--json matches R: ${name}`, () => {
    const r = run([...c.args, '--json']);
    assert.equal(r.stderr, '', name);
    assert.equal(r.code, 0);
    compare(JSON.parse(r.stdout), c.expected, name);
  });
}

test('cuminc prints print.cuminc (Tests, Estimates and Variances) as R does', () => {
  const r = run(['cuminc', '--data', 'reference/data/mgus2-cr.csv', '--formula', 'Surv(time, status) ~ sex']);
  assert.equal(r.code, 0);
  const lines = r.stdout.split('\n');
  const from = lines.indexOf('Tests:');
  // R: print(cuminc(mgus2$etime, mgus2$event, mgus2$sex)), group labels with the variable name
  assert.deepEqual(lines.slice(from, from + 18), [
    'Tests:',
    '       stat          pv df',
    '1  1.194508 0.274422157  1',
    '2 11.651259 0.000641591  1',
    'Estimates and Variances:',
    '$est',
    '               100        200       300       400',
    'sex=F 1 0.06196166 0.09535198 0.1151287        NA',
    'sex=M 1 0.04865458 0.08914153 0.1044602 0.1044602',
    'sex=F 2 0.41670174 0.65422980 0.7218621        NA',
    'sex=M 2 0.52056642 0.70771036 0.7994364 0.7994364',
    '',
    '$var',
    '                 100          200          300          400',
    'sex=F 1 9.518160e-05 0.0001611587 0.0003038417           NA',
    'sex=M 1 6.479291e-05 0.0001455188 0.0002579428 0.0002579428',
    'sex=F 2 4.039584e-04 0.0004893207 0.0006741219           NA',
    'sex=M 2 3.527969e-04 0.0003697058 0.0005904656 0.0005904656',
  ]);
});

test('finegray prints print(summary(crr)) as R does', () => {
  const r = run(['finegray', '--data', 'reference/data/mgus2-cr.csv', '--formula', 'Surv(time, status) ~ age + sex + hgb']);
  assert.equal(r.code, 0);
  const lines = r.stdout.split('\n');
  const from = lines.findIndex((l) => l.trimStart().startsWith('coef exp(coef)'));
  // R: summary(crr(ftime, fstatus, model.matrix(~ age + sex + hgb)[, -1]))
  assert.deepEqual(lines.slice(from, from + 14), [
    '         coef exp(coef) se(coef)      z p-value',
    'age  -0.01762     0.983  0.00582 -3.028  0.0025',
    'sexM -0.24165     0.785  0.18817 -1.284  0.2000',
    'hgb  -0.00955     0.990  0.04495 -0.212  0.8300',
    '',
    '     exp(coef) exp(-coef)  2.5% 97.5%',
    'age      0.983       1.02 0.971 0.994',
    'sexM     0.785       1.27 0.543 1.136',
    'hgb      0.990       1.01 0.907 1.082',
    '',
    'Num. cases = 1371 (13 cases omitted due to missing values)',
    'Pseudo Log-likelihood = -782 ',
    'Pseudo likelihood ratio test = 7.17  on 3 df,',
    '',
  ]);
});

const dir = mkdtempSync(join(tmpdir(), 'oncosurv-cr-'));
function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('bad competing-risks input: one line naming file, row, column and value; non-zero exit', () => {
  const neg = csv('neg.csv', 'time,status,g\n5,1,a\n8,-1,b\n12,2,a\n');
  let r = run(['cuminc', '--data', neg, '--formula', 'Surv(time, status) ~ g']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /status must be 0 \(censored\) or a whole number/);
  assert.match(r.stderr, /row 2/);
  assert.match(r.stderr, /column "status"/);
  assert.match(r.stderr, /value "-1"/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.doesNotMatch(r.stderr, /\n\s+at /);

  const frac = csv('frac.csv', 'time,status,x\n5,1,1\n8,1.5,2\n12,2,3\n');
  r = run(['finegray', '--data', frac, '--formula', 'Surv(time, status) ~ x']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /row 2/);

  const good = csv('good.csv', 'time,status,x\n5,1,1\n8,0,2\n12,2,3\n3,1,4\n9,2,1\n');
  r = run(['finegray', '--data', good, '--formula', 'Surv(time, status) ~ x', '--cause', '3']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--cause 3: no rows have this status \(causes present: 1, 2\)/);

  const censoredOnly = csv('cens.csv', 'time,status,g\n5,0,a\n8,0,b\n');
  r = run(['cuminc', '--data', censoredOnly, '--formula', 'Surv(time, status) ~ g']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no events/);

  r = run(['cuminc', '--data', good, '--formula', 'Surv(time, status) ~ g']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /no such column/);
});

test('cuminc and finegray --help list options and an example', () => {
  for (const cmd of ['cuminc', 'finegray']) {
    const r = run([cmd, '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--data/);
    assert.match(r.stdout, /--formula/);
    assert.match(r.stdout, /Example:\n\s+oncosurv /);
  }
});
