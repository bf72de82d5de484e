/** balanceTable against the base-R formulas in reference/r/weighting.R (cobalt definitions). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose, loadReference } from '../testing/approx.js';
import { InputError } from '../core/errors.js';
import { balanceTable, expandCovariates } from './balance.js';
import type { BalanceRow } from './balance.js';
import type { DataTable } from '../core/types.js';

interface RRow { variable: string; type: string; [k: string]: number | string | null }
interface RBal { rows: RRow[]; ess: Record<string, number> }
interface Ref {
  treat: number[];
  covariates: { name: string; values: number[]; binary: boolean }[];
  weights: Record<string, number[]>;
  balance: Record<'ATE' | 'ATT' | 'ATO' | 'matched', RBal>;
  matchedWeights: number[];
}
const ref = loadReference<Ref>('weighting.json');
const treated = Uint8Array.from(ref.treat);
const covs = ref.covariates.map((c) => ({ name: c.name, values: Float64Array.from(c.values), binary: c.binary }));
const FIELDS: (keyof BalanceRow)[] = ['meanTreatedBefore', 'meanControlBefore', 'meanTreatedAfter', 'meanControlAfter', 'smdBefore', 'smdAfter', 'varianceRatioBefore', 'varianceRatioAfter'];

for (const [label, estimand, w] of [
  ['ATE', 'ATE', ref.weights.ATE!],
  ['ATT', 'ATT', ref.weights.ATT!],
  ['ATO', 'ATO', ref.weights.ATO!],
  ['matched', 'ATT', ref.matchedWeights],
] as const) {
  test(`balance table matches R: ${label}`, () => {
    const b = balanceTable(covs, treated, Float64Array.from(w), estimand);
    const r = ref.balance[label];
    assert.equal(b.rows.length, r.rows.length);
    b.rows.forEach((row, i) => {
      const rr = r.rows[i]!;
      assert.equal(row.variable, rr.variable);
      assert.equal(row.type, rr.type);
      // Floor 1e-6: ATO's after-SMDs are ~1e-10 (exact balance, below), pure rounding noise.
      for (const f of FIELDS) assertClose(row[f] as number, rr[f] as number | null, `${row.variable}.${f}`, 1e-6, 1e-6);
    });
    for (const k of ['treatedBefore', 'controlBefore', 'treatedAfter', 'controlAfter'] as const) assertClose(b.ess[k], r.ess[k]!, `ess.${k}`, 1e-9);
  });
}

test('invariance: overlap (ATO) weights from a logistic MLE balance every model covariate exactly', () => {
  const b = balanceTable(covs, treated, Float64Array.from(ref.weights.ATO!), 'ATO');
  for (const row of b.rows) {
    // race_black is the reference level, balanced because the other two levels and the intercept are.
    assert.ok(Math.abs(row.smdAfter) < 1e-8, `${row.variable}: ${row.smdAfter}`);
  }
});

test('hand-worked: equal weights leave before = after; ATT SD is the treated SD', () => {
  const x = Float64Array.from([1, 2, 3, 10, 20]);
  const t = Uint8Array.from([1, 1, 1, 0, 0]);
  const b = balanceTable([{ name: 'x', values: x, binary: false }], t, null, 'ATT');
  // treated mean 2, SD 1; control mean 15 -> SMD -13.
  assertClose(b.rows[0]!.smdBefore, -13, 'smd', 1e-12);
  assertClose(b.rows[0]!.smdAfter, -13, 'smd after', 1e-12);
  assertClose(b.rows[0]!.varianceRatioBefore, 1 / 50, 'variance ratio', 1e-12);
});

test('factor columns expand to one indicator per level', () => {
  const table: DataTable = { nrow: 3, columns: new Map([['race', { kind: 'string', values: ['white', 'black', 'white'] }]]) };
  const c = expandCovariates(table, ['race'], Int32Array.from([0, 1, 2]));
  assert.deepEqual(c.map((v) => v.name), ['race_black', 'race_white']);
  assert.deepEqual(Array.from(c[1]!.values), [1, 0, 1]);
});

test('a negative weight is an InputError naming the row', () => {
  assert.throws(() => balanceTable(covs.slice(0, 1), treated, Float64Array.from(ref.treat, (_, i) => (i === 4 ? -1 : 1)), 'ATE'), (e: unknown) => e instanceof InputError && e.context.row === 5);
});
