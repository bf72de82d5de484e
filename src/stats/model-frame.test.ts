// Model matrices against R's model.frame(na.omit) + model.matrix (reference/r/model-matrix.R).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadReference, assertAllClose } from '../testing/approx.js';
import { buildModelFrame, buildGroupingFrame } from './model-frame.js';
import { InputError, SpecificationError } from '../core/errors.js';
import type { Column, DataTable } from '../core/types.js';

interface Ref {
  data: Record<string, (number | string | boolean | null)[]>;
  cases: { formula: string; term_labels: string[]; names: string[]; assign: number[]; rows: number[]; columns: number[][] }[];
}

function tableFrom(data: Record<string, (number | string | boolean | null)[]>, source = 'test.csv'): DataTable {
  const columns = new Map<string, Column>();
  let nrow = 0;
  for (const [name, values] of Object.entries(data)) {
    nrow = values.length;
    const sample = values.find((v) => v !== null);
    if (typeof sample === 'string') columns.set(name, { kind: 'string', values: values as (string | null)[] });
    else if (typeof sample === 'boolean') columns.set(name, { kind: 'logical', values: Float64Array.from(values, (v) => (v === null ? NaN : v ? 1 : 0)) });
    else columns.set(name, { kind: 'number', values: Float64Array.from(values, (v) => (v === null ? NaN : (v as number))) });
  }
  return { nrow, columns, source };
}

test('design matrices match R model.matrix: names, order, assign, rows, values', () => {
  const ref = loadReference<Ref>('model-matrix.json');
  const table = tableFrom(ref.data);
  for (const c of ref.cases) {
    const mf = buildModelFrame(`Surv(time, status) ${c.formula}`, table, { intercept: true });
    assert.deepEqual(mf.design.termLabels, c.term_labels, c.formula);
    assert.deepEqual(mf.design.names, c.names, c.formula);
    assert.deepEqual(Array.from(mf.design.assign), c.assign.map((a) => a - 1), c.formula);
    assert.deepEqual(Array.from(mf.rows), c.rows, c.formula);
    assert.equal(mf.nDropped, table.nrow - c.rows.length);
    c.columns.forEach((col, j) => assertAllClose(mf.design.columns[j]!, col, `${c.formula} ${c.names[j]}`));
    // Cox: the same matrix without R's intercept column.
    const cox = buildModelFrame(`Surv(time, status) ${c.formula}`, table);
    assert.deepEqual(cox.design.names, c.names.slice(1));
  }
});

test('survival outcome, 1/2 status coding, strata names and cluster codes', () => {
  const table = tableFrom({
    time: [5, 3, 9, 2, 7, 4],
    status: [2, 1, 2, 2, 1, 1],
    sex: [1, 2, 1, 2, 2, 1],
    ecog: [0, 1, 1, 0, null, 0],
    inst: [30, 4, 4, 12, 30, 30],
  });
  const mf = buildModelFrame('Surv(time, status) ~ ecog + strata(sex, ecog) + cluster(inst)', table);
  assert.deepEqual(Array.from(mf.survival!.event), [1, 0, 1, 1, 0]);
  assert.deepEqual(Array.from(mf.survival!.stop), [5, 3, 9, 2, 4]);
  assert.deepEqual(mf.strata!.names, ['sex=1, ecog=0', 'sex=1, ecog=1', 'sex=2, ecog=0', 'sex=2, ecog=1']);
  assert.deepEqual(Array.from(mf.strata!.codes), [0, 3, 1, 2, 0]);
  assert.deepEqual(Array.from(mf.cluster!), [2, 0, 0, 1, 2]);
  assert.equal(mf.nDropped, 1);
  const g = buildGroupingFrame('Surv(time, status) ~ sex', table);
  assert.deepEqual(g.groups!.names, ['sex=1', 'sex=2']);
  assert.equal(g.nDropped, 0);
  assert.equal(buildGroupingFrame('Surv(time, status) ~ 1', table).groups, null);
});

