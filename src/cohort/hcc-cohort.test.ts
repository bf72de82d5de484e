// Golden test of the hcc-conversion cohort on a hand-built PUF (golden-puf.fixture.ts): 45
// fixed-width records in the 2021 layout, each built to hit one inclusion rule or coding trap of
// shared/study/hcc-conversion.md and labelled by hand with the step at which it must leave.
// The expected attrition table, groups, survival and surgery times below are worked out by hand
// from the record literals (months − immunotherapy days / 30.4375), not by running the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultLayout } from '../ncdb/default-layout.js';
import { ingestPuf } from '../ncdb/ingest.js';
import { HCC_CONVERSION } from '../study/protocol.js';
import type { Column } from '../core/types.js';
import { buildAnalysisDataset } from './analysis-dataset.js';
import { COVARIATE_ITEMS, REQUIRED_ITEMS, type HccCohort } from './hcc-cohort.js';
import { GOLDEN_RECORDS, writeGoldenPuf, writePufCsv, type PufRecord } from './golden-puf.fixture.js';
import { cohortOf } from '../testing/study-cohort.js';

const ITEMS = [...REQUIRED_ITEMS, ...COVARIATE_ITEMS];
const DPM = 30.4375;


const dir = mkdtempSync(join(tmpdir(), 'oncosurv-golden-'));
const datPath = join(dir, 'golden.dat');
const records = writeGoldenPuf(datPath);

// By hand: 45 records; leaving at steps 1..11: 1, 2, 2, 2, 1, 1, 3, 4, 4, 5, 6; 14 stay.
const EXPECTED_EXCLUDED = [1, 2, 2, 2, 1, 1, 3, 4, 4, 5, 6];
const EXPECTED_REMAINING = [44, 42, 40, 38, 37, 36, 33, 29, 25, 20, 14];

