/**
 * The study's KM curves (kmWithRiskTable) against R survival 3.5.3 (reference/r/km.R ->
 * reference/json/km.json): the curve fields, now from the one KM serializer
 * (stats/kaplan-meier-json.ts), equal R's survfit curve, and survival_at, now taken from
 * kaplanMeier's summary(fit, times =), equals R's summary(fit, times)$surv, lower and upper,
 * unweighted, with case weights and on counting-process data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmWithRiskTable } from './km-curves.js';
import { assertAllClose, loadReference } from '../../testing/approx.js';
import type { DataTable } from '../../core/types.js';

type Num = number | null;
interface RCurve { name: string; time: number[]; surv: number[]; lower: Num[]; upper: Num[]; n_risk: number[]; at?: { time: number[]; surv: number[]; lower: Num[]; upper: Num[] } }
interface RCase {
  name: string;
  input: { time: number[]; status: number[]; start: number[] | null; group: number[]; group_names: string[] | string; weights: number[] | null };
  options: { conf_type: string; times: number[] | null };
  curves: RCurve[];
}
const ref = loadReference<{ cases: RCase[] }>('km.json');
/** jsonlite writes a single number where R had a length-1 vector. */
const arr = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

// The study's conf type (log), report times >= 0, and positive weights (the study's model frame refuses weight 0).
const cases = ref.cases.filter((c) => c.options.conf_type === 'log' && c.options.times !== null && arr(c.options.times).every((t) => t >= 0)
  && (c.input.weights === null || arr(c.input.weights).every((w) => w > 0)));

for (const c of cases) {
  test(`kmWithRiskTable matches R survfit and summary(times =): ${c.name}`, () => {
    const names = arr(c.input.group_names);
    const grouped = names.length > 1 || names[0] !== 'all';
    const columns: DataTable['columns'] = new Map();
    columns.set('time', { kind: 'number', values: Float64Array.from(arr(c.input.time)) });
    columns.set('status', { kind: 'number', values: Float64Array.from(arr(c.input.status)) });
    if (c.input.start) columns.set('start', { kind: 'number', values: Float64Array.from(arr(c.input.start)) });
    // R's level order and names ("g=Maintained"): the column g holds the text after "g=".
    const levels = names.map((n) => n.replace(/^g=/, ''));
    if (grouped) columns.set('g', { kind: 'string', values: arr(c.input.group).map((k) => levels[k]!), levels });
    if (c.input.weights) columns.set('w', { kind: 'number', values: Float64Array.from(arr(c.input.weights)) });
    const table: DataTable = { nrow: arr(c.input.time).length, columns };
    const formula = `Surv(${c.input.start ? 'start, ' : ''}time, status) ~ ${grouped ? 'g' : '1'}`;
    const times = arr<number>(c.options.times!).slice().sort((a, b) => a - b);
    const km = kmWithRiskTable(table, formula, [0], times, { weights: c.input.weights ? 'w' : null, logrank: false });
    assert.equal(km.curves.length, c.curves.length);
    for (const [k, rc] of c.curves.entries()) {
      const mine = km.curves[k]!;
      const label = `${c.name} ${rc.name}`;
      assertAllClose(mine.time, arr(rc.time), `${label} time`, 1e-12);
      assertAllClose(mine.surv, arr(rc.surv), `${label} surv`, 1e-8);
      assertAllClose(mine.n_risk, arr(rc.n_risk), `${label} n.risk`, 1e-12);
      assertAllClose(mine.lower, arr(rc.lower), `${label} lower`, 1e-6);
      assert.ok(rc.at);
      assertAllClose(mine.survival_at.time, arr(rc.at.time), `${label} summary time`, 0);
      assertAllClose(mine.survival_at.surv, arr(rc.at.surv), `${label} summary surv`, 1e-8);
      assertAllClose(mine.survival_at.lower, arr(rc.at.lower), `${label} summary lower`, 1e-6);
      assertAllClose(mine.survival_at.upper, arr(rc.at.upper), `${label} summary upper`, 1e-6);
    }
  });
}
