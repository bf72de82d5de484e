// Golden test of the hcc-conversion cohort on a hand-built PUF (golden-puf.fixture.ts): 57
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

// By hand: 57 records; leaving at steps 1..11: 1, 2, 3, 3, 1, 1, 3, 4, 4, 6, 8; 21 stay.
const EXPECTED_EXCLUDED = [1, 2, 3, 3, 1, 1, 3, 4, 4, 6, 8];
const EXPECTED_REMAINING = [56, 54, 51, 48, 47, 46, 43, 39, 35, 29, 21];

function checkAttrition(c: HccCohort): void {
  assert.equal(c.inputRows, 57);
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
  assert.deepEqual(c.counts, { immunotherapy_alone: 18, resection: 1, transplant: 2 });
  const at = (id: string): number => c.items.PUF_CASE_ID!.findIndex((v) => v?.trim() === id);
  const expect: Record<string, { group: string; os: number; death: number; surgery: number; source: string }> = {
    K01: { group: 'immunotherapy_alone', os: 20 - 30 / DPM, death: 1, surgery: NaN, source: '' },
    K02: { group: 'resection', os: 24.3 - 30 / DPM, death: 0, surgery: (120 - 30) / DPM, source: 'DX_DEFSURG_STARTED_DAYS' },
    K03: { group: 'transplant', os: 30.1 - 45 / DPM, death: 1, surgery: (200 - 45) / DPM, source: 'DX_SURG_STARTED_DAYS' },
    K04: { group: 'transplant', os: 40 - 30 / DPM, death: 0, surgery: (300 - 30) / DPM, source: 'DX_DEFSURG_STARTED_DAYS' },
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
  // K05 (65) and K06 (66) are primary-site surgery outside the lists: excluded at step 11, counted by code.
  assert.equal(at('K05'), -1);
  assert.deepEqual(c.otherSurgeryExcluded, { '65': 1, '66': 1 });
  assert.match(c.attrition[10]!.note ?? '', /2 with other primary-site surgery \(code 65: 1, code 66: 1\)/);
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
  // Dictionary, FACILITY_TYPE_CD: "This item is suppressed for cases aged 0-39." -> missing, never 0.
  assert.ok(Number.isNaN(n('academic', 'K12')));
  assert.equal(s('academic_facility', 'K12'), 'Unknown');
  assert.equal(c.dataQuality.facility_type_suppressed, 1);
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

// Each expected value below is quoted from the code table it comes from (comment above each line):
// the NAACCR SSDI manual (liver items 3809, 3810, 3813/3814, 3824/3825, 3835, 3860), the CS v02.05
// liver schema (SSF1-SSF8), or the NCDB PUF 2021 data dictionary.
test('golden PUF: liver covariates coded by the SSDI (2018+) and CS v02.05 (2010-2017) tables', async () => {
  const c = await cohortOf(datPath);
  const d = buildAnalysisDataset(c, HCC_CONVERSION);
  const id = stringCol(d.columns.get('id'));
  const s = (name: string, k: string): string | null => stringCol(d.columns.get(name))[id.indexOf(k)]!;
  const n = (name: string, k: string): number => numberCol(d.columns.get(name))[id.indexOf(k)]!;
  // SSDI 3809: "1 | Positive/elevated"
  assert.equal(s('afp', 'K01'), 'Elevated');
  // SSDI 3809: "0 | Negative/normal; within normal limits" (was "Unknown")
  assert.equal(s('afp', 'K15'), 'Normal');
  // SSDI 3809: "2 | Borderline; undetermined if positive or negative": pooled with normal (protocol afp_borderline: normal)
  assert.equal(s('afp', 'K16'), 'Normal');
  // CS v02.05 liver SSF1: "010 | Positive/elevated"
  assert.equal(s('afp', 'K17'), 'Elevated');
  // CS v02.05 liver SSF2: "001 | F1: Fibrosis score 5-6 (Severe fibrosis or cirrhosis)"
  assert.equal(s('fibrosis', 'K17'), 'Advanced or cirrhosis');
  // CS v02.05 liver SSF3: "040 | 400 - 499 ng/ml"
  assert.equal(s('afp_value_group', 'K17'), '>=400 ng/ml');
  // CS v02.05 liver SSF4 "Record a creatinine value of 0.53 mg/dL as 005" (implied decimal): 012 = 1.2; SSF5 "010 | Milligrams/deciliter (mg/dl)";
  // SSF6 020 = 2.0 mg/dl (SSF7 010); SSF8 "Record INR of 0.5 as 005": 015 = 1.5.
  assert.equal(n('meld', 'K17'), 3.78 * Math.log(2.0) + 11.2 * Math.log(1.5) + 9.57 * Math.log(1.2) + 6.43);
  // SSDI 3824: "XX.1 | 100 mg/dl or greater": at least 100 mg/dl, so creatinine is the MELD cap 4; bilirubin 0.5 and INR 0.9 are floored at 1.
  assert.equal(n('meld', 'K21'), 9.57 * Math.log(4) + 6.43);
  // SSDI 3814: "9 | Not documented in medical record Bilirubin unit of measure not assessed": no MELD.
  assert.ok(Number.isNaN(n('meld', 'K22')));
  // Dictionary, SPANISH_HISPANIC_ORIGIN: "9 Unknown whether of Spanish/Hispanic origin" -> not "Non-Hispanic White".
  assert.equal(s('race_ethnicity', 'K18'), 'Other or unknown');
  assert.equal(s('race_ethnicity', 'K01'), 'Non-Hispanic White');
  // Dictionary, RAD_LOCATION_OF_RX: "4 All radiation treatment elsewhere" -> radiation given although the days item is blank.
  assert.equal(s('radiation', 'K19'), 'Yes');
  // Dictionary, TUMOR_SIZE_SUMMARY_2016: "989 989 millimeters or larger" -> kept as a size.
  assert.deepEqual([n('tumor_size_mm', 'K20'), s('tumor_size', 'K20')], [989, '>100 mm']);
  // Dictionary, SEX: "Allowable Values: 1, 2" -> SEX 3 is Unknown and listed under data quality, never silent.
  assert.equal(s('sex', 'K23'), 'Unknown');
  // The own-level choice keeps borderline apart.
  const own = buildAnalysisDataset(c, { ...HCC_CONVERSION, covariates: { ...HCC_CONVERSION.covariates, afp_borderline: 'own_level' } });
  const ownAfp = own.columns.get('afp')!;
  assert.ok(ownAfp.kind === 'string');
  assert.equal(ownAfp.values[id.indexOf('K16')], 'Borderline');
  assert.deepEqual(ownAfp.levels, ['Normal', 'Elevated', 'Borderline', 'Unknown']);
});

test('golden PUF: invalid values are counted and listed under data quality, apart from the clinical exclusions', async () => {
  const c = await cohortOf(datPath);
  const byItem = Object.fromEntries(c.dataQuality.invalid_values.map((e) => [e.item, e]));
  assert.deepEqual(Object.keys(byItem).sort(), ['AGE', 'SEX', 'YEAR_OF_DIAGNOSIS']);
  assert.deepEqual(byItem.AGE, { item: 'AGE', rule: byItem.AGE!.rule, count: 1, outcome: { 'step 4': 1 }, examples: [{ id: 'X33', value: 'abc' }] });
  assert.match(byItem.AGE!.rule, /000 - 090, 999/);
  assert.deepEqual([byItem.YEAR_OF_DIAGNOSIS!.outcome, byItem.YEAR_OF_DIAGNOSIS!.examples], [{ 'step 3': 1 }, [{ id: 'X34', value: '20x9' }]]);
  assert.deepEqual([byItem.SEX!.outcome, byItem.SEX!.examples], [{ kept: 1 }, [{ id: 'K23', value: '3' }]]);
  assert.equal(c.attrition[3]!.note, '1 of the excluded had an invalid AGE (listed under data quality)');
  assert.equal(c.attrition[2]!.note, '1 of the excluded had an invalid YEAR_OF_DIAGNOSIS (listed under data quality)');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
