// End-to-end: the built CLI (`node dist/src/cli/main.js ...`) against R.
// Numbers: reference/r/cli.R runs survfit/survdiff/coxph on the same CSV files and records what
// `--json` must print (reference/json/cli.json). Errors: every bad input must end with a non-zero
// exit, one line on stderr naming file/row/column/value (a formula error adds the formula and a
// caret), and never a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertClose, loadReference } from '../testing/approx.js';
import { compareJsonContract, runCli as run } from '../testing/cli-json.js';

/** Keys the CLI adds that R's reference does not carry (checked separately). */
const EXTRA_KEYS = new Set(['converged', 'warnings']);

function compare(actual: unknown, expected: unknown, path: string): void {
  compareJsonContract(actual, expected, path, { close: (a, e, p) => assertClose(a, e, p), extraKey: (key) => EXTRA_KEYS.has(key) });
}

interface Case {
  args: string[];
  expected: Record<string, unknown>;
}
const cases = loadReference<Record<string, Case>>('cli.json');

for (const [name, c] of Object.entries(cases)) {
  test(`--json matches R: ${name}`, () => {
    const r = run([...c.args, '--json']);
    assert.equal(r.stderr, '', name);
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    // km: `at` is null without --times; R's reference omits it then.
    if (c.args[0] === 'km' && !c.args.includes('--times')) {
      for (const s of out.strata as Record<string, unknown>[]) {
        assert.equal(s.at, null);
        delete s.at;
      }
      for (const s of c.expected.strata as Record<string, unknown>[]) delete s.at;
    }
    if (c.args[0] === 'cox') {
      assert.equal(out.converged, true);
      assert.deepEqual(out.warnings, []);
    }
    compare(out, c.expected, name);
  });
}


test('text output reproduces R print(survfit) and print(survdiff)', () => {
  const km = run(['km', '--data', 'reference/data/lung.csv', '--formula', 'Surv(time, status) ~ sex']);
  assert.equal(km.code, 0);
  assert.deepEqual(km.stdout.split('\n').slice(2, 5), [
    '        n events median 0.95LCL 0.95UCL',
    'sex=1 138    112    270     212     310',
    'sex=2  90     53    426     348     550',
  ]);
  const lr = run(['logrank', '--data', 'reference/data/lung.csv', '--formula', 'Surv(time, status) ~ sex']);
  assert.deepEqual(lr.stdout.split('\n').slice(3), [
    '        N Observed Expected (O-E)^2/E (O-E)^2/V',
    'sex=1 138      112     91.6      4.55      10.3',
    'sex=2  90       53     73.4      5.68      10.3',
    '',
    ' Chisq= 10.3  on 1 degrees of freedom, p= 0.001 ',
    '',
  ]);
});

