/**
 * The outcomes report's compute and export reader: hand-worked covariate decisions, the Wilson
 * interval's closed form, every row accounted for in the flow and tables (invariances on the
 * fixture export), and malformed exports refused with file, row, column and value.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeError, InputError } from '../../../core/errors.js';
import { computeOutcomes, covariateDecision, modelLevels, wilsonInterval } from './compute.js';
import { readExportFiles } from './export-data.js';
import { fixtureExportFiles, fixtureOperations } from './test-export-fixture.js';

const rows = (spec: [string | null, number, number][]): { values: (string | null)[]; rejected: boolean[] } => {
  const values: (string | null)[] = [];
  const rejected: boolean[] = [];
  for (const [level, n, events] of spec) for (let i = 0; i < n; i++) { values.push(level); rejected.push(i < events); }
  return { values, rejected };
};

test('covariate decision: sparse levels pool, the smallest kept level joins a pool that is still too small', () => {
  // A 10 patients / 6 rejections (reference), B 5/5, C 3/2, D 2/1: C + D have 3 < 5, so B joins: pool 8.
  const { values, rejected } = rows([['A', 10, 6], ['B', 5, 5], ['C', 3, 2], ['D', 2, 1], [null, 2, 1]]);
  const d = covariateDecision('regimen', values, rejected, 5);
  assert.equal(d.included, true);
  assert.equal(d.reference, 'A');
  assert.deepEqual(d.mapping, { A: 'A', B: 'pooled', C: 'pooled', D: 'pooled' });
  assert.deepEqual(modelLevels(d), ['A', 'pooled']);
  assert.equal(d.missing, 2);
  assert.match(d.reason!, /pooled/);
  // A 10/6, B 8/6, C 3/1: C alone joins nothing big enough... B is kept? pool C (1) < 5 -> B joins (7): A vs pooled
  const two = covariateDecision('regimen', ...Object.values(rows([['A', 10, 6], ['B', 8, 6], ['C', 3, 1]])) as [(string | null)[], boolean[]], 5);
  assert.deepEqual(two.mapping, { A: 'A', B: 'pooled', C: 'pooled' });
  // A 10/6, B 8/6, C 6/5: nothing sparse, every level its own
  const full = covariateDecision('regimen', ...Object.values(rows([['A', 10, 6], ['B', 8, 6], ['C', 6, 5]])) as [(string | null)[], boolean[]], 5);
  assert.deepEqual(modelLevels(full), ['A', 'B', 'C']);
  assert.equal(full.reason, null);
});

test('covariate decision: a factor the data cannot support is left out, with the reason', () => {
  const sparse = covariateDecision('immunosuppression', ...Object.values(rows([['triple', 20, 8], ['dual', 5, 2]])) as [(string | null)[], boolean[]], 5);
  assert.equal(sparse.included, false);
  assert.match(sparse.reason!, /dual.*2 rejections together, fewer than 5/);
  const constant = covariateDecision('immunosuppression', ...Object.values(rows([['triple', 20, 8]])) as [(string | null)[], boolean[]], 5);
  assert.equal(constant.included, false);
  assert.match(constant.reason!, /same value \(triple\)/);
  const fewRef = covariateDecision('regimen', ...Object.values(rows([['A', 20, 4], ['B', 10, 6]])) as [(string | null)[], boolean[]], 5);
  assert.equal(fewRef.included, false);
  assert.match(fewRef.reason!, /most frequent level \(A\) has 4 rejections/);
});

test('Wilson interval: closed forms (x = 0: upper z^2/(n + z^2); x = n/2: symmetric about 1/2)', () => {
  const z2 = 1.959963984540054 ** 2;
  const zero = wilsonInterval(0, 10);
  assert.equal(zero.lower, 0);
  assert.ok(Math.abs(zero.upper - z2 / (10 + z2)) < 1e-12);
  const half = wilsonInterval(20, 40);
  assert.ok(Math.abs(half.lower + half.upper - 1) < 1e-12);
  // prop.test(31, 111, correct = FALSE)$conf.int (R 4.x): 0.2042766 0.3690483
  const r = wilsonInterval(31, 111);
  assert.ok(Math.abs(r.lower - 0.2042766) < 1e-7 && Math.abs(r.upper - 0.3690483) < 1e-7);
});

test('every exported patient is accounted for once in the flow, follow-up, washout, rejection and irAE tables', () => {
  const data = readExportFiles(fixtureExportFiles());
  const r = computeOutcomes(data, fixtureOperations());
  const f = r.flow;
  assert.equal(f.exported, 140);
  assert.equal(f.transplanted + f.resected + f.not_operated, f.exported);
  assert.equal(Object.values(f.followup).reduce((a, b) => a + b, 0), f.exported);
  assert.equal(f.screened, 153); // fixture operations: 50 + 51 + 52
  assert.ok(!('skipped' in r.washout));
  if (!('skipped' in r.washout)) {
    assert.equal(r.washout.n, f.operated);
    assert.equal(r.washout.groups.reduce((a, g) => a + g.n, 0), r.washout.n);
    assert.equal(r.washout.histogram.reduce((a, b) => a + b.n, 0), r.washout.n);
  }
  const rej = r.rejection;
  assert.ok(!('skipped' in rej));
  if (!('skipped' in rej)) {
    assert.equal(rej.rejections + rej.deaths + rej.censored, rej.n);
    assert.equal(rej.groups.reduce((a, g) => a + g.n, 0), rej.n);
    assert.equal(rej.groups.reduce((a, g) => a + g.rejections, 0), rej.rejections);
    // the NOT_DONE immunosuppression cell is missing: one patient fewer in the adjusted models
    assert.equal(data.explicitMissing.immunosuppression, 1);
    assert.ok(!('skipped' in rej.cause_specific) && !('skipped' in rej.cause_specific_unadjusted));
    if (!('skipped' in rej.cause_specific) && !('skipped' in rej.cause_specific_unadjusted)) assert.equal(rej.cause_specific.n, rej.cause_specific_unadjusted.n - 1);
  }
  assert.equal(r.irae.by_grade.reduce((a, g) => a + g.events, 0), r.irae.events);
  assert.equal(r.irae.by_grade.reduce((a, g) => a + g.worst, 0), r.irae.patients_with_irae);
  assert.ok(r.pathology.rate !== null && r.pathology.rate === r.pathology.complete_response / r.pathology.n);
});

function withCell(column: string, row: number, value: string): { path: string; text: string }[] {
  const files = fixtureExportFiles();
  const lines = files[0]!.text.split('\r\n');
  const header = lines[0]!.split(',');
  const cells = lines[row]!.split(',');
  cells[header.indexOf(column)] = value;
  lines[row] = cells.join(',');
  return [{ path: 'patients.csv', text: lines.join('\r\n') }, ...files.slice(1)];
}

test('a malformed export is refused with file, row, column and value', () => {
  const cases: [string, string, RegExp][] = [
    ['os_days', 'abc', /patients\.csv, row 3, column "os_days", value "abc": os_days must be a whole number >= 0 or blank/],
    ['os_days', '-4', /row 3, column "os_days", value "-4"/],
    ['rejection_status', '3', /column "rejection_status", value "3": rejection_status must be 0\.\.2 or blank/],
    ['followup_status', 'gone', /column "followup_status", value "gone": followup_status must be one of alive, dead, withdrawn, lost/],
  ];
  for (const [column, value, message] of cases) {
    assert.throws(() => readExportFiles(withCell(column, 3, value)), (err: unknown) => err instanceof InputError && message.test(describeError(err)), `${column}=${value}`);
  }
  const files = fixtureExportFiles();
  const noColumn = files[0]!.text.replace('washout_days', 'washout');
  assert.throws(() => readExportFiles([{ path: 'patients.csv', text: noColumn }]), (e: unknown) => e instanceof InputError && /patients\.csv, column "washout_days": column "washout_days" is missing/.test(describeError(e)));
  assert.throws(() => readExportFiles(files.slice(1)), /the export has no patients\.csv/);
  const grade = files[1]!.text.replace(/,Colitis,\d,/, ',Colitis,7,');
  assert.throws(() => readExportFiles([files[0]!, { path: 'forms/irae.csv', text: grade }]), (e: unknown) => e instanceof InputError && /forms\/irae\.csv, row 1, column "grade", value "7"/.test(describeError(e)));
});
