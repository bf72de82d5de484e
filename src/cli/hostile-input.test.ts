// Issue 9 section 2 at the CLI: each hostile input ends with the right answer or one error line
// naming file/row/column/value, a non-zero exit and no stack trace. Counts are checked against
// R (lung: 1 row has ph.ecog NA, so survdiff drops 1) or hand counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../testing/approx.js';
import { HCC_CONVERSION, protocolToYaml } from '../study/protocol.js';

const MAIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
const LUNG = join(REPO_ROOT, 'reference', 'data', 'lung.csv');
const dir = mkdtempSync(join(tmpdir(), 'oncosurv-hostile-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ONCOSURV_DEBUG: '' }, timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
function assertOneLineError(r: { code: number; stderr: string }, pattern: RegExp): void {
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, pattern);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
}

test('rmst, zph and logrank --json give n and n_dropped (lung: ph.ecog NA in 1 row, as R drops)', () => {
  const lr = JSON.parse(run(['logrank', '--data', LUNG, '--formula', 'Surv(time, status) ~ ph.ecog', '--json']).stdout);
  assert.equal(lr.n_dropped, 1);
  assert.equal(lr.n.reduce((a: number, b: number) => a + b, 0), 227);
  // Hand count: 6 rows, one with group NA and one with time NA.
  writeFileSync(join(dir, 'rm.csv'), 'time,status,g\n1,1,a\n2,0,a\n3,1,b\n4,1,b\n5,1,NA\nNA,1,a\n');
  const rm = JSON.parse(run(['rmst', '--data', 'rm.csv', '--formula', 'Surv(time, status) ~ g', '--tau', '2', '--json']).stdout);
  assert.equal(rm.n, 4);
  assert.equal(rm.n_dropped, 2);
  const z = JSON.parse(run(['zph', '--data', LUNG, '--formula', 'Surv(time, status) ~ age + ph.ecog', '--json']).stdout);
  assert.equal(z.n, 227);
  assert.equal(z.n_dropped, 1);
});

test('a table with no usable rows is an error, never an empty result with exit 0', () => {
  writeFileSync(join(dir, 'empty.csv'), 'time,status,x\n');
  writeFileSync(join(dir, 'allna.csv'), 'time,status,x\nNA,1,1\n5,NA,2\n');
  assertOneLineError(run(['rmst', '--data', 'empty.csv', '--formula', 'Surv(time, status) ~ x', '--tau', '3', '--json']), /empty\.csv: no usable rows: the data have no rows/);
  assertOneLineError(run(['rmst', '--data', 'allna.csv', '--formula', 'Surv(time, status) ~ x', '--tau', '3']), /allna\.csv: no usable rows: all 2 rows have a missing value/);
});

test('a one-row Cox fit is an error (R: coxph fails), never SE 0 with CI 1-1', () => {
  writeFileSync(join(dir, 'one.csv'), 'time,status,x\n5,1,1\n');
  assertOneLineError(run(['cox', '--data', 'one.csv', '--formula', 'Surv(time, status) ~ x']), /a Cox model needs at least 2 observations, the data have 1/);
  writeFileSync(join(dir, 'cens.csv'), 'time,status,x\n5,0,1\n6,0,2\n7,0,1\n');
  assertOneLineError(run(['cox', '--data', 'cens.csv', '--formula', 'Surv(time, status) ~ x']), /cens\.csv, column "status": no events/);
});

test('--out /proc/x and a path under a file fail at once with one line', () => {
  writeFileSync(join(dir, 'afile'), 'x');
  assertOneLineError(run(['demo', '--rows', '50', '--out', '/proc/x/demo', '--quiet']), /\/proc\/x.*cannot create the output folder/);
  assertOneLineError(run(['study', 'hcc-conversion', '--data', LUNG, '--out', join(dir, 'afile', 'sub'), '--quiet']), /afile is a file, not a folder/);
});

test('demo --out never deletes a folder it did not create', () => {
  const mine = join(dir, 'thesis');
  mkdirSync(mine);
  writeFileSync(join(mine, 'chapter1.docx'), 'precious');
  assertOneLineError(run(['demo', '--rows', '50', '--out', mine, '--quiet']), /was not made by oncosurv demo/);
  assert.equal(readFileSync(join(mine, 'chapter1.docx'), 'utf8'), 'precious');
});

test('--replicates -5 and abc are rejected as the protocol check rejects them', () => {
  assertOneLineError(run(['demo', '--replicates', '-5', '--out', join(dir, 'd1')]), /--replicates, field "analyses.bootstrap_replicates": Too small: expected number to be >=0/);
  assertOneLineError(run(['demo', '--replicates', 'abc', '--out', join(dir, 'd2')]), /field "analyses.bootstrap_replicates".*received NaN/);
  assert.equal(existsSync(join(dir, 'd1')), false, 'nothing written');
});

test('protocol check runs the study\'s validation: unknown covariate, reversed truncation, code "XX"', () => {
  const yaml = protocolToYaml(HCC_CONVERSION);
  writeFileSync(join(dir, 'cov.yaml'), yaml.replace('  adjusted:\n    - age\n', '  adjusted:\n    - agee\n'));
  assertOneLineError(run(['protocol', 'check', 'cov.yaml']), /cov\.yaml, field "covariates\.adjusted\[0\]", value "agee": "agee" is not a column of the analysis dataset/);
  writeFileSync(join(dir, 'trunc.yaml'), yaml.replace('truncate_percentiles:\n      - 0.01\n      - 0.99', 'truncate_percentiles:\n      - 0.99\n      - 0.01'));
  assertOneLineError(run(['protocol', 'check', 'trunc.yaml']), /field "analyses\.iptw\.truncate_percentiles": the lower truncation percentile \(0\.99\) must be below the upper \(0\.01\)/);
  writeFileSync(join(dir, 'xx.yaml'), yaml.replace('  sequence_numbers:\n    - "00"\n', '  sequence_numbers:\n    - XX\n'));
  assertOneLineError(run(['protocol', 'check', 'xx.yaml']), /field "cohort\.sequence_numbers\[0\]": this code is compared as a number/);
  writeFileSync(join(dir, 'item.yaml'), yaml.replace('    - DX_DEFSURG_STARTED_DAYS', '    - XX'));
  assertOneLineError(run(['protocol', 'check', 'item.yaml']), /field "exposure\.surgery_day_items\[0\]", value "XX"/);
});

test('an output path that is a folder is a named error, not "internal error"', () => {
  mkdirSync(join(dir, 'out.parquet'));
  writeFileSync(join(dir, 'x.dat'), ' '.repeat(1032) + '\n');
  const r = run(['ingest', '--puf', 'x.dat', '--out', 'out.parquet']);
  assert.notEqual(r.code, 0);
  const last = r.stderr.trim().split('\n').pop()!;
  assert.match(last, /^oncosurv: error: out\.parquet: cannot write the output/);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
});

test('writing to a closed pipe exits quietly, without a stack trace', async () => {
  const child = spawn(process.execPath, [MAIN, 'km', '--data', join(REPO_ROOT, 'reference', 'data', 'colon.csv'), '--formula', 'Surv(time, status) ~ rx', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  assert.equal(code, 0);
  assert.equal(stderr, '');
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('core')), []);
});