test('--help lists options and an example', () => {
  for (const cmd of ['km', 'logrank', 'cox']) {
    const r = run([cmd, '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--data/);
    assert.match(r.stdout, /--formula/);
    assert.match(r.stdout, /Example:\n\s+oncosurv /);
  }
});

// ---- bad input -------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'oncosurv-cli-'));
function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const GOOD = 'time,status,age,sex\n5,1,61,1\n8,0,55,2\n12,1,70,1\n3,1,48,2\n';

function expectError(args: string[], mustContain: string[], lines = 1): string {
  const r = run(args);
  assert.notEqual(r.code, 0, `exit code for ${args.join(' ')}`);
  assert.equal(r.stdout, '');
  const errLines = r.stderr.replace(/\n$/, '').split('\n');
  assert.equal(errLines.length, lines, `stderr:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, 'no stack trace');
  assert.match(errLines[0]!, /^oncosurv: error: /);
  for (const s of mustContain) assert.ok(r.stderr.includes(s), `stderr should mention ${s}:\n${r.stderr}`);
  return r.stderr;
}

test('negative time names file, row, column and value', () => {
  const f = csv('neg.csv', 'time,status,age\n5,1,61\n-3,0,55\n');
  expectError(['cox', '--data', f, '--formula', 'Surv(time, status) ~ age'], [f, 'row 2', 'column "time"', 'value "-3"']);
});

test('NaN time', () => {
  const f = csv('nan.csv', 'time,status,age\n5,1,61\n7,0,50\nNaN,0,55\n');
  expectError(['km', '--data', f, '--formula', 'Surv(time, status) ~ 1'], [f, 'row 3', 'column "time"', 'value "NaN"']);
});

test('stop <= start', () => {
  const f = csv('cp.csv', 'start,stop,event,x\n0,5,1,1\n4,4,0,2\n0,3,1,1\n');
  expectError(['cox', '--data', f, '--formula', 'Surv(start, stop, event) ~ x'], [f, 'row 2', 'column "stop"', 'greater than start']);
});

test('event value 3 and "yes"', () => {
  const f = csv('ev3.csv', 'time,status,age\n5,1,61\n7,3,50\n');
  expectError(['logrank', '--data', f, '--formula', 'Surv(time, status) ~ age'], [f, 'row 2', 'column "status"', 'value "3"']);
  const g = csv('evyes.csv', 'time,status,age\n5,no,61\n7,yes,50\n');
  expectError(['cox', '--data', g, '--formula', 'Surv(time, status) ~ age'], [g, 'row 1', 'column "status"', 'value "no"']);
});

test('unknown column suggests the close match', () => {
  const f = csv('good.csv', GOOD);
  expectError(['cox', '--data', f, '--formula', 'Surv(time, status) ~ agee + sex'], [f, 'column "agee"', 'did you mean "age"']);
});

test('formula syntax error points at the character', () => {
  const f = csv('good2.csv', GOOD);
  const err = expectError(['cox', '--data', f, '--formula', 'Surv(time, status) ~ age + + sex'], ['formula'], 3);
  const lines = err.split('\n');
  assert.equal(lines[1], '  Surv(time, status) ~ age + + sex');
  assert.equal(lines[2], `  ${' '.repeat(27)}^`);
});

test('no events', () => {
  const f = csv('noev.csv', 'time,status,age\n5,0,61\n7,0,50\n9,0,70\n');
  expectError(['cox', '--data', f, '--formula', 'Surv(time, status) ~ age'], [f, 'column "status"', 'no events']);
});

test('missing file', () => {
  const f = join(dir, 'does-not-exist.csv');
  expectError(['km', '--data', f, '--formula', 'Surv(time, status) ~ 1'], [f, 'not found']);
});

test('non-numeric value in a numeric column names the row', () => {
  const f = csv('abc.csv', 'time,status,age\n5,1,61\n7,0,50\n9,1,abc\n4,1,66\n');
  expectError(['cox', '--data', f, '--formula', 'Surv(time, status) ~ age'], [f, 'row 3', 'column "age"', 'value "abc"']);
});

test('--cluster COL is the same fit as cluster(COL) in the formula', () => {
  const a = run(['cox', '--data', 'reference/data/lung.csv', '--formula', 'Surv(time, status) ~ age + sex + cluster(inst)', '--json']);
  const b = run(['cox', '--data', 'reference/data/lung.csv', '--formula', 'Surv(time, status) ~ age + sex', '--cluster', 'inst', '--json']);
  assert.equal(a.code, 0);
  assert.deepEqual(JSON.parse(b.stdout), JSON.parse(a.stdout));
  assert.notEqual(JSON.parse(a.stdout).coefficients[0].robust_se, null);
});

test('cox text output reproduces R print(summary(coxph))', () => {
  const r = run(['cox', '--data', 'reference/data/lung.csv', '--formula', 'Surv(time, status) ~ age + sex + strata(ph.ecog) + cluster(inst)']);
  const lines = r.stdout.split('\n');
  // R 4.x / survival 3.5.3 output for the same model on the lung data.
  assert.deepEqual(lines.slice(3), [
    '  n= 226, number of events= 163 ',
    '   (2 observations deleted due to missingness)',
    '',
    '         coef exp(coef)  se(coef) robust se      z Pr(>|z|)    ',
    'age  0.010986  1.011046  0.009247  0.007501  1.465    0.143    ',
    'sex -0.559891  0.571271  0.171269  0.119777 -4.674 2.95e-06 ***',
    '---',
    "Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1",
    '',
    '    exp(coef) exp(-coef) lower .95 upper .95',
    'age    1.0110     0.9891    0.9963    1.0260',
    'sex    0.5713     1.7505    0.4517    0.7224',
    '',
    'Concordance= 0.583  (se = 0.024 )',
    'Likelihood ratio test= 12.7  on 2 df,   p=0.002',
    'Wald test            = 25.17  on 2 df,   p=3e-06',
    'Score (logrank) test = 12.4  on 2 df,   p=0.002,   Robust = 7.21  p=0.03',
    '',
    '  (Note: the likelihood ratio and score tests assume independence of',
    '     observations within a cluster, the Wald and robust score tests do not).',
    '',
  ]);
});
