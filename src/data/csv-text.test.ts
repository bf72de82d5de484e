// The one CSV reader (csv-text.ts + read-table.ts) on hostile files, each case with its expected
// value or message, and a fast-check property: for random CSVs with NA, "#", quoted and
// late-float cells, every parsed value equals the text's own number (Number(text)) and
// n + n_dropped equals the data rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DuckDBInstance } from '@duckdb/node-api';
import { InputError } from '../core/errors.js';
import { buildGroupingFrame } from '../stats/model-frame.js';
import { readTable } from './read-table.js';

const dir = mkdtempSync(join(tmpdir(), 'oncosurv-csvtext-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a field starting with "#" (Excel #N/A) is a value, not a comment line', async () => {
  const p = join(dir, 'hash.csv');
  writeFileSync(p, 'time,status,x\n#N/A,1,a\n6,0,#b\n');
  const t = await readTable(p);
  assert.equal(t.nrow, 2);
  assert.deepEqual(t.columns.get('time'), { kind: 'string', values: ['#N/A', '6'] });
  assert.deepEqual(t.columns.get('x'), { kind: 'string', values: ['a', '#b'] });
  // ...so the model frame names the cell rather than silently dropping the line.
  assert.throws(() => buildGroupingFrame('Surv(time, status) ~ 1', t), (e: unknown) => e instanceof InputError && e.context.row === 1 && e.context.column === 'time' && e.context.value === '#N/A');
});

test('12.5 and 0.6 in rows 25,000 and 25,002 of an integer column are read exactly', async () => {
  const lines = ['time,x'];
  for (let i = 1; i <= 30_000; i++) lines.push(`${i},${i === 25_000 ? '12.5' : i === 25_002 ? '0.6' : i % 4}`);
  const p = join(dir, 'late.csv');
  writeFileSync(p, lines.join('\n') + '\n');
  const x = (await readTable(p)).columns.get('x')!;
  assert.equal(x.kind, 'number');
  assert.equal(x.values[24_999], 12.5);
  assert.equal(x.values[25_001], 0.6);
  assert.equal(x.values[25_000], 25_001 % 4);
});

test('duplicate header names are an error naming the column', async () => {
  const p = join(dir, 'dup.csv');
  writeFileSync(p, 'time,status,x,x\n5,1,1,2\n');
  await assert.rejects(readTable(p), (e: unknown) => e instanceof InputError && e.context.row === 1 && e.context.column === 'x' && /columns 3 and 4 are both called "x"/.test(e.message));
});

test('a ragged line is an error naming its row, not a silent one-column read', async () => {
  const p = join(dir, 'ragged.csv');
  writeFileSync(p, 'a,b\n1,2\n3\n');
  await assert.rejects(readTable(p), (e: unknown) => e instanceof InputError && e.context.row === 2 && /Expected Number of Columns/.test(e.message));
});

test('paths are literal: d[1].csv, *.csv and a?.parquet read that file, never a glob match', async () => {
  const sub = join(dir, 'glob');
  rmSync(sub, { recursive: true, force: true });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(sub);
  writeFileSync(join(sub, 'd1.csv'), 'v\n1\n2\n3\n');
  writeFileSync(join(sub, 'd[1].csv'), 'v\n10\n');
  writeFileSync(join(sub, '*.csv'), 'v\n20\n21\n');
  assert.deepEqual(Array.from((await readTable(join(sub, 'd[1].csv'))).columns.get('v')!.values as Float64Array), [10]);
  assert.deepEqual(Array.from((await readTable(join(sub, '*.csv'))).columns.get('v')!.values as Float64Array), [20, 21]);
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run(`COPY (SELECT 1.5::DOUBLE AS v) TO '${join(sub, 'a1.parquet')}' (FORMAT parquet)`);
  await con.run(`COPY (SELECT 7.0::DOUBLE AS v UNION ALL SELECT 8.0) TO '${join(sub, 'a?.parquet')}' (FORMAT parquet)`);
  con.closeSync();
  inst.closeSync();
  assert.deepEqual(Array.from((await readTable(join(sub, 'a?.parquet'))).columns.get('v')!.values as Float64Array), [7, 8]);
});

// Cells for the property: integers, decimals, exponent forms, quoted numbers, NA, empty, "#" text.
const numberText = fc.oneof(
  fc.integer({ min: -1000, max: 100_000 }).map(String),
  fc.double({ min: 0, max: 1e4, noNaN: true }).map((x) => String(Math.round(x * 1000) / 1000)),
  fc.tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: -3, max: 3 })).map(([m, e]) => `${m}e${e}`),
);
const cell = fc.oneof(
  { weight: 6, arbitrary: numberText },
  { weight: 1, arbitrary: numberText.map((s) => `"${s}"`) },
  { weight: 1, arbitrary: fc.constantFrom('NA', '') },
  { weight: 1, arbitrary: fc.constantFrom('#N/A', '#DIV/0!') },
);

test('property: every parsed value is the text\'s number, and n + n_dropped = data rows', async () => {
  let k = 0;
  await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), cell), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 59 }), async (rows, late) => {
    // One late decimal in the time column, as a sniffer's sample would miss.
    const times = rows.map(([t], i) => (i === late % rows.length ? `${t}.25` : String(t)));
    const p = join(dir, `prop-${k++}.csv`);
    writeFileSync(p, ['t,s,x', ...rows.map(([, c], i) => `${times[i]},${i % 2},${c}`)].join('\n') + '\n');
    const table = await readTable(p);
    assert.equal(table.nrow, rows.length);
    const t = table.columns.get('t')!;
    assert.equal(t.kind, 'number');
    times.forEach((s, i) => assert.equal(t.values[i], Number(s)));
    const x = table.columns.get('x')!;
    const texts = rows.map(([, c]) => c.replace(/^"(.*)"$/, '$1'));
    if (x.kind === 'number') texts.forEach((s, i) => (s === 'NA' || s === '' ? assert.ok(Number.isNaN(x.values[i]!)) : assert.equal(x.values[i], Number(s))));
    else texts.forEach((s, i) => assert.equal(x.values[i], s === 'NA' || s === '' ? null : s));
    if (x.kind === 'number') {
      const missing = texts.filter((s) => s === 'NA' || s === '').length;
      if (missing < rows.length) {
        const frame = buildGroupingFrame('Surv(t, s) ~ x', { ...table, columns: new Map(table.columns).set('t', { kind: 'number', values: Float64Array.from(t.values as Float64Array, Math.abs) }) });
        assert.equal(frame.survival.n + frame.nDropped, rows.length);
        assert.equal(frame.nDropped, missing);
      }
    }
  }), { numRuns: 40 });
});