function checkAttrition(c: HccCohort): void {
  assert.equal(c.inputRows, 45);
  assert.deepEqual(c.attrition.map((s) => s.step), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(c.attrition.map((s) => s.remaining), EXPECTED_REMAINING);
  assert.deepEqual(c.attrition.map((s) => s.excluded), EXPECTED_EXCLUDED);
  // The hand labels agree with the hand-computed table.
  for (let k = 1; k <= 11; k++) assert.equal(GOLDEN_RECORDS.filter((g) => g.exit === k).length, EXPECTED_EXCLUDED[k - 1], `labels at step ${k}`);
  const kept = c.items.PUF_CASE_ID!.map((v) => v?.trim());
  assert.deepEqual([...kept].sort(), GOLDEN_RECORDS.filter((g) => g.exit === 0).map((g) => g.id).sort());
}

test('golden PUF: attrition table, step by step', async () => {
  const c = await cohortOf(datPath);
  checkAttrition(c);
  const step3 = c.attrition[2]!;
  assert.match(step3.description, /2020, the PUF's final year, is dropped because its vital status is blank/);
  assert.deepEqual({ to: c.years.to, finalYear: c.years.finalYear, dropped: c.years.finalYearDropped, rows: c.years.finalYearRows }, { to: 2019, finalYear: 2020, dropped: true, rows: 1 });
  // K09 and K10 reach step 7 only through ANALYTIC_STAGE_GROUP.
  assert.equal(c.attrition[6]!.note, '2 patients staged by the ANALYTIC_STAGE_GROUP fallback');
  assert.equal(c.stageFallbackCount, 2);
});

test('golden PUF: groups, survival and surgery times of the patients kept', async () => {
  const c = await cohortOf(datPath);
  assert.deepEqual(c.counts, { immunotherapy_alone: 11, resection: 1, transplant: 2 });
  const at = (id: string): number => c.items.PUF_CASE_ID!.findIndex((v) => v?.trim() === id);
  const expect: Record<string, { group: string; os: number; death: number; surgery: number; source: string }> = {
    K01: { group: 'immunotherapy_alone', os: 20 - 30 / DPM, death: 1, surgery: NaN, source: '' },
    K02: { group: 'resection', os: 24.3 - 30 / DPM, death: 0, surgery: (120 - 30) / DPM, source: 'DX_DEFSURG_STARTED_DAYS' },
    K03: { group: 'transplant', os: 30.1 - 45 / DPM, death: 1, surgery: (200 - 45) / DPM, source: 'DX_SURG_STARTED_DAYS' },
    K04: { group: 'transplant', os: 40 - 30 / DPM, death: 0, surgery: (300 - 30) / DPM, source: 'DX_DEFSURG_STARTED_DAYS' },
    K05: { group: 'immunotherapy_alone', os: 20 - 30 / DPM, death: 1, surgery: NaN, source: '' },
    K06: { group: 'immunotherapy_alone', os: 20 - 30 / DPM, death: 1, surgery: NaN, source: '' },
    K13: { group: 'immunotherapy_alone', os: 20 - 30 / DPM, death: 1, surgery: NaN, source: '' },
    K14: { group: 'immunotherapy_alone', os: 7.5 - 30 / DPM, death: 0, surgery: NaN, source: '' },
  };
  for (const [id, e] of Object.entries(expect)) {
    const i = at(id);
    assert.ok(i >= 0, id);
    assert.equal(c.group[i], e.group, `${id} group`);
    assert.equal(c.osMonths[i], e.os, `${id} OS months`);
    assert.equal(c.death[i], e.death, `${id} death`);
    if (Number.isNaN(e.surgery)) assert.ok(Number.isNaN(c.surgeryMonths[i]!), `${id} has no surgery time`);
    else assert.equal(c.surgeryMonths[i], e.surgery, `${id} surgery months`);
    assert.equal(c.surgeryDaySource[i], e.source, `${id} surgery day source`);
  }
  assert.equal(c.surgeryKind[at('K05')], 'other');
  assert.equal(c.surgeryKind[at('K13')], 'ablation');
});

function stringCol(col: Column | undefined): (string | null)[] {
  assert.ok(col !== undefined && col.kind === 'string');
  return col.values;
}
function numberCol(col: Column | undefined): Float64Array {
  assert.ok(col !== undefined && col.kind === 'number');
  return col.values;
}

test('golden PUF: derived variables (stage source, age 90, blank facility under 40, ablation)', async () => {
  const c = await cohortOf(datPath);
  const d = buildAnalysisDataset(c, HCC_CONVERSION);
  const id = stringCol(d.columns.get('id'));
  const at = (k: string): number => id.indexOf(k);
  const s = (name: string, k: string): string | null => stringCol(d.columns.get(name))[at(k)]!;
  const n = (name: string, k: string): number => numberCol(d.columns.get(name))[at(k)]!;
  assert.deepEqual([s('stage_source', 'K07'), s('stage_group', 'K07')], ['tnm7', 'III']);
  assert.deepEqual([s('stage_source', 'K08'), s('stage_group', 'K08')], ['ajcc8', 'III']);
  assert.deepEqual([s('stage_source', 'K09'), s('stage_group', 'K09')], ['analytic', 'IV']);
  assert.deepEqual([s('stage_source', 'K10'), s('stage_group', 'K10')], ['analytic', 'III']);
  assert.deepEqual([s('stage_source', 'K01'), s('stage_group', 'K01')], ['ajcc8', 'IV']);
  assert.equal(n('age', 'K11'), 90);
  assert.equal(n('age', 'K01'), 65);
  assert.equal(s('facility_type', 'K12'), 'Unknown');
  assert.equal(s('facility_location', 'K12'), 'Unknown');
  assert.equal(n('academic', 'K12'), 0);
  assert.deepEqual([s('facility_type', 'K01'), n('academic', 'K01')], ['Academic/research', 1]);
  assert.deepEqual([s('facility_type', 'K14'), n('academic', 'K14')], ['Community', 0]);
  assert.deepEqual([s('ablation', 'K13'), s('group', 'K13'), n('surgery', 'K13')], ['Yes', 'immunotherapy_alone', 0]);
  assert.deepEqual([s('group', 'K02'), n('surgery', 'K02'), s('surgery_day_source', 'K02')], ['resection', 1, 'DX_DEFSURG_STARTED_DAYS']);
  assert.equal(s('surgery_day_source', 'K03'), 'DX_SURG_STARTED_DAYS');
  assert.equal(s('surgery_day_source', 'K01'), null);
  assert.equal(n('os_months', 'K03'), 30.1 - 45 / DPM);
  assert.equal(n('surgery_months', 'K04'), (300 - 30) / DPM);
  assert.equal(n('death', 'K02'), 0);
  assert.equal(n('death', 'K03'), 1);
  assert.deepEqual([s('sex', 'K01'), s('race_ethnicity', 'K01'), s('insurance', 'K01')], ['Male', 'Non-Hispanic White', 'Medicare']);
  assert.equal(s('systemic_surgery_sequence', 'K03'), '4');
});

// Invariance: a CSV conversion that lost the leading zeros ("01" -> "1", "065" -> "65") and was
// saved with Windows line endings selects the same cohort, because codes are compared as numbers.
test('golden PUF as CSV without leading zeros, CRLF line ends: the same attrition, groups and times', async () => {
  const stripped = records.map((rec) => {
    const out: PufRecord = {};
    for (const [k, v] of Object.entries(rec)) out[k] = k !== 'PUF_CASE_ID' && /^0\d+$/.test(v) ? String(Number(v)) : v;
    return out;
  });
  assert.equal(stripped.find((x) => x.PUF_CASE_ID === 'X16')!.RX_SUMM_IMMUNOTHERAPY, '0');
  const csvPath = join(dir, 'golden.csv');
  writePufCsv(csvPath, stripped, ITEMS, '\r\n');
  const c = await cohortOf(csvPath);
  checkAttrition(c);
  const fromDat = await cohortOf(datPath);
  assert.deepEqual(c.counts, fromDat.counts);
  assert.deepEqual(Array.from(c.osMonths), Array.from(fromDat.osMonths));
  assert.deepEqual(Array.from(c.surgeryMonths), Array.from(fromDat.surgeryMonths));
  assert.deepEqual(c.surgeryDaySource, fromDat.surgeryDaySource);
});

// Invariance: the same file ingested to Parquet and to DuckDB (oncosurv ingest) selects the same cohort.
test('golden PUF via oncosurv ingest (.parquet, .duckdb): the same attrition, groups and times', async () => {
  const fromDat = await cohortOf(datPath);
  for (const ext of ['parquet', 'duckdb']) {
    const out = join(dir, `golden.${ext}`);
    await ingestPuf({ pufPath: datPath, layout: defaultLayout(), outPath: out });
    const c = await cohortOf(out);
    checkAttrition(c);
    assert.deepEqual(c.counts, fromDat.counts, ext);
    assert.deepEqual(Array.from(c.osMonths), Array.from(fromDat.osMonths), ext);
    assert.deepEqual(Array.from(c.surgeryMonths), Array.from(fromDat.surgeryMonths), ext);
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