function throwsWith(fn: () => unknown, cls: typeof InputError | typeof SpecificationError, ctx: Record<string, unknown>): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof cls, String(err));
    for (const [k, v] of Object.entries(ctx)) assert.equal((err.context as Record<string, unknown>)[k], v, `${k} in ${err.message}`);
    return true;
  });
}

test('bad input names file, row, column and value', () => {
  const base = { start: [0, 1, 2], time: [5, 3, 9], status: [1, 0, 1], age: [50, 60, 70], w: [1, 2, 1] };
  const t = (over: Record<string, (number | string | null)[]>) => tableFrom({ ...base, ...over });
  throwsWith(() => buildModelFrame('Surv(time, status) ~ age', t({ time: [5, -3, 9] })), InputError, { row: 2, column: 'time', value: '-3', file: 'test.csv' });
  throwsWith(() => buildModelFrame('Surv(time, status) ~ age', t({ time: ['5', 'NaN', '9'] })), InputError, { row: 2, column: 'time', value: 'NaN' });
  throwsWith(() => buildModelFrame('Surv(time, status) ~ age', t({ status: [1, 3, 0] })), InputError, { row: 2, column: 'status', value: '3' });
  throwsWith(() => buildModelFrame('Surv(time, status) ~ age', t({ status: [0, 1, 2] })), InputError, { row: 3, column: 'status' });
  throwsWith(() => buildModelFrame('Surv(time, status) ~ age', t({ status: ['yes', 'no', 'no'] })), InputError, { row: 1, value: 'yes' });
  throwsWith(() => buildModelFrame('Surv(start, time, status) ~ age', t({ start: [0, 3, 2] })), InputError, { row: 2, column: 'time' });
  throwsWith(() => buildModelFrame('Surv(time, status) ~ age', t({ w: [1, 0, 1] }), { weights: 'w' }), InputError, { row: 2, column: 'w', value: '0' });
  throwsWith(() => buildModelFrame('Surv(time, status) ~ agee', t({})), SpecificationError, { column: 'agee' });
  throwsWith(() => buildModelFrame('Surv(time, status) ~ age', t({ age: ['50', 'abc', '70'] })), InputError, { row: 2, column: 'age', value: 'abc' });
  assert.match(String(catchErr(() => buildModelFrame('Surv(time, status) ~ agee', t({}))).message), /did you mean "age"/);
});

function catchErr(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

test('all-1/2 and logical status codings', () => {
  const t = tableFrom({ time: [1, 2, 3], status: [2, 2, 2], d: [true, false, true], x: [1, 2, 3] });
  assert.deepEqual(Array.from(buildModelFrame('Surv(time, status) ~ x', t).survival!.event), [1, 1, 1]);
  assert.deepEqual(Array.from(buildModelFrame('Surv(time, d) ~ x', t).survival!.event), [1, 0, 1]);
});

test('plain response for glm: numbers, logicals, and a two-level text column (first level = 0)', () => {
  const t = tableFrom({ y: ['yes', 'no', null, 'yes'], z: [1, 0, 1, 0], x: [1, 2, 3, 4] });
  const mf = buildModelFrame('y ~ x', t, { intercept: true });
  assert.deepEqual(Array.from(mf.response!), [1, 0, 1]);
  assert.deepEqual(Array.from(mf.rows), [0, 1, 3]);
  assert.deepEqual(mf.design.names, ['(Intercept)', 'x']);
  assert.equal(mf.survival, null);
  assert.deepEqual(Array.from(buildModelFrame('z ~ x', t).response!), [1, 0, 1, 0]);
});

test('factor() keeps levels unused after na.omit (coxph) unless dropUnusedLevels (glm)', () => {
  const t = tableFrom({ time: [1, 2, 3, 4], status: [1, 1, 0, 1], g: [1, 2, 3, 2], x: [1, 2, null, 4] });
  assert.deepEqual(buildModelFrame('Surv(time, status) ~ x + factor(g)', t).design.names, ['x', 'factor(g)2', 'factor(g)3']);
  assert.deepEqual(buildModelFrame('Surv(time, status) ~ x + factor(g)', t, { dropUnusedLevels: true }).design.names, ['x', 'factor(g)2']);
});
